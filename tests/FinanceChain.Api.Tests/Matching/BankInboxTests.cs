using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

public sealed class BankInboxTests : IAsyncLifetime
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
    public async Task Inbox_ListsTheBest20OfABanksEligibleProducts_BestFirst()
    {
        var products = new List<(int Rate, string Id)>();
        for (var i = 0; i < 24; i++)
        {
            var rate = 450 - (i * 7 % 24) * 5;
            products.Add((rate, await _w.A.CreateProductAsync(ProductData.Product($"产品{i}", minRateBps: rate))));
        }

        await _w.RequestAsync();

        var inbox = await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        var listed = Assert.Single(inbox["items"]!.AsArray())!["productIds"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal(products.OrderBy(p => p.Rate).Take(20).Select(p => p.Id), listed);
    }

    [Fact]
    public async Task Inbox_OnlyLiveRequestsItsProductsFit_OldestFirst_Paged()
    {
        var small = await _w.A.CreateProductAsync(ProductData.Product(maxAmount: 1_000_000m));
        var large = await _w.A.CreateProductAsync(ProductData.Product(minAmount: 800_000m, maxAmount: 9_000_000m, minRateBps: 300));
        var first = await _w.RequestAsync();
        var tooBig = await _w.RequestAsync(b => b.With("amount", 50_000_000m));
        var second = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain, amount: 900_000m));
        var withdrawn = await _w.RequestAsync();
        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{withdrawn}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        var third = await _w.RequestAsync();

        var page1 = await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var items1 = page1["items"]!.AsArray();
        Assert.Equal([first, second], items1.Select(i => i!["request"]!["id"]!.GetValue<string>()));
        Assert.Equal([small], items1[0]!["productIds"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal([large, small], items1[1]!["productIds"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(500_000m, items1[0]!["request"]!["amount"]!.GetValue<decimal>());

        var page2 = await (await _w.A.GetAsync($"/api/v1/banks/me/matched-requests?limit=2&cursor={page1["next"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([third], page2["items"]!.AsArray().Select(i => i!["request"]!["id"]!.GetValue<string>()));
        Assert.Null(page2["next"]);
        Assert.DoesNotContain(tooBig, page2.ToJsonString());

        // A bank without products has an empty inbox; other roles may not ask.
        var empty = await (await _w.B.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(empty["items"]!.AsArray());
        foreach (var client in new[] { _w.SmeClient, _w.Admin, _w.Regulator })
        {
            await (await client.GetAsync("/api/v1/banks/me/matched-requests")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _app.ClientWithKey(null).GetAsync("/api/v1/banks/me/matched-requests")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests?limit=0")).ExpectValidationErrorAsync("limit");
    }
}
