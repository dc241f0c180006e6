using Dapper;
using FinanceChain.Api.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FinanceChain.Api.Operations;

/// <summary>Ready when the database answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    internal const string PingSql = "SELECT 1";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(PingSql);
            return HealthCheckResult.Healthy($"{db.Dialect.Provider} reachable");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{db.Dialect.Provider} unreachable", e);
        }
    }
}
