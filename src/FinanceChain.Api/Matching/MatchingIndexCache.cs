using FinanceChain.Api.Database;
using FinanceChain.Api.Products;
using FinanceChain.Domain;

namespace FinanceChain.Api.Matching;

/// <summary>The active products as of one value of the products change counter, indexed for matching.</summary>
/// <param name="Version">The change counter the products were read at.</param>
/// <param name="Index">The matching index over the active products.</param>
/// <param name="Names">Product names by id, for responses.</param>
/// <param name="Institutions">The banks with at least one active product.</param>
public sealed record ProductSnapshot(
    long Version,
    MatchingIndex Index,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlySet<string> Institutions)
{
    /// <summary>True when <paramref name="institutionId"/> has an active product.</summary>
    public bool HasProducts(string institutionId) => Institutions.Contains(institutionId);
}

/// <summary>
/// One immutable <see cref="MatchingIndex"/> per service instance, kept coherent with the database through
/// the <c>products</c> change counter (<see cref="ProductChanges"/>). Every read costs one tiny query for the
/// counter; when it has moved (a product was posted, changed or withdrawn through any instance since the
/// index was built) the index is rebuilt under a lock and the reference swapped, so readers never wait for
/// each other and never see a half-built index.
/// </summary>
/// <remarks>
/// A rebuild reads the counter, then the products, then the counter again. Every product change increments
/// the counter in its own transaction, so equal readings prove that no change committed while the products
/// were read: the index is exactly the products at that counter value. When products keep changing during
/// the read, it is retried, and at last read inside a transaction, which writers wait for.
/// </remarks>
public sealed class MatchingIndexCache(Db db, ILogger<MatchingIndexCache> logger) : IDisposable
{
    private const int OptimisticAttempts = 3;

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private ProductSnapshot? _current;

    /// <summary>The index of the products as they are in the database now (or later).</summary>
    public async Task<ProductSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        long version;
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            version = await ProductChanges.ReadAsync(connection, cancellationToken);
        }

        var current = Volatile.Read(ref _current);
        if (current is not null && current.Version >= version)
        {
            return current;
        }

        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            // Another request may have rebuilt it while this one waited.
            current = Volatile.Read(ref _current);
            if (current is not null && current.Version >= version)
            {
                return current;
            }

            var fresh = await LoadAsync(cancellationToken);
            Volatile.Write(ref _current, fresh);
            return fresh;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    public void Dispose() => _rebuild.Dispose();

    private async Task<ProductSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            for (var attempt = 0; attempt < OptimisticAttempts; attempt++)
            {
                var before = await ProductChanges.ReadAsync(connection, cancellationToken);
                var products = await ProductStore.LoadActiveAsync(connection, cancellationToken);
                var after = await ProductChanges.ReadAsync(connection, cancellationToken);
                if (before == after)
                {
                    return Snapshot(before, products);
                }
            }
        }

        logger.LogInformation("Products kept changing while the matching index was read; reading them inside a transaction.");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var version = await ProductChanges.ReadAsync(connection, transaction, cancellationToken);
            var products = await ProductStore.LoadActiveAsync(connection, transaction, cancellationToken);
            return Snapshot(version, products);
        }, cancellationToken);
    }

    private static ProductSnapshot Snapshot(long version, ActiveProducts products) => new(
        version,
        MatchingIndex.Build(products.Terms),
        products.Names,
        products.Terms.Select(t => t.InstitutionId).ToHashSet(StringComparer.Ordinal));
}
