using System.Globalization;
using System.Threading.RateLimiting;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace FinanceChain.Api.Http;

/// <summary>Request limits: per-key rate limiting, the failed-authentication budget and a maximum body size.</summary>
public sealed class LimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests one API key (or one client address without a valid key) may make per minute.</summary>
    public int PermitsPerMinute { get; set; } = 6000;

    /// <summary>
    /// Unknown or revoked API keys one client address may send per minute. Once spent, keys from that address
    /// are not looked up until the budget refills: those requests get 429 without touching the database.
    /// </summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 100;

    /// <summary>Largest request body in bytes (1 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Kestrel's limits, set deliberately rather than left at the server's defaults (the <c>Server</c> section).
/// Kestrel answers a request line or header block over its limit with 414 or 431 before the service sees it.
/// </summary>
public sealed class ServerLimitOptions
{
    public const string Section = "Server";

    /// <summary>Open connections at once (Kestrel's default: unlimited).</summary>
    public long MaxConcurrentConnections { get; set; } = 1000;

    /// <summary>Connections upgraded to another protocol (WebSockets) at once.</summary>
    public long MaxConcurrentUpgradedConnections { get; set; } = 100;

    /// <summary>Seconds a client has to send the whole request line and headers (Kestrel's default: 30).</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds an idle keep-alive connection stays open (Kestrel's default: 130).</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest request line (method, target, version) in bytes.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Largest header block in bytes (Kestrel's default: 32 KB); more is 431.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    /// <summary>Headers per request.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Largest single header value in bytes; more is 431, checked before authentication.</summary>
    public int MaxHeaderValueBytes { get; set; } = 8 * 1024;

    /// <summary>Slowest accepted upload, in bytes per second after a 5-second grace period.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Refuses values that would switch a limit off or make the service unusable.</summary>
    public void Validate()
    {
        if (MaxConcurrentConnections < 1 || MaxConcurrentUpgradedConnections < 0 || RequestHeadersTimeoutSeconds < 1
            || KeepAliveTimeoutSeconds < 1 || MaxRequestLineBytes < 1024 || MaxRequestHeaderCount < 8 || MinRequestBodyBytesPerSecond < 0
            || MaxHeaderValueBytes < 1024 || MaxRequestHeadersTotalBytes < MaxHeaderValueBytes)
        {
            throw new InvalidOperationException(
                "Server limits out of range: connections >= 1, timeouts >= 1 s, MaxRequestLineBytes >= 1024, MaxRequestHeaderCount >= 8, " +
                "MaxHeaderValueBytes >= 1024 and MaxRequestHeadersTotalBytes >= MaxHeaderValueBytes.");
        }
    }
}

/// <summary>
/// Rate limits keyed by who the caller is, decided after authentication: a valid API key has its own bucket
/// (by key id, so the partitions are bounded by the keys that exist); requests without a valid key (none,
/// unknown, revoked) share their client address's bucket. Failed authentications also spend the address's
/// <see cref="AuthenticationBudget"/>; once it is spent, keys from that address are not looked up at all.
/// So many distinct bogus keys cost neither memory nor database lookups beyond that one address's buckets.
/// </summary>
/// <remarks>
/// The global limiter is a plain <see cref="RateLimiterOptions.GlobalLimiter"/>, so that named policies (a
/// sign-in limiter, say) can be added beside it with <c>AddPolicy</c> in their own feature. Limits are per
/// service instance.
/// </remarks>
public static class Limits
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(LimitOptions.Section).Get<LimitOptions>() ?? new LimitOptions();
        if (options.PermitsPerMinute < 1 || options.FailedAuthenticationsPerMinute < 1)
        {
            throw new InvalidOperationException("RateLimiting:PermitsPerMinute and RateLimiting:FailedAuthenticationsPerMinute must be at least 1.");
        }

        var server = configuration.GetSection(ServerLimitOptions.Section).Get<ServerLimitOptions>() ?? new ServerLimitOptions();
        server.Validate();
        services.AddSingleton(options);
        services.AddSingleton(server);
        services.AddSingleton<AuthenticationBudget>();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => Apply(k, options, server));
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => PerMinute(options.PermitsPerMinute)));
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Minute;
                return new ValueTask(WriteTooManyAsync(context.HttpContext, retryAfter, ErrorCodes.TooManyRequests, options.PermitsPerMinute));
            };
        });
        return services;
    }

    /// <summary>A bucket of <paramref name="permits"/> that refills once a minute and never queues.</summary>
    internal static TokenBucketRateLimiterOptions PerMinute(int permits) => new()
    {
        TokenLimit = permits,
        TokensPerPeriod = permits,
        ReplenishmentPeriod = Minute,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>
    /// Refuses a request with any header value over <see cref="ServerLimitOptions.MaxHeaderValueBytes"/> (431),
    /// before authentication reads it: an 8 KB key is the most any lookup hashes.
    /// </summary>
    public static IApplicationBuilder UseHeaderLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var limit = http.RequestServices.GetRequiredService<ServerLimitOptions>().MaxHeaderValueBytes;
            foreach (var (name, values) in http.Request.Headers)
            {
                foreach (var value in values)
                {
                    if (value is not null && value.Length > limit / 3 && System.Text.Encoding.UTF8.GetByteCount(value) > limit)
                    {
                        await WriteProblemAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, HttpCodes.HeaderTooLarge, name, limit);
                        return;
                    }
                }
            }

            await next(http);
        });

    /// <summary>Refuses a body larger than the limit with 413 before anything reads it.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var limit = http.RequestServices.GetRequiredService<LimitOptions>().MaxRequestBodyBytes;
            if (http.Request.ContentLength > limit)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = http.RequestServices.GetRequiredService<Problems>()
                        .Problem(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, [limit]),
                });
                return;
            }

            var feature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(http);
        });

    /// <summary>The key id of an authenticated caller; otherwise the client's address.</summary>
    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirst(Caller.KeyIdClaim)?.Value is { } keyId ? "key:" + keyId : "address:" + ClientAddress.Of(http);

    /// <summary>429 with <c>Retry-After</c> in whole seconds (at least 1) and a problem naming <paramref name="code"/>.</summary>
    internal static Task WriteTooManyAsync(HttpContext http, TimeSpan retryAfter, string code, params object?[] args)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteProblemAsync(http, StatusCodes.Status429TooManyRequests, code, args);
    }

    /// <summary>A problem written straight to the response, in the caller's language, with its code.</summary>
    internal static async Task WriteProblemAsync(HttpContext http, int status, string code, params object?[] args)
    {
        var problem = http.RequestServices.GetRequiredService<Problems>().Problem(status, code, args);
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private static void Apply(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, LimitOptions options, ServerLimitOptions server)
    {
        var limits = kestrel.Limits;
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxConcurrentConnections = server.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = server.MaxConcurrentUpgradedConnections;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(server.RequestHeadersTimeoutSeconds);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(server.KeepAliveTimeoutSeconds);
        limits.MaxRequestLineSize = server.MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = server.MaxRequestHeadersTotalBytes;
        limits.MaxRequestHeaderCount = server.MaxRequestHeaderCount;
        limits.MinRequestBodyDataRate = server.MinRequestBodyBytesPerSecond == 0
            ? null
            : new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(server.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
        // HTTP/2 and HTTP/3 carry headers differently; the same caps hold there.
        limits.Http2.MaxRequestHeaderFieldSize = server.MaxRequestHeadersTotalBytes;
        limits.Http3.MaxRequestHeaderFieldSize = server.MaxRequestHeadersTotalBytes;
    }
}

/// <summary>The client address that rate limits are kept by.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The remote IPv4 address, or the /64 network of an IPv6 address (one host usually holds a whole /64, so
    /// keying by the full address would let it make up fresh buckets at will); <c>unknown</c> when there is none.
    /// Behind a reverse proxy, configure forwarded headers so that this is the client and not the proxy.
    /// </summary>
    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}

/// <summary>
/// How many unknown or revoked API keys each client address may still present this minute
/// (<see cref="LimitOptions.FailedAuthenticationsPerMinute"/>). Authentication asks before every lookup and
/// spends one after every failed one; when an address has none left its keys are refused unread (429).
/// </summary>
public sealed class AuthenticationBudget : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public AuthenticationBudget(LimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _failures = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetTokenBucketLimiter(address, _ => Limits.PerMinute(options.FailedAuthenticationsPerMinute)));
        PerMinute = options.FailedAuthenticationsPerMinute;
    }

    /// <summary>The budget per address and minute.</summary>
    public int PerMinute { get; }

    /// <summary>
    /// True while the caller's address may still have a key looked up; otherwise false, with how long it waits
    /// for its budget to refill.
    /// </summary>
    public bool MayLookUp(HttpContext http, out TimeSpan retryAfter)
    {
        // The bucket refills a little at a time; a lookup needs one whole failure left to spend.
        retryAfter = TimeSpan.FromSeconds(Math.Ceiling(60.0 / PerMinute));
        return _failures.GetStatistics(ClientAddress.Of(http)) is not { CurrentAvailablePermits: < 1 };
    }

    /// <summary>Spends one failed authentication from the caller's address.</summary>
    public void CountFailure(HttpContext http) => _failures.AttemptAcquire(ClientAddress.Of(http), 1).Dispose();

    public void Dispose() => _failures.Dispose();
}
