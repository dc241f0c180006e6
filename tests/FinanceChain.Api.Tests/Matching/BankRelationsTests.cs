using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>A bank sees an enterprise's confidential figures once the enterprise has a request its products fit, or an offer from it.</summary>
public sealed class BankRelationsTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<bool> SeesFiguresAsync(HttpClient bank, string enterpriseId)
    {
        var one = await (await bank.GetAsync($"/api/v1/enterprises/{enterpriseId}")).ExpectAsync(HttpStatusCode.OK);
        var list = await (await bank.GetAsync("/api/v1/enterprises?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var listed = list["items"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == enterpriseId)!;
        Assert.Equal(one["employees"] is not null, listed["employees"] is not null);
        return one["employees"] is not null && one["annualRevenue"] is not null && one["totalAssets"] is not null;
    }

    [Fact]
    public async Task CatchAllProduct_SeesOnlyLiveRequests_AndTheirOwnersFigures()
    {
        await _w.A.CreateProductAsync(ProductData.Product());
        var withdrawn = await _w.RequestAsync();
        var expired = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain));
        Assert.True(await SeesFiguresAsync(_w.A, _w.Sme));
        await (await _w.A.GetAsync($"/api/v1/financing-requests/{withdrawn}")).ExpectAsync(HttpStatusCode.OK);

        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{withdrawn}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        foreach (var url in new[] { "", "/matches", "/offers" })
        {
            await (await _w.A.GetAsync($"/api/v1/financing-requests/{withdrawn}{url}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.False(await SeesFiguresAsync(_w.A, _w.Sme));

        // Thirty days on, the other request has expired too.
        Assert.True(await SeesFiguresAsync(_w.A, _w.OtherSme));
        _app.Clock.Advance(NodaTime.Duration.FromDays(31));
        await (await _w.A.GetAsync($"/api/v1/financing-requests/{expired}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.A.GetAsync($"/api/v1/financing-requests/{expired}/matches")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await SeesFiguresAsync(_w.A, _w.OtherSme));
    }

    [Fact]
    public async Task ConfidentialFigures_ForBanksWithAnEligibleProductOrAnOffer_Only()
    {
        var productA = await _w.A.CreateProductAsync(ProductData.Product());
        await _w.C.CreateProductAsync(ProductData.Product(regions: ["430000"]));
        Assert.False(await SeesFiguresAsync(_w.A, _w.Sme));

        await _w.RequestAsync();

        Assert.True(await SeesFiguresAsync(_w.A, _w.Sme));
        Assert.False(await SeesFiguresAsync(_w.A, _w.OtherSme));
        Assert.False(await SeesFiguresAsync(_w.B, _w.Sme));
        Assert.False(await SeesFiguresAsync(_w.C, _w.Sme));

        // An offer keeps the relation after the product is withdrawn; without one it ends with the product.
        var request = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain));
        await _w.A.CreateOfferAsync(request, ProductData.Offer(productA));
        await (await _w.A.PostAsync($"/api/v1/products/{productA}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(await SeesFiguresAsync(_w.A, _w.OtherSme));
        Assert.False(await SeesFiguresAsync(_w.A, _w.Sme));
    }
}
