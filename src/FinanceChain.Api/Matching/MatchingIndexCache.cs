using System.Collections.Immutable;
using FinanceChain.Api.Database;
using FinanceChain.Api.Products;
using FinanceChain.Domain;

namespace FinanceChain.Api.Matching;

/// <summary>The active products as of one value of the products change counter, indexed for matching.</summary>
/// <param name="Version">The change counter the products were read at: the snapshot holds every change up to it.</param>
/// <param name="Index">The matching index over the active products.</param>
/// <param name="Names">The names of the active products, by id (their terms are in the index).</param>
/// <param name="Institutions">The banks with at least one active product, with their names.</param>
public sealed record ProductSnapshot(
    long Version,
    MatchingIndex Index,
    ImmutableDictionary<string, string> Names,
    IReadOnlyDictionary<string, string> Institutions)
{
    /// <summary>True when <paramref name="institutionId"/> has an active product.</summary>
    public bool HasProducts(string institutionId) => Institutions.ContainsKey(institutionId);

    /// <summary>The name of a bank with an active product.</summary>
    public string InstitutionName(string institutionId) => Institutions.GetValueOrDefault(institutionId, "");

    /// <summary>The name of an active product.</summary>
    public string NameOf(string productId) => Names.GetValueOrDefault(productId, "");

    /// <summary>The name of the bank offering an active product.</summary>
    public string InstitutionNameOf(string productId) =>
        Index.TryGetProduct(productId, out var product) ? InstitutionName(product.InstitutionId) : "";
}

/// <summary>
/// One immutable <see cref="MatchingIndex"/> per service instance, kept coherent with the database through
/// the <c>products</c> change counter (<see cref="ProductChanges"/>). Every read costs one tiny query for the
/// counters (<see cref="ChangeCounters"/>, shared with the key check within a GET request); when the products
/// counter has moved (a product was posted, changed or withdrawn through any instance since the index was
/// built) the products changed since then are read, the index is updated under a lock and the
/// reference swapped, so that readers never see a half-built index and never an older one than the counter
/// they read.
/// </summary>
/// <remarks>
/// A refresh reads the counter, then the products changed since the snapshot's counter value (every active
/// product the first time), then the counter again. Every product change increments the counter in its own
/// transaction and stores the new value as the product's <c>change_seq</c>, so equal readings prove that no
/// change committed while the products were read: the snapshot is exactly the products at that counter
/// value. When products keep changing during the read, it is retried, and at last read inside a
/// transaction, which writers wait for.
/// </remarks>
public sealed class MatchingIndexCache(Db db, ChangeCounters counters, ILogger<MatchingIndexCache> logger) : IDisposable
{
    private const int OptimisticAttempts = 3;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private ProductSnapshot? _current;

    /// <summary>The index of the products as they are in the database now (or later).</summary>
    public async Task<ProductSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        // Read with the other counters, and within a GET request shared with the key check (ChangeCounters).
        var version = (await counters.ReadAsync(cancellationToken)).Products;
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Version >= version)
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed it while this one waited.
            current = Volatile.Read(ref _current);
            if (current is not null && current.Version >= version)
            {
                return current;
            }

            var fresh = await RefreshAsync(current, cancellationToken);
            Volatile.Write(ref _current, fresh);
            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private async Task<ProductSnapshot> RefreshAsync(ProductSnapshot? previous, CancellationToken cancellationToken)
    {
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            for (var attempt = 0; attempt < OptimisticAttempts; attempt++)
            {
                var before = await ProductChanges.ReadAsync(connection, cancellationToken);
                var changed = await ProductStore.LoadForIndexAsync(connection, null, previous?.Version, cancellationToken);
                var after = await ProductChanges.ReadAsync(connection, cancellationToken);
                if (before == after)
                {
                    return Apply(previous, changed, before);
                }
            }
        }

        logger.LogInformation("Products kept changing while the matching index was read; reading them inside a transaction.");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var version = await ProductChanges.ReadAsync(connection, transaction, cancellationToken);
            var changed = await ProductStore.LoadForIndexAsync(connection, transaction, previous?.Version, cancellationToken);
            return Apply(previous, changed, version);
        }, cancellationToken);
    }

    private static ProductSnapshot Apply(ProductSnapshot? previous, IReadOnlyList<IndexedProduct> changed, long version)
    {
        if (previous is null)
        {
            var active = changed.Where(p => p.Terms.Active).ToList();
            return new ProductSnapshot(
                version,
                MatchingIndex.Build(active.Select(p => p.Terms)),
                active.ToImmutableDictionary(p => p.Terms.Id, p => p.Name, StringComparer.Ordinal),
                active.DistinctBy(p => p.Terms.InstitutionId, StringComparer.Ordinal)
                    .ToDictionary(p => p.Terms.InstitutionId, p => p.InstitutionName, StringComparer.Ordinal));
        }

        // Only what changed is touched: the index copies the changed products' buckets, the names are a persistent
        // map, and only the banks of changed products are looked at again.
        var index = previous.Index.With(changed.Select(p => p.Terms));
        var names = previous.Names.ToBuilder();
        var banks = new Dictionary<string, string>(previous.Institutions, StringComparer.Ordinal);
        foreach (var product in changed)
        {
            if (product.Terms.Active)
            {
                names[product.Terms.Id] = product.Name;
            }
            else
            {
                names.Remove(product.Terms.Id);
            }

            banks[product.Terms.InstitutionId] = product.InstitutionName;
        }

        foreach (var bank in banks.Keys.ToList())
        {
            if (index.ProductsOfInstitution(bank).Count == 0)
            {
                banks.Remove(bank);
            }
        }

        return new ProductSnapshot(version, index, names.ToImmutable(), banks);
    }
}
