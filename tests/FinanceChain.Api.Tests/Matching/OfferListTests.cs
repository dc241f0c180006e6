using System.Net;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using NodaTime;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>
/// <c>GET /offers?status=</c>: A offers on both SMEs' requests, B on the first; the SME accepts A's offer, so B's is
/// declined. Each role sees its own share, newest first, with the request's status and names.
/// </summary>
public sealed class OfferListTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;
    private string _request = "";
    private string _otherRequest = "";
    private string _acceptedA = "";
    private string _pendingA = "";
    private string _declinedB = "";

    public async Task InitializeAsync()
    {
        _w = await MatchingWorld.CreateAsync(_app);
        var productA = await _w.A.CreateProductAsync(ProductData.Product());
        var productB = await _w.B.CreateProductAsync(ProductData.Product());
        _request = await _w.RequestAsync();
        _otherRequest = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain));
        _acceptedA = await _w.A.CreateOfferAsync(_request, ProductData.Offer(productA));
        _declinedB = await _w.B.CreateOfferAsync(_request, ProductData.Offer(productB));
        _pendingA = await _w.A.CreateOfferAsync(_otherRequest, ProductData.Offer(productA));
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{_acceptedA}/accept", null)).ExpectAsync(HttpStatusCode.OK);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<JsonArray> ItemsAsync(HttpClient client, string query = "") =>
        (await (await client.GetAsync("/api/v1/offers" + query)).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();

    private static List<string> Ids(JsonArray items) => [.. items.Select(i => i!["id"]!.GetValue<string>())];

    private static List<string> NewestFirst(params string[] ids) => [.. ids.OrderDescending(StringComparer.Ordinal)];

    [Fact]
    public async Task Bank_SeesOnlyItsOwnOffers_NewestFirst_WithTheRequestsStatusAndNames()
    {
        var items = await ItemsAsync(_w.A);
        Assert.Equal(NewestFirst(_acceptedA, _pendingA), Ids(items));
        var accepted = items.Single(i => i!["id"]!.GetValue<string>() == _acceptedA)!;
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());
        Assert.Equal("accepted", accepted["requestStatus"]!.GetValue<string>());
        Assert.Equal(_w.Sme, accepted["enterpriseId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(accepted["enterpriseName"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(accepted["institutionName"]!.GetValue<string>()));

        var declined = Assert.Single(await ItemsAsync(_w.B));
        Assert.Equal(_declinedB, declined!["id"]!.GetValue<string>());
        Assert.Equal("declined", declined["status"]!.GetValue<string>());
        Assert.Equal("accepted", declined["requestStatus"]!.GetValue<string>());

        Assert.Empty(await ItemsAsync(_w.C)); // another bank's offers are never shown
    }

    [Fact]
    public async Task Status_FiltersAsTheApiShowsIt_PendingOnAnExpiredRequestIsExpired()
    {
        Assert.Equal([_acceptedA], Ids(await ItemsAsync(_w.A, "?status=accepted")));
        Assert.Equal([_pendingA], Ids(await ItemsAsync(_w.A, "?status=pending")));
        Assert.Empty(await ItemsAsync(_w.A, "?status=declined"));
        Assert.Equal([_declinedB], Ids(await ItemsAsync(_w.B, "?status=declined")));

        _app.Clock.Advance(Duration.FromDays(30));
        Assert.Empty(await ItemsAsync(_w.A, "?status=pending"));
        var expired = Assert.Single(await ItemsAsync(_w.A, "?status=expired"));
        Assert.Equal(_pendingA, expired!["id"]!.GetValue<string>());
        Assert.Equal("expired", expired["requestStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enterprise_SeesTheOffersOnItsRequests_RegulatorAll()
    {
        Assert.Equal(NewestFirst(_acceptedA, _declinedB), Ids(await ItemsAsync(_w.SmeClient)));
        Assert.Equal([_pendingA], Ids(await ItemsAsync(_w.OtherSmeClient)));
        Assert.Equal(NewestFirst(_acceptedA, _declinedB, _pendingA), Ids(await ItemsAsync(_w.Regulator)));
    }

    [Fact]
    public async Task Paged_WithLimitAndCursor()
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await _w.Regulator.GetAsync("/api/v1/offers?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).ExpectAsync(HttpStatusCode.OK);
            Assert.True(page["items"]!.AsArray().Count <= 2);
            seen.AddRange(Ids(page["items"]!.AsArray()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(NewestFirst(_acceptedA, _declinedB, _pendingA), seen);
    }

    [Fact]
    public async Task NoKey401_Admin403_UnknownStatus400()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.ClientWithKey(null).GetAsync("/api/v1/offers")).StatusCode);
        await (await _w.Admin.GetAsync("/api/v1/offers")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _w.A.GetAsync("/api/v1/offers?status=Pending")).ExpectValidationErrorAsync("status");
        await (await _w.A.GetAsync("/api/v1/offers?limit=0")).ExpectValidationErrorAsync("limit");
    }
}
