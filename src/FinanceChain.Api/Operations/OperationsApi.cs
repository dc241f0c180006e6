using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FinanceChain.Api.Operations;

/// <summary>Liveness and readiness probes; no key needed.</summary>
public static class OperationsApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder routes)
    {
        // Live: the process answers. Ready: it can also reach its database.
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Operations").WithSummary("Liveness probe.").AllowAnonymous().DisableRateLimiting();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithTags("Operations").WithSummary("Readiness probe: the database is reachable.").AllowAnonymous().DisableRateLimiting();
        return routes;
    }
}
