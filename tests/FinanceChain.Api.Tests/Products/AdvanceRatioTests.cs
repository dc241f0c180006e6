using System.Net;
using System.Text.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Products;

/// <summary>A product's <c>maxAdvanceRatioBps</c>: 9000 unless the bank names another, 1–10000, read back everywhere, and in the OpenAPI document.</summary>
public sealed class AdvanceRatioTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _bank = null!;

    public async Task InitializeAsync()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        _bank = await _app.ClientAsync(Role.Bank, institutionId: await admin.CreateInstitutionAsync());
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Default_Is9000_ABankMayNameAnother_AndChangeIt()
    {
        var plain = await _bank.CreateProductAsync(ProductData.Product());
        Assert.Equal(9000, (await (await _bank.GetAsync($"/api/v1/products/{plain}")).ExpectAsync(HttpStatusCode.OK))["maxAdvanceRatioBps"]!.GetValue<int>());

        var id = await _bank.CreateProductAsync(ProductData.Product().With("maxAdvanceRatioBps", 7000));
        var url = $"/api/v1/products/{id}";
        Assert.Equal(7000, (await (await _bank.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["maxAdvanceRatioBps"]!.GetValue<int>());

        var updated = await (await _bank.PutWithIfMatchAsync(url, ProductData.Product().With("maxAdvanceRatioBps", 10000), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10000, updated["maxAdvanceRatioBps"]!.GetValue<int>());
        var list = await (await _bank.GetAsync("/api/v1/products")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id && p["maxAdvanceRatioBps"]!.GetValue<int>() == 10000);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10001")]
    [InlineData("90.5")]
    [InlineData("\"9000\"")]
    [InlineData("null")]
    public async Task OutsideOneToTenThousand_Returns400OnIt_AndStoresNothing(string json)
    {
        var body = JsonSerializer.SerializeToNode(ProductData.Product())!.AsObject();
        body["maxAdvanceRatioBps"] = System.Text.Json.Nodes.JsonNode.Parse(json);

        await (await _bank.PostRawAsync("/api/v1/products", body.ToJsonString())).ExpectValidationErrorAsync("maxAdvanceRatioBps");

        var list = await (await _bank.GetAsync("/api/v1/products")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task OpenApi_DescribesTheField()
    {
        var document = await (await _app.CreateClient().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!;

        var request = schemas["ProductRequest"]!["properties"]!["maxAdvanceRatioBps"]!;
        Assert.Contains("9000", request["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(schemas["ProductResponse"]!["properties"]!["maxAdvanceRatioBps"]);
    }
}
