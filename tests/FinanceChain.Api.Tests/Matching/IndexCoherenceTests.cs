using System.Net;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>
/// Matches always reflect the products in the database: withdrawn or changed products, and products
/// written through another service instance on the same database, count from the very next request.
/// On every provider (<see cref="SqliteIndexCoherenceTests"/>, <see cref="SqlServerIndexCoherenceTests"/>).
/// </summary>
public abstract class IndexCoherenceSuite<TProvider> : IAsyncLifetime
    where TProvider : DatabaseProvider, new()
{
    private readonly FinanceChainApp _app = new TProvider().NewApp();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [ProviderFact]
    public async Task WithdrawnProduct_NeverMatchesAgain()
    {
        var productA = await _w.A.CreateProductAsync(ProductData.Product(minRateBps: 360));
        var productB = await _w.B.CreateProductAsync(ProductData.Product(minRateBps: 400));
        var request = await _w.RequestAsync();
        Assert.Equal([productA, productB], await _w.SmeClient.MatchIdsAsync(request));

        await (await _w.A.PostAsync($"/api/v1/products/{productA}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([productB], await _w.SmeClient.MatchIdsAsync(request));
        var inbox = await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(inbox["items"]!.AsArray());
        await (await _w.A.GetAsync($"/api/v1/financing-requests/{request}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.A.PostJsonAsync($"/api/v1/financing-requests/{request}/offers", ProductData.Offer(productA))).ExpectProblemAsync(HttpStatusCode.NotFound);

        // A new request does not match it either.
        var later = await _w.RequestAsync();
        Assert.Equal([productB], await _w.SmeClient.MatchIdsAsync(later));
    }

    [ProviderFact]
    public async Task ChangedProduct_CountsFromTheNextRequest()
    {
        var product = await _w.A.CreateProductAsync(ProductData.Product(minRateBps: 360));
        var request = await _w.RequestAsync();
        Assert.Equal([product], await _w.SmeClient.MatchIdsAsync(request));

        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(regions: ["430000"]), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await _w.SmeClient.MatchIdsAsync(request));

        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(minRateBps: 300, regions: ["420000"]), "\"2\"")).ExpectAsync(HttpStatusCode.OK);
        var matches = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(300, matches["items"]![0]!["minRateBps"]!.GetValue<int>());
    }

    [ProviderFact]
    public async Task Index_IsRefreshedOnlyWhenTheCounterMoves_WithJustTheChangedProducts()
    {
        var cache = _app.Services.GetRequiredService<MatchingIndexCache>();
        var kept = await _w.B.CreateProductAsync(ProductData.Product("保留"));
        var first = await cache.CurrentAsync(CancellationToken.None);
        Assert.Same(first, await cache.CurrentAsync(CancellationToken.None));

        var product = await _w.A.CreateProductAsync(ProductData.Product("原名"));
        var second = await cache.CurrentAsync(CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.Equal(first.Version + 1, second.Version);
        Assert.Equal(2, second.Index.Count);
        Assert.Equal("原名", second.NameOf(product));
        Assert.Same(second, await cache.CurrentAsync(CancellationToken.None));

        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product("新名", minRateBps: 300, chainIds: [_w.Chain]), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        var third = await cache.CurrentAsync(CancellationToken.None);
        Assert.Equal("新名", third.NameOf(product));
        Assert.True(third.Index.TryGetProduct(product, out var terms));
        Assert.Equal(300, terms.MinRateBps);
        Assert.Equal([_w.Chain], terms.ChainIds);

        await (await _w.A.PostAsync($"/api/v1/products/{product}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        var fourth = await cache.CurrentAsync(CancellationToken.None);
        Assert.False(fourth.Index.TryGetProduct(product, out _));
        Assert.True(fourth.Index.TryGetProduct(kept, out _));
        Assert.False(fourth.HasProducts(_w.BankA));
        Assert.Equal(third.Version + 1, fourth.Version);

        // A fresh instance on the same database builds the same index from scratch.
        using var other = _app.Another();
        var fromScratch = await other.Services.GetRequiredService<MatchingIndexCache>().CurrentAsync(CancellationToken.None);
        Assert.Equal(fourth.Version, fromScratch.Version);
        Assert.Equal(fourth.Names.OrderBy(kv => kv.Key, StringComparer.Ordinal), fromScratch.Names.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [ProviderFact]
    public async Task ConcurrentReaders_WhileProductsChange_NeverGoBackAndEndCurrent()
    {
        var request = await _w.RequestAsync();
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await _w.B.CreateProductAsync(ProductData.Product($"产品{i}", minRateBps: 300 + i, chainIds: [_w.Chain], regions: ["420000"]));
            }
        });
        var reads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = 0;
            while (!writes.IsCompleted)
            {
                var count = (await _w.SmeClient.MatchIdsAsync(request, limit: 100)).Count;
                Assert.True(count >= seen, "A reader went back in time.");
                seen = count;
            }
        })).ToList();

        await writes;
        await Task.WhenAll(reads);
        Assert.Equal(10, (await _w.SmeClient.MatchIdsAsync(request, limit: 100)).Count);
    }

    [ProviderFact]
    public async Task TwoInstancesOnOneDatabase_SeeEachOthersProductChangesAtOnce()
    {
        using var other = _app.Another();
        var smeOnOther = other.ClientWithKey(await _app.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.Sme));
        var bankBOnOther = other.ClientWithKey(await _app.CreateKeyAsync(Role.Bank, institutionId: _w.BankB));

        var productA = await _w.A.CreateProductAsync(ProductData.Product(minRateBps: 450));
        var request = await _w.RequestAsync();

        // Both instances have built their index.
        Assert.Equal([productA], await smeOnOther.MatchIdsAsync(request));
        Assert.Equal([productA], await _w.SmeClient.MatchIdsAsync(request));

        // Created through this instance: the other one serves it on its very next request.
        var productB = await _w.B.CreateProductAsync(ProductData.Product(minRateBps: 380));
        Assert.Equal([productB, productA], await smeOnOther.MatchIdsAsync(request));
        var inbox = await (await bankBOnOther.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(inbox["items"]!.AsArray());

        // Withdrawn through the other instance: gone from this one's matches at once.
        await (await bankBOnOther.PostAsync($"/api/v1/products/{productB}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([productA], await _w.SmeClient.MatchIdsAsync(request));
        await (await _w.B.GetAsync($"/api/v1/financing-requests/{request}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Changed through the other instance: this one ranks by the new rate.
        var productB2 = await bankBOnOther.CreateProductAsync(ProductData.Product(minRateBps: 500));
        Assert.Equal([productA, productB2], await _w.SmeClient.MatchIdsAsync(request));
        await (await bankBOnOther.PutWithIfMatchAsync($"/api/v1/products/{productB2}", ProductData.Product(minRateBps: 300), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([productB2, productA], await _w.SmeClient.MatchIdsAsync(request));
    }

    [ProviderFact]
    public async Task TwoInstancesOnOneDatabase_InboxSeesRequestsMadeAndWithdrawnThroughTheOther()
    {
        using var other = _app.Another();
        var smeOnOther = other.ClientWithKey(await _app.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.Sme));
        var product = await _w.A.CreateProductAsync(ProductData.Product(minRateBps: 450));
        var first = await _w.RequestAsync();
        Assert.Equal([first], await InboxIdsAsync(_w.A));

        // Made through the other instance: in this one's inbox on its very next request.
        var second = await smeOnOther.CreateRequestAsync(ProductData.Request(_w.Chain));
        Assert.Equal([first, second], await InboxIdsAsync(_w.A));

        // An offer keeps it there; withdrawn through the other instance, it leaves at once.
        await (await _w.A.PostJsonAsync($"/api/v1/financing-requests/{first}/offers", ProductData.Offer(product, rateBps: 460))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal([first, second], await InboxIdsAsync(_w.A));
        await (await smeOnOther.PostAsync($"/api/v1/financing-requests/{first}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([second], await InboxIdsAsync(_w.A));

        // Paging over the index: one at a time, in id order.
        var third = await _w.RequestAsync();
        var page = await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests?limit=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second, (string)page["items"]![0]!["request"]!["id"]!);
        var next = await (await _w.A.GetAsync($"/api/v1/banks/me/matched-requests?limit=1&cursor={page["next"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(third, (string)next["items"]![0]!["request"]!["id"]!);
    }

    private static async Task<List<string>> InboxIdsAsync(HttpClient bank)
    {
        var inbox = await (await bank.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        return inbox["items"]!.AsArray().Select(i => (string)i!["request"]!["id"]!).ToList();
    }
}

/// <summary>The index-coherence suite on SQLite.</summary>
public sealed class SqliteIndexCoherenceTests : IndexCoherenceSuite<SqliteProvider>;

/// <summary>The index-coherence suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerIndexCoherenceTests : IndexCoherenceSuite<SqlServerProvider>;
