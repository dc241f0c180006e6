using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>Ties in rate are broken through the API exactly as the contract says.</summary>
public sealed class RankingApiTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EqualRates_LeadBankFirst_ThenNoCollateral_ThenChainSpecific_ThenId()
    {
        var cheaper = await _w.B.CreateProductAsync(ProductData.Product("更低利率", minRateBps: 399, collateral: "receivable"));
        var lead = await _w.A.CreateProductAsync(ProductData.Product("牵头行", minRateBps: 400, collateral: "receivable"));
        var chainSpecific = await _w.C.CreateProductAsync(ProductData.Product("链专属", minRateBps: 400, chainIds: [_w.Chain]));
        var general1 = await _w.B.CreateProductAsync(ProductData.Product("通用一", minRateBps: 400));
        var general2 = await _w.C.CreateProductAsync(ProductData.Product("通用二", minRateBps: 400));
        var secured = await _w.B.CreateProductAsync(ProductData.Product("需担保", minRateBps: 400, collateral: "receivable", chainIds: [_w.Chain]));
        var dearer = await _w.A.CreateProductAsync(ProductData.Product("更高利率", minRateBps: 401));

        var request = await _w.RequestAsync(b => b.With("collateralOffered", new[] { "receivable" }));
        var byId = new[] { general1, general2 }.Order(StringComparer.Ordinal).ToArray();

        var matches = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        var items = matches["items"]!.AsArray();
        Assert.Equal(
            [cheaper, lead, chainSpecific, byId[0], byId[1], secured, dearer],
            items.Select(i => i!["productId"]!.GetValue<string>()));
        var scores = items.Select(i => i!["score"]!.GetValue<decimal>()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(scores[3], scores[4]); // only the id separates the two general products
        Assert.Equal(6, scores.Distinct().Count());
        Assert.Equal("reasonRateAboveLowest", items[1]!["reasons"]![0]!["code"]!.GetValue<string>());
        Assert.EndsWith("高 0.01 %", items[1]!["reasons"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The same request asked again gives the same order.
        Assert.Equal(items.Select(i => i!["productId"]!.GetValue<string>()), await _w.SmeClient.MatchIdsAsync(request));
    }

    [Fact]
    public async Task LeadBank_IsReadAtMatchTime_SoANewPairingReordersTies()
    {
        var productA = await _w.A.CreateProductAsync(ProductData.Product(minRateBps: 420));
        var productC = await _w.C.CreateProductAsync(ProductData.Product(minRateBps: 420));
        var request = await _w.RequestAsync();
        Assert.Equal([productA, productC], await _w.SmeClient.MatchIdsAsync(request));

        await _w.Admin.PairLeadBankAsync(_w.Chain, _w.BankC);

        var matches = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([productC, productA], matches["items"]!.AsArray().Select(i => i!["productId"]!.GetValue<string>()));
        Assert.True(matches["items"]![0]!["isLeadBank"]!.GetValue<bool>());
        Assert.False(matches["items"]![1]!["isLeadBank"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Limit_CutsTheList_DefaultIsTen_BadLimit400()
    {
        for (var i = 0; i < 12; i++)
        {
            await _w.B.CreateProductAsync(ProductData.Product($"产品{i}", minRateBps: 300 + i));
        }

        var request = await _w.RequestAsync();
        Assert.Equal(10, (await _w.SmeClient.MatchIdsAsync(request, limit: 10)).Count);
        var byDefault = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10, byDefault["items"]!.AsArray().Count);
        Assert.Equal(3, (await _w.SmeClient.MatchIdsAsync(request, limit: 3)).Count);
        Assert.Equal(12, (await _w.SmeClient.MatchIdsAsync(request, limit: 1000)).Count);
        await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches?limit=0")).ExpectValidationErrorAsync("limit");
    }

    [Fact]
    public async Task RateCeiling_TypesAndSize_FilterThroughTheApi()
    {
        var overCeiling = await _w.B.CreateProductAsync(ProductData.Product(minRateBps: 451));
        var atCeiling = await _w.B.CreateProductAsync(ProductData.Product(minRateBps: 450));
        var factoring = await _w.C.CreateProductAsync(ProductData.Product(type: "factoring", minRateBps: 300));
        var largeOnly = await _w.C.CreateProductAsync(ProductData.Product(minRateBps: 300, enterpriseSizes: ["large"]));
        var hubei = await _w.C.CreateProductAsync(ProductData.Product(minRateBps: 310, regions: ["420100"]));

        var request = await _w.RequestAsync(b => b.With("maxRateBps", 450).With("acceptableTypes", new[] { "receivablesFinancing" }));
        var ids = await _w.SmeClient.MatchIdsAsync(request);
        Assert.Equal([hubei, atCeiling], ids);
        Assert.DoesNotContain(overCeiling, ids);
        Assert.DoesNotContain(factoring, ids);
        Assert.DoesNotContain(largeOnly, ids);
    }
}
