using System.Data.Common;
using Dapper;

namespace FinanceChain.Api.Products;

/// <summary>
/// The <c>products</c> row of <c>change_counters</c>: incremented in the same transaction as every
/// product insert, update and withdrawal, so that any service instance can tell with one tiny query
/// whether the products it holds in memory are still those in the database.
/// </summary>
/// <remarks>
/// The increment locks the counter row until the transaction ends, so product changes commit in counter order.
/// It is therefore the last thing a product change does (followed only by stamping the product with the new
/// value): the lock is held for the commit alone, never while the change reads, checks and writes, so concurrent
/// product changes overlap until their very end and no reader of the counter ever waits behind a long change.
/// </remarks>
public static class ProductChanges
{
    public const string CounterName = "products";

    internal const string ReadCounterSql = "SELECT value FROM change_counters WHERE name = @Name";
    internal const string BumpCounterSql = "UPDATE change_counters SET value = value + 1 WHERE name = @Name";
    internal const string StampProductSql = "UPDATE products SET change_seq = (SELECT value FROM change_counters WHERE name = @Name) WHERE id = @ProductId";

    /// <summary>
    /// Records a change to <paramref name="productId"/> inside <paramref name="transaction"/>: increments the counter
    /// and stores its new value as the product's <c>change_seq</c>. Call it last, after every other statement of
    /// the change.
    /// </summary>
    public static async Task MarkChangedAsync(DbTransaction transaction, string productId)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await BumpAsync(transaction);
        await transaction.Connection!.ExecuteAsync(StampProductSql, new { Name = CounterName, ProductId = productId }, transaction);
    }

    /// <summary>Increments the counter inside <paramref name="transaction"/> and returns its new value.</summary>
    public static async Task<long> BumpAsync(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
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
