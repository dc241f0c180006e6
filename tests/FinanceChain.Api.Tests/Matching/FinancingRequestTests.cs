using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Tests.Matching;

public sealed class FinancingRequestTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<int> StoredCountAsync()
    {
        var page = await (await _w.Admin.GetAsync("/api/v1/financing-requests?limit=200")).ExpectAsync(HttpStatusCode.OK);
        return page["items"]!.AsArray().Count;
    }

    [Fact]
    public async Task Create_SizeAndRegionFromRegistry_OpenUntilLifetimeEnds()
    {
        var body = ProductData.Request(_w.Chain, acceptableTypes: ["creditLoan", "factoring", "creditLoan"], collateralOffered: ["guarantee"], maxRateBps: 500)
            .With("enterpriseSize", "micro").With("region", "110000").With("status", "accepted").With("enterpriseId", _w.OtherSme);
        var response = await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", body);
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/financing-requests/{id}", response.Headers.Location?.ToString());
        Assert.Equal(_w.Sme, created["enterpriseId"]!.GetValue<string>());
        Assert.Equal("small", created["enterpriseSize"]!.GetValue<string>());
        Assert.Equal("420100", created["region"]!.GetValue<string>());
        Assert.Equal("open", created["status"]!.GetValue<string>());
        Assert.Equal(["factoring", "creditLoan"], created["acceptableTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(500, created["maxRateBps"]!.GetValue<int>());
        Assert.Equal(FinanceChainApp.DefaultNow.Plus(Duration.FromDays(30)), InstantPattern(created["expiresAt"]!));

        var read = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Create_ChainTheEnterpriseIsNotIn_Returns400OnChainId_AndStoresNothing()
    {
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.OtherChain))).ExpectValidationErrorAsync("chainId");
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(TestData.UnknownId("chn")))).ExpectValidationErrorAsync("chainId");
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.Chain.ToUpperInvariant()))).ExpectValidationErrorAsync("chainId");
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.Chain + " "))).ExpectValidationErrorAsync("chainId");
        Assert.Equal(0, await StoredCountAsync());
    }

    [Theory]
    [InlineData("receivableId", "rcv_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f")]
    [InlineData("noteId", "nte_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f")]
    [InlineData("receivableId", "rcv_someone_elses")]
    [InlineData("noteId", "note_someone_elses")]
    public async Task Create_NamingAnUnknownNoteOrReceivable_Returns400OnIt_AndStoresNothing(string field, string value)
    {
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.Chain).With(field, value))).ExpectValidationErrorAsync(field);
        Assert.Equal(0, await StoredCountAsync());
    }

    public static TheoryData<string, string> BadFields() => new()
    {
        { "chainId", "\"\"" },
        { "chainId", "null" },
        { "chainId", JsonSerializer.Serialize(new string('c', 41)) },
        { "amount", "0" },
        { "amount", "-5" },
        { "amount", "1.001" },
        { "amount", "1e14" },
        { "amount", "\"500000\"" },
        { "termDays", "0" },
        { "termDays", "3651" },
        { "termDays", "30.5" },
        { "purpose", "\"\"" },
        { "purpose", "\"  \"" },
        { "purpose", "\"a\\u001bb\"" },
        { "purpose", JsonSerializer.Serialize(new string('p', 501)) },
        { "acceptableTypes", "[\"mortgage\"]" },
        { "acceptableTypes", "\"creditLoan\"" },
        { "collateralOffered", "[\"gold\"]" },
        { "collateralOffered", "[null]" },
        { "maxRateBps", "-1" },
        { "maxRateBps", "10001" },
        { "maxRateBps", "4.5" },
        { "receivableId", "\"\"" },
        { "noteId", JsonSerializer.Serialize(new string('n', 41)) },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Create_BadField_Returns400OnIt_AndStoresNothing(string field, string json)
    {
        var body = JsonSerializer.SerializeToNode(ProductData.Request(_w.Chain))!.AsObject();
        body[field] = JsonNode.Parse(json);
        var problem = await (await _w.SmeClient.PostRawAsync("/api/v1/financing-requests", body.ToJsonString())).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().Any(e => e.Key.StartsWith(field, StringComparison.Ordinal)), $"{field}: {problem.ToJsonString()}");
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task Create_OtherRoles403_NoKey401()
    {
        foreach (var client in new[] { _w.Admin, _w.Regulator, _w.A })
        {
            await (await client.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.Chain))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _app.ClientWithKey(null).PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.Chain))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task Get_OwnerRegulatorAdminAndBanksWithAnEligibleProductOrAnOffer_OthersGet404()
    {
        var productA = await _w.A.CreateProductAsync(ProductData.Product());
        await _w.B.CreateProductAsync(ProductData.Product(minAmount: 10_000_000m, maxAmount: 20_000_000m)); // B's product lends too much
        var request = await _w.RequestAsync();
        var url = $"/api/v1/financing-requests/{request}";

        foreach (var client in new[] { _w.SmeClient, _w.Admin, _w.Regulator, _w.A })
        {
            await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        }

        foreach (var client in new[] { _w.OtherSmeClient, _w.B, _w.C })
        {
            await (await client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/matches")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/offers")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _w.SmeClient.GetAsync("/api/v1/financing-requests/frq_missing")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _app.ClientWithKey(null).GetAsync(url)).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        // A bank that offered keeps seeing the request after withdrawing its product; its matches need a live product.
        await _w.A.CreateOfferAsync(request, ProductData.Offer(productA));
        await (await _w.A.PostAsync($"/api/v1/products/{productA}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.A.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.A.GetAsync($"{url}/offers")).ExpectAsync(HttpStatusCode.OK);
        await (await _w.A.GetAsync($"{url}/matches")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_OwnForEnterprise_AllForAdminAndRegulator_403ForBanks()
    {
        var mine = await _w.RequestAsync();
        var theirs = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain));

        async Task<List<string>> IdsAsync(HttpClient client)
        {
            var page = await (await client.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
            return page["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        }

        Assert.Equal([mine], await IdsAsync(_w.SmeClient));
        Assert.Equal([theirs], await IdsAsync(_w.OtherSmeClient));
        Assert.Equal(new[] { mine, theirs }.Order(StringComparer.Ordinal), await IdsAsync(_w.Admin));
        Assert.Equal(new[] { mine, theirs }.Order(StringComparer.Ordinal), await IdsAsync(_w.Regulator));
        await (await _w.A.GetAsync("/api/v1/financing-requests")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _app.ClientWithKey(null).GetAsync("/api/v1/financing-requests")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Withdraw_OwnerOnly_DeclinesPendingOffers_Twice409()
    {
        var product = await _w.A.CreateProductAsync(ProductData.Product());
        var request = await _w.RequestAsync();
        var offer = await _w.A.CreateOfferAsync(request, ProductData.Offer(product));
        var url = $"/api/v1/financing-requests/{request}/withdraw";

        await (await _w.OtherSmeClient.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.A.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _w.Admin.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _app.ClientWithKey(null).PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        var withdrawn = await (await _w.SmeClient.PostAsync(url, null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn["status"]!.GetValue<string>());
        await (await _w.SmeClient.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var declined = await (await _w.A.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("declined", declined["status"]!.GetValue<string>());
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var inbox = await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(inbox["items"]!.AsArray());
    }

    [Fact]
    public async Task Expiry_AfterTheLifetime_RequestIsExpired_AndNothingMoves()
    {
        var product = await _w.A.CreateProductAsync(ProductData.Product());
        var request = await _w.RequestAsync();
        var offer = await _w.A.CreateOfferAsync(request, ProductData.Offer(product));
        var url = $"/api/v1/financing-requests/{request}";

        _app.Clock.Advance(Duration.FromDays(30) - Duration.FromSeconds(1));
        Assert.Equal("offered", (await (await _w.SmeClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Single((await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());

        _app.Clock.Advance(Duration.FromSeconds(1));
        Assert.Equal("expired", (await (await _w.SmeClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Equal("expired", (await (await _w.A.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Empty((await (await _w.A.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());

        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.SmeClient.PostAsync($"{url}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.A.PostJsonAsync($"{url}/offers", ProductData.Offer(product))).ExpectProblemAsync(HttpStatusCode.Conflict);

        var offers = await (await _w.SmeClient.GetAsync($"{url}/offers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("expired", Assert.Single(offers["items"]!.AsArray())!["status"]!.GetValue<string>());
        var list = await (await _w.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("expired", list["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expiry_LifetimeIsConfigurable()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["Matching:RequestLifetimeDays"] = "7" });
        var world = await MatchingWorld.CreateAsync(app);
        var created = await (await world.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(world.Chain))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(FinanceChainApp.DefaultNow.Plus(Duration.FromDays(7)), InstantPattern(created["expiresAt"]!));

        app.Clock.Advance(Duration.FromDays(7));
        var read = await (await world.SmeClient.GetAsync($"/api/v1/financing-requests/{created["id"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("expired", read["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Audit_CreatedAndWithdrawn_RejectedCallsAbsent()
    {
        var request = await _w.RequestAsync();
        await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", ProductData.Request(_w.OtherChain))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{request}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{request}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var trail = await (await _w.Regulator.GetAsync("/api/v1/audit?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var mine = trail["items"]!.AsArray().Where(e => e!["entityType"]!.GetValue<string>() == "financingRequest").ToList();
        Assert.Equal(["financingRequest.created", "financingRequest.withdrawn"], mine.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(mine, e => Assert.Equal("enterprise", e!["role"]!.GetValue<string>()));
    }

    private static Instant InstantPattern(JsonNode node) => NodaTime.Text.InstantPattern.General.Parse(node.GetValue<string>()).Value;
}
