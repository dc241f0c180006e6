using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>The scenario of the issue, end to end through the API.</summary>
public sealed class MatchingScenarioTests : IAsyncLifetime
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
    public async Task ThreeBanksPost_SmeRequests_GetsEligibleBestFirst_BankOffers_SmeAccepts_SecondAcceptanceRefused()
    {
        // Bank A leads the chain.
        var a1 = await _w.A.CreateProductAsync(ProductData.Product("小龙虾产业链应收账款融资", minRateBps: 380, chainIds: [_w.Chain], collateral: "receivable"));
        var a2 = await _w.A.CreateProductAsync(ProductData.Product("小额订单贷", type: "orderFinancing", maxAmount: 200_000m, minRateBps: 300));
        var b1 = await _w.B.CreateProductAsync(ProductData.Product("普惠信用贷", type: "creditLoan", minRateBps: 380));
        var b2 = await _w.B.CreateProductAsync(ProductData.Product("存货质押贷", type: "inventoryPledge", minRateBps: 300, collateral: "inventory"));
        var b3 = await _w.B.CreateProductAsync(ProductData.Product("小微企业信用贷", type: "creditLoan", minRateBps: 500, maxRateBps: 600, enterpriseSizes: ["small", "micro"]));
        var c1 = await _w.C.CreateProductAsync(ProductData.Product("湖南工程机械保理", type: "factoring", minRateBps: 320, regions: ["430000"]));
        var c2 = await _w.C.CreateProductAsync(ProductData.Product("订单融资", type: "orderFinancing", minRateBps: 360, regions: ["420000"]));
        var c3 = await _w.C.CreateProductAsync(ProductData.Product("其他链专属", minRateBps: 250, chainIds: [_w.OtherChain]));

        var request = await _w.RequestAsync(b => b.With("collateralOffered", new[] { "receivable" }));

        var matches = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        var items = matches["items"]!.AsArray();
        // Exactly the eligible ones: a2 lends too little, b2 needs inventory, c1 is for Hunan, c3 for another chain.
        Assert.Equal([c2, a1, b1, b3], items.Select(i => i!["productId"]!.GetValue<string>()));
        Assert.DoesNotContain(a2, items.Select(i => i!["productId"]!.GetValue<string>()));
        Assert.Equal([false, true, false, false], items.Select(i => i!["isLeadBank"]!.GetValue<bool>()));
        Assert.Equal([_w.BankC, _w.BankA, _w.BankB, _w.BankB], items.Select(i => i!["institutionId"]!.GetValue<string>()));
        var scores = items.Select(i => i!["score"]!.GetValue<decimal>()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(96.395m, scores[0]); // 100 − 3.60, not lead (−0.004), no collateral, offered in a region but to every chain (−0.001)

        var reasonsOf = (int i) => items[i]!["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToList();
        Assert.Equal("reasonLowestRate", reasonsOf(0)[0]);
        Assert.Equal("最低利率年化 3.60 %，在符合条件的产品中最低", items[0]!["reasons"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("reasonLeadBank", reasonsOf(1));
        Assert.Contains("reasonAcceptsCollateral", reasonsOf(1));
        Assert.Contains("reasonDesignedForChain", reasonsOf(1));
        Assert.Contains("reasonNoCollateral", reasonsOf(2));
        Assert.Equal("普惠信用贷", items[2]!["productName"]!.GetValue<string>());

        // Bank C sees the request in its inbox with its one eligible product; B with two, best first.
        var inboxC = await (await _w.C.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        var entry = Assert.Single(inboxC["items"]!.AsArray());
        Assert.Equal(request, entry!["request"]!["id"]!.GetValue<string>());
        Assert.Equal([c2], entry["productIds"]!.AsArray().Select(p => p!.GetValue<string>()));
        var inboxB = await (await _w.B.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([b1, b3], Assert.Single(inboxB["items"]!.AsArray())!["productIds"]!.AsArray().Select(p => p!.GetValue<string>()));

        // Offers from C and B; the first makes the request "offered".
        var offerC = await _w.C.CreateOfferAsync(request, ProductData.Offer(c2, rateBps: 380));
        var offered = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", offered["status"]!.GetValue<string>());
        var offerB = await _w.B.CreateOfferAsync(request, ProductData.Offer(b1, amount: 450_000m, rateBps: 390));

        var all = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/offers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, all["items"]!.AsArray().Count);

        // The SME accepts B's offer: one step, C's offer declined.
        var accepted = await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offerB}/accept", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["offer"]!["status"]!.GetValue<string>());
        Assert.Equal("accepted", accepted["request"]!["status"]!.GetValue<string>());
        Assert.Equal(offerB, accepted["request"]!["acceptedOfferId"]!.GetValue<string>());
        Assert.Null(accepted["discount"]);
        Assert.Equal(450_000m, accepted["offer"]!["amount"]!.GetValue<decimal>());

        // A second acceptance, of the same offer or of the declined one, is refused and changes nothing.
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offerB}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offerC}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var declined = await (await _w.C.GetAsync($"/api/v1/offers/{offerC}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("declined", declined["status"]!.GetValue<string>());
        var final = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", final["status"]!.GetValue<string>());
        Assert.Equal(offerB, final["acceptedOfferId"]!.GetValue<string>());

        // Accepted requests leave the inbox.
        var inboxAfter = await (await _w.C.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(inboxAfter["items"]!.AsArray());

        // Every change is audited, rejected calls are not.
        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(
            ["financingRequest.created", "financingRequest.offered", "financingRequest.accepted"],
            trail["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        var offerTrail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={offerC}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["offer.created", "offer.declined"], offerTrail["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
    }
}
