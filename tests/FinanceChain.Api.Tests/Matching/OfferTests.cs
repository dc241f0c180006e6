using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

public sealed class OfferTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;
    private string _productA = "";
    private string _productB = "";
    private string _request = "";

    public async Task InitializeAsync()
    {
        _w = await MatchingWorld.CreateAsync(_app);
        // A lends 100,000–5,000,000 for 30–365 days at 3.50–5.50 %; the request asks 500,000 for 90 days, at most 5.00 %.
        _productA = await _w.A.CreateProductAsync(ProductData.Product());
        _productB = await _w.B.CreateProductAsync(ProductData.Product(minRateBps: 380));
        _request = await _w.RequestAsync(b => b.With("maxRateBps", 500));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private string OffersUrl => $"/api/v1/financing-requests/{_request}/offers";

    private async Task AssertNothingOfferedAsync()
    {
        var offers = await (await _w.SmeClient.GetAsync(OffersUrl)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(offers["items"]!.AsArray());
        var request = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("open", request["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ReturnsPendingOffer_RequestBecomesOffered()
    {
        var response = await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productA, amount: 400_000.5m, rateBps: 420, termDays: 120));
        var offer = await response.ExpectAsync(HttpStatusCode.Created);
        var id = offer["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/offers/{id}", response.Headers.Location?.ToString());
        Assert.Equal("pending", offer["status"]!.GetValue<string>());
        Assert.Equal(_w.BankA, offer["institutionId"]!.GetValue<string>());
        Assert.Equal(400_000.5m, offer["amount"]!.GetValue<decimal>());
        Assert.Equal("receivablesFinancing", offer["productType"]!.GetValue<string>());
        var request = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", request["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithdrawProduct_DeclinesItsPendingOffers_WhichCanNoLongerBeAccepted()
    {
        var offerA = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        var offerB = await _w.B.CreateOfferAsync(_request, ProductData.Offer(_productB));

        await (await _w.A.PostAsync($"/api/v1/products/{_productA}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        var declined = await (await _w.SmeClient.GetAsync($"/api/v1/offers/{offerA}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("declined", declined["status"]!.GetValue<string>());
        var other = await (await _w.SmeClient.GetAsync($"/api/v1/offers/{offerB}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", other["status"]!.GetValue<string>());
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offerA}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={offerA}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["offer.created", "offer.declined"], trail["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Accept_PendingOfferOnAnInactiveProduct_Returns409_AndNothingChanges()
    {
        var offer = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        // A pending offer whose product is no longer active (as left by data from before withdrawals declined offers).
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.DatabaseFile}"))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE products SET active = 0 WHERE id = @Id", new { Id = _productA });
        }

        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var offerNow = await (await _w.SmeClient.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
        var request = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", request["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_OnWithdrawnRequest_Returns409()
    {
        var first = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        await (await _w.SmeClient.PostAsync($"/api/v1/financing-requests/{_request}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        // A bank that offered still sees the request and is told it takes no more offers; a bank whose product
        // merely matched no longer sees a request that is not live.
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.B.PostJsonAsync(OffersUrl, ProductData.Offer(_productB))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var offers = await (await _w.SmeClient.GetAsync(OffersUrl)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([first], offers["items"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_OnAcceptedRequest_Returns409()
    {
        var offer = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        await (await _w.SmeClient.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.B.PostJsonAsync(OffersUrl, ProductData.Offer(_productB))).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_WithAProductThatDoesNotMatch_Returns400OnProductId_SayingWhy()
    {
        var hunan = await _w.A.CreateProductAsync(ProductData.Product("湖南专属", regions: ["430000"]));
        var problem = await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(hunan))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["productNotEligible", "ruleRegionNotOffered"], problem["errorCodes"]!["productId"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("该产品只在湖南省提供，不覆盖湖北省武汉市", problem["errors"]!["productId"]![1]!.GetValue<string>());
        await AssertNothingOfferedAsync();
    }

    [Fact]
    public async Task Create_WithAnotherBanksProduct_Returns400OnProductId()
    {
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productB))).ExpectValidationErrorAsync("productId");
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(TestData.UnknownId("prd")))).ExpectValidationErrorAsync("productId");
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productA.ToUpperInvariant()))).ExpectValidationErrorAsync("productId");
        await AssertNothingOfferedAsync();
    }

    [Fact]
    public async Task Create_WithAWithdrawnProduct_Returns400OnProductId()
    {
        var second = await _w.A.CreateProductAsync(ProductData.Product("第二个"));
        await (await _w.A.PostAsync($"/api/v1/products/{second}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(second))).ExpectValidationErrorAsync("productId");
        await AssertNothingOfferedAsync();
    }

    [Theory]
    [InlineData(500_000.01, 400, 90, "amount")]    // more than asked for
    [InlineData(99_999.99, 400, 90, "amount")]     // below the product's minimum
    [InlineData(500_000, 349, 90, "rateBps")]      // below the product's rates
    [InlineData(500_000, 501, 90, "rateBps")]      // above the request's ceiling (and within the product's)
    [InlineData(500_000, 400, 29, "termDays")]     // shorter than the product's terms
    [InlineData(500_000, 400, 366, "termDays")]    // longer than the product's terms
    public async Task Create_TermsOutsideTheProductOrTheRequest_Return400OnTheField(double amount, int rateBps, int termDays, string field)
    {
        await (await _w.A.PostJsonAsync(OffersUrl, ProductData.Offer(_productA, (decimal)amount, rateBps, termDays))).ExpectValidationErrorAsync(field);
        await AssertNothingOfferedAsync();
    }

    public static TheoryData<string, string> BadFields() => new()
    {
        { "productId", "\"\"" },
        { "productId", "null" },
        { "productId", JsonSerializer.Serialize(new string('p', 41)) },
        { "amount", "0" },
        { "amount", "-1" },
        { "amount", "0.001" },
        { "amount", "1e20" },
        { "rateBps", "-1" },
        { "rateBps", "10001" },
        { "rateBps", "\"400\"" },
        { "termDays", "0" },
        { "termDays", "3651" },
        { "termDays", "null" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Create_BadField_Returns400OnIt_AndStoresNothing(string field, string json)
    {
        var body = JsonSerializer.SerializeToNode(ProductData.Offer(_productA))!.AsObject();
        body[field] = JsonNode.Parse(json);
        var problem = await (await _w.A.PostRawAsync(OffersUrl, body.ToJsonString())).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().Any(e => e.Key.StartsWith(field, StringComparison.Ordinal)), $"{field}: {problem.ToJsonString()}");
        await AssertNothingOfferedAsync();
    }

    [Fact]
    public async Task Create_ByABankThatCannotSeeTheRequest_Returns404_OtherRoles403()
    {
        await _w.C.CreateProductAsync(ProductData.Product(minAmount: 10_000_000m, maxAmount: 20_000_000m));
        await (await _w.C.PostJsonAsync(OffersUrl, ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.A.PostJsonAsync("/api/v1/financing-requests/frq_missing/offers", ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.NotFound);
        foreach (var client in new[] { _w.SmeClient, _w.Admin, _w.Regulator })
        {
            await (await client.PostJsonAsync(OffersUrl, ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _app.ClientWithKey(null).PostJsonAsync(OffersUrl, ProductData.Offer(_productA))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await AssertNothingOfferedAsync();
    }

    [Fact]
    public async Task Read_OwnerSeesAll_BankSeesItsOwn_OthersGet404()
    {
        var offerA = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        var offerB = await _w.B.CreateOfferAsync(_request, ProductData.Offer(_productB, rateBps: 380));

        async Task<List<string>> IdsAsync(HttpClient client)
        {
            var page = await (await client.GetAsync(OffersUrl)).ExpectAsync(HttpStatusCode.OK);
            return page["items"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
        }

        var both = new[] { offerA, offerB }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(both, await IdsAsync(_w.SmeClient));
        Assert.Equal(both, await IdsAsync(_w.Regulator));
        Assert.Equal(both, await IdsAsync(_w.Admin));
        Assert.Equal([offerA], await IdsAsync(_w.A));
        Assert.Equal([offerB], await IdsAsync(_w.B));
        await (await _w.OtherSmeClient.GetAsync(OffersUrl)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.C.GetAsync(OffersUrl)).ExpectProblemAsync(HttpStatusCode.NotFound);

        foreach (var client in new[] { _w.SmeClient, _w.A, _w.Admin, _w.Regulator })
        {
            await (await client.GetAsync($"/api/v1/offers/{offerA}")).ExpectAsync(HttpStatusCode.OK);
        }

        foreach (var client in new[] { _w.B, _w.C, _w.OtherSmeClient })
        {
            await (await client.GetAsync($"/api/v1/offers/{offerA}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _app.ClientWithKey(null).GetAsync($"/api/v1/offers/{offerA}")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await _w.SmeClient.GetAsync("/api/v1/offers/ofr_missing")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accept_OnlyByTheRequester_OthersGet404Or403_AndNothingChanges()
    {
        var offer = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        var url = $"/api/v1/offers/{offer}/accept";
        await (await _w.OtherSmeClient.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.SmeClient.PostAsync("/api/v1/offers/ofr_missing/accept", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        foreach (var client in new[] { _w.A, _w.Admin, _w.Regulator })
        {
            await (await client.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _app.ClientWithKey(null).PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var read = await (await _w.SmeClient.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", read["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Accept_TwoAtOnce_ExactlyOneWins_TheOtherIs409()
    {
        var offerA = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        var offerB = await _w.B.CreateOfferAsync(_request, ProductData.Offer(_productB, rateBps: 380));
        var secondClient = _app.ClientWithKey(await _app.CreateKeyAsync(Domain.Role.Enterprise, enterpriseId: _w.Sme));

        var responses = await Task.WhenAll(
            _w.SmeClient.PostAsync($"/api/v1/offers/{offerA}/accept", null),
            secondClient.PostAsync($"/api/v1/offers/{offerB}/accept", null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var winner = responses[0].StatusCode == HttpStatusCode.OK ? offerA : offerB;
        var loser = winner == offerA ? offerB : offerA;
        var request = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", request["status"]!.GetValue<string>());
        Assert.Equal(winner, request["acceptedOfferId"]!.GetValue<string>());
        Assert.Equal("accepted", (await (await _w.SmeClient.GetAsync($"/api/v1/offers/{winner}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Equal("declined", (await (await _w.SmeClient.GetAsync($"/api/v1/offers/{loser}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(trail["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "financingRequest.accepted");
    }

    [Fact]
    public async Task Accept_SameOfferTwiceAtOnce_ExactlyOneWins()
    {
        var offer = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_productA));
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _w.SmeClient.PostAsync($"/api/v1/offers/{offer}/accept", null)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }
}
