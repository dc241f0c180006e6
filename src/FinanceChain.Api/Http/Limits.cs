using System.Globalization;
using System.Threading.RateLimiting;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace FinanceChain.Api.Http;

/// <summary>Request limits: per-key rate limiting and a maximum body size.</summary>
public sealed class LimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests one API key (or one anonymous address) may make per minute.</summary>
    public int PermitsPerMinute { get; set; } = 6000;

    /// <summary>Largest request body in bytes (1 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

public static class Limits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(LimitOptions.Section).Get<LimitOptions>() ?? new LimitOptions();
        services.AddSingleton(options);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.AddRateLimiter(limiter =>
        {
            // One token bucket per API key: one key's burst never blocks another key. Anonymous callers
            // share a bucket per remote address. Limits are per service instance.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PermitsPerMinute,
                    TokensPerPeriod = options.PermitsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = http.RequestServices.GetRequiredService<Problems>()
                        .Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.TooManyRequests, [options.PermitsPerMinute]),
                });
            };
        });
        return services;
    }

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

    private static string PartitionKey(HttpContext http)
    {
        var key = http.Request.Headers[ApiKeyAuthentication.Header].ToString();
        return key.Length > 0 ? "key:" + key : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
