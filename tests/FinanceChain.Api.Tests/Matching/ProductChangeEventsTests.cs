using System.Net;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Api.Tests.Webhooks;
using FinanceChain.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>
/// A product posted or changed so that open requests become eligible for it tells its bank, once per such request,
/// through <c>financingRequest.matched</c>; requests it was already eligible for, and other banks, hear nothing.
/// </summary>
public sealed class ProductChangeEventsTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new(configureServices: services =>
    {
        services.RemoveAll<IWebhookDnsResolver>();
        services.AddSingleton<IWebhookDnsResolver>(new FakeDnsResolver().Answer(WebhookWorld.PublicHost, "8.8.8.8"));
    });

    private MatchingWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await MatchingWorld.CreateAsync(_app);
        await WebhookWorld.SubscribeAsync(_w.A, WebhookWorld.PublicUrl, "financingRequest.matched");
        await WebhookWorld.SubscribeAsync(_w.B, WebhookWorld.PublicUrl, "financingRequest.matched");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ProductMakingRequestsNewlyEligible_TellsItsBankOncePerRequest()
    {
        var small = await _w.RequestAsync(b => b.With("amount", 500_000m));
        var large = await _w.RequestAsync(b => b.With("amount", 8_000_000m));
        var withdrawn = await _w.RequestAsync(b => b.With("amount", 600_000m));
        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{withdrawn}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        // Posted: eligible for the small request only (the withdrawn one takes no offers).
        var product = await _w.A.CreateProductAsync(ProductData.Product(maxAmount: 1_000_000m));
        Assert.Equal([small], await MatchedRequestsAsync(_w.BankA));

        // Widened: the large request is new; the small one was eligible already and is not told again.
        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(maxAmount: 10_000_000m), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([small, large], await MatchedRequestsAsync(_w.BankA));

        // A change that makes nothing newly eligible tells nothing; another bank hears nothing of bank A's products.
        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(maxAmount: 10_000_000m, minRateBps: 360), "\"2\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([small, large], await MatchedRequestsAsync(_w.BankA));
        Assert.Empty(await MatchedRequestsAsync(_w.BankB));
    }

    [Fact]
    public async Task ProductNarrowed_ThenWidenedAgain_TellsAgain()
    {
        var request = await _w.RequestAsync();
        var product = await _w.A.CreateProductAsync(ProductData.Product(regions: ["430000"]));
        Assert.Empty(await MatchedRequestsAsync(_w.BankA));

        await (await _w.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(regions: ["420000"]), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([request], await MatchedRequestsAsync(_w.BankA));
    }

    // The request ids of the matched events delivered (or to be delivered) to the bank's subscription, in event order.
    private async Task<List<string>> MatchedRequestsAsync(string bankId)
    {
        var db = _app.Services.GetRequiredService<Db>();
        var bodies = await db.QueryAsync<string>("""
            SELECT e.body FROM webhook_events e
            JOIN webhook_deliveries d ON d.event_id = e.id
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE s.tenant_id = @BankId AND e.type = 'financingRequest.matched'
            ORDER BY e.id
            """, new { BankId = bankId });
        return bodies.Select(b => System.Text.Json.Nodes.JsonNode.Parse(b)!["data"]!["id"]!.GetValue<string>()).ToList();
    }
}
