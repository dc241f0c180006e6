using System.Data.Common;
using Dapper;

namespace FinanceChain.Api.Products;

/// <summary>
/// The <c>products</c> row of <c>change_counters</c>: incremented in the same transaction as every
/// product insert, update and withdrawal, so that any service instance can tell with one tiny query
/// whether the products it holds in memory are still those in the database.
/// </summary>
public static class ProductChanges
{
    public const string CounterName = "products";

    internal const string ReadCounterSql = "SELECT value FROM change_counters WHERE name = @Name";
    internal const string BumpCounterSql = "UPDATE change_counters SET value = value + 1 WHERE name = @Name";

    /// <summary>
    /// Records a change to the products inside <paramref name="transaction"/> and returns the new counter
    /// value, which the changed product stores as its <c>change_seq</c>. The increment locks the counter row
    /// until the transaction ends, so product changes commit in counter order.
    /// </summary>
    public static async Task<long> MarkChangedAsync(DbTransaction transaction)
    {
        var connection = transaction.Connection!;
        var rows = await connection.ExecuteAsync(BumpCounterSql, new { Name = CounterName }, transaction);
        if (rows != 1)
        {
            throw new InvalidOperationException("The products change counter is missing; the database is not migrated.");
        }

        return await ReadAsync(connection, transaction, CancellationToken.None);
    }

    /// <summary>The current value of the counter.</summary>
    public static Task<long> ReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ReadAsync(connection, null, cancellationToken);

    /// <summary>The current value of the counter, read inside <paramref name="transaction"/> when given.</summary>
    public static Task<long> ReadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, new { Name = CounterName }, transaction, cancellationToken: cancellationToken));
}
