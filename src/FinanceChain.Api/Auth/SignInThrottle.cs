using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace FinanceChain.Api.Auth;

/// <summary>The <c>SignIn</c> configuration section: how many wrong keys one address may try.</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Wrong keys one client address may send before it must wait (a burst).</summary>
    public int FailuresAllowed { get; set; } = 10;

    /// <summary>Seconds after which one more failure is allowed again (one token back per period).</summary>
    public int SecondsPerFailure { get; set; } = 60;
}

/// <summary>
/// Failed sign-ins per client address, as ASP.NET Core's rate limiter counts them: one token bucket per address
/// (<see cref="SignInOptions.FailuresAllowed"/> tokens, one back every <see cref="SignInOptions.SecondsPerFailure"/>
/// seconds). Only a wrong key takes a token; a person who signs in right costs nothing. While an address has no
/// token left, the <see cref="PolicyName"/> policy refuses its sign-in posts with 429 before any key is looked up.
/// Buckets that are full again are dropped by the limiter, so memory follows the addresses failing now.
/// </summary>
/// <remarks>
/// The address is the connection's. Behind a reverse proxy configure forwarded headers, or every person shares
/// the proxy's bucket.
/// </remarks>
public sealed class SignInThrottle : IDisposable
{
    /// <summary>The rate-limiter policy on <c>POST /signin</c>.</summary>
    public const string PolicyName = "signin";

    private readonly PartitionedRateLimiter<string> _failures;

    public SignInThrottle(SignInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RetryAfter = TimeSpan.FromSeconds(Math.Max(1, options.SecondsPerFailure));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.FailuresAllowed),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = RetryAfter,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }

    /// <summary>How long a refused address waits for its next try.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>The client address a sign-in counts against.</summary>
    public static string AddressOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>True while <paramref name="address"/> has used up its failures.</summary>
    public bool IsBlocked(string address) => _failures.GetStatistics(address)?.CurrentAvailablePermits is <= 0;

    /// <summary>Counts one wrong key against <paramref name="address"/>.</summary>
    public void RecordFailure(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose() => _failures.Dispose();

    /// <summary>Lets a sign-in post through unless its address is blocked; other methods are not limited.</summary>
    internal sealed class Policy(SignInThrottle throttle) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
        {
            // The status page tells the person to wait; the header tells a program how long.
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = ((int)throttle.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            if (!HttpMethods.IsPost(httpContext.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter("signin:read");
            }

            var address = AddressOf(httpContext);
            return RateLimitPartition.Get("signin:" + address, _ => new Gate(throttle, address));
        }
    }

    /// <summary>A limiter that holds no tokens of its own: it asks the throttle whether the address may try.</summary>
    private sealed class Gate(SignInThrottle throttle, string address) : RateLimiter
    {
        // Stateless, so the rate limiter may drop it at once; the counts live in the throttle's buckets.
        public override TimeSpan? IdleDuration => TimeSpan.FromMinutes(1);

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
            throttle.IsBlocked(address) ? new Lease(false, throttle.RetryAfter) : new Lease(true, null);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}

/// <summary>Registers <see cref="SignInThrottle"/> and its rate-limiter policy.</summary>
public static class SignInThrottleSetup
{
    /// <summary>Registers the throttle and its policy; the app's <c>UseRateLimiter</c> applies it.</summary>
    public static IServiceCollection AddSignInThrottle(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();
        services.AddSingleton(new SignInThrottle(options));
        services.Configure<RateLimiterOptions>(o => o.AddPolicy<string, SignInThrottle.Policy>(SignInThrottle.PolicyName));
        return services;
    }
}
