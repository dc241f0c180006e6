using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;

namespace FinanceChain.Api.Tests.Products;

/// <summary>Builders for products, financing requests and offers; bodies are dictionaries so that a test can change one field.</summary>
public static class ProductData
{
    public static Dictionary<string, object?> Product(
        string name = "供应链应收账款融资",
        string type = "receivablesFinancing",
        decimal minAmount = 100_000m,
        decimal maxAmount = 5_000_000m,
        int minTermDays = 30,
        int maxTermDays = 365,
        int minRateBps = 350,
        int maxRateBps = 550,
        string[]? chainIds = null,
        string[]? enterpriseSizes = null,
        string[]? regions = null,
        string collateral = "none",
        bool requiresConfirmedReceivable = false) => new()
        {
            ["name"] = name,
            ["type"] = type,
            ["minAmount"] = minAmount,
            ["maxAmount"] = maxAmount,
            ["minTermDays"] = minTermDays,
            ["maxTermDays"] = maxTermDays,
            ["minRateBps"] = minRateBps,
            ["maxRateBps"] = maxRateBps,
            ["chainIds"] = chainIds ?? [],
            ["enterpriseSizes"] = enterpriseSizes ?? [],
            ["regions"] = regions ?? [],
            ["collateral"] = collateral,
            ["requiresConfirmedReceivable"] = requiresConfirmedReceivable,
        };

    public static Dictionary<string, object?> Request(
        string chainId,
        decimal amount = 500_000m,
        int termDays = 90,
        string purpose = "采购原材料",
        string[]? acceptableTypes = null,
        string[]? collateralOffered = null,
        int? maxRateBps = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["chainId"] = chainId,
            ["amount"] = amount,
            ["termDays"] = termDays,
            ["purpose"] = purpose,
            ["acceptableTypes"] = acceptableTypes ?? [],
            ["collateralOffered"] = collateralOffered ?? [],
        };
        if (maxRateBps is not null)
        {
            body["maxRateBps"] = maxRateBps;
        }

        return body;
    }

    public static Dictionary<string, object?> Offer(string productId, decimal amount = 500_000m, int rateBps = 400, int termDays = 90) => new()
    {
        ["productId"] = productId,
        ["amount"] = amount,
        ["rateBps"] = rateBps,
        ["termDays"] = termDays,
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }

    public static async Task<string> CreateProductAsync(this HttpClient bank, Dictionary<string, object?> body) =>
        (await (await bank.PostJsonAsync("/api/v1/products", body)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> CreateRequestAsync(this HttpClient enterprise, Dictionary<string, object?> body) =>
        (await (await enterprise.PostJsonAsync("/api/v1/financing-requests", body)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> CreateOfferAsync(this HttpClient bank, string requestId, Dictionary<string, object?> body) =>
        (await (await bank.PostJsonAsync($"/api/v1/financing-requests/{requestId}/offers", body)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static Task<HttpResponseMessage> PutWithIfMatchAsync(this HttpClient client, string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static async Task PairLeadBankAsync(this HttpClient admin, string chainId, string institutionId) =>
        await (await admin.PutAsJsonAsync($"/api/v1/chains/{chainId}/lead-bank", new { institutionId })).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The product ids of a request's matches, best first.</summary>
    public static async Task<List<string>> MatchIdsAsync(this HttpClient client, string requestId, int limit = 10)
    {
        var matches = await (await client.GetAsync($"/api/v1/financing-requests/{requestId}/matches?limit={limit}")).ExpectAsync(HttpStatusCode.OK);
        return matches["items"]!.AsArray().Select(m => m!["productId"]!.GetValue<string>()).ToList();
    }
}
