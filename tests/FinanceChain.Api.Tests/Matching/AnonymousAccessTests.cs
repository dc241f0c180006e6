using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>Every product and matching route refuses a missing or unknown key with 401, and changes nothing.</summary>
public sealed class AnonymousAccessTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;
    private string _product = "";
    private string _request = "";
    private string _offer = "";

    public async Task InitializeAsync()
    {
        _w = await MatchingWorld.CreateAsync(_app);
        _product = await _w.A.CreateProductAsync(ProductData.Product());
        _request = await _w.RequestAsync();
        _offer = await _w.A.CreateOfferAsync(_request, ProductData.Offer(_product));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private IEnumerable<(HttpMethod Method, string Url, object? Body)> Routes() =>
    [
        (HttpMethod.Post, "/api/v1/products", ProductData.Product()),
        (HttpMethod.Get, "/api/v1/products", null),
        (HttpMethod.Get, $"/api/v1/products/{_product}", null),
        (HttpMethod.Put, $"/api/v1/products/{_product}", ProductData.Product(name: "匿名")),
        (HttpMethod.Post, $"/api/v1/products/{_product}/withdraw", null),
        (HttpMethod.Post, "/api/v1/financing-requests", ProductData.Request(_w.Chain)),
        (HttpMethod.Get, "/api/v1/financing-requests", null),
        (HttpMethod.Get, $"/api/v1/financing-requests/{_request}", null),
        (HttpMethod.Post, $"/api/v1/financing-requests/{_request}/withdraw", null),
        (HttpMethod.Get, $"/api/v1/financing-requests/{_request}/matches", null),
        (HttpMethod.Post, $"/api/v1/financing-requests/{_request}/offers", ProductData.Offer(_product)),
        (HttpMethod.Get, $"/api/v1/financing-requests/{_request}/offers", null),
        (HttpMethod.Get, $"/api/v1/offers/{_offer}", null),
        (HttpMethod.Post, $"/api/v1/offers/{_offer}/accept", null),
        (HttpMethod.Get, "/api/v1/banks/me/matched-requests", null),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData("fc_not-a-key")]
    public async Task EveryRoute_WithoutAValidKey_Returns401_AndNothingChanges(string? key)
    {
        var client = _app.ClientWithKey(key);
        foreach (var (method, url, body) in Routes())
        {
            var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            await (await client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        var product = await (await _w.A.GetAsync($"/api/v1/products/{_product}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, product["version"]!.GetValue<long>());
        var request2 = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{_request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", request2["status"]!.GetValue<string>());
        var list = await (await _w.Admin.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list["items"]!.AsArray());
    }
}
