using System.Net;
using System.Text.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Products;

public sealed class ProductsApiTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _admin = null!;
    private HttpClient _bank = null!;
    private HttpClient _otherBank = null!;
    private string _institution = "";
    private string _otherInstitution = "";
    private string _chain = "";

    public async Task InitializeAsync()
    {
        _admin = await _app.ClientAsync(Role.Admin);
        _chain = await _admin.CreateChainAsync();
        _institution = await _admin.CreateInstitutionAsync();
        _otherInstitution = await _admin.CreateInstitutionAsync();
        _bank = await _app.ClientAsync(Role.Bank, institutionId: _institution);
        _otherBank = await _app.ClientAsync(Role.Bank, institutionId: _otherInstitution);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<int> CountAsync(string query = "")
    {
        var page = await (await _admin.GetAsync("/api/v1/products?limit=200" + query)).ExpectAsync(HttpStatusCode.OK);
        return page["items"]!.AsArray().Count;
    }

    [Fact]
    public async Task Create_ReturnsProductWithETagAndLocation_InstitutionIsCallers()
    {
        var body = ProductData.Product(chainIds: [_chain], enterpriseSizes: ["small", "micro"], regions: ["420000"], collateral: "receivable", requiresConfirmedReceivable: true)
            .With("institutionId", _otherInstitution).With("status", "withdrawn");
        var response = await _bank.PostJsonAsync("/api/v1/products", body);
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("prd_", id);
        Assert.Equal($"/api/v1/products/{id}", response.Headers.Location?.ToString());
        Assert.Equal(_institution, created["institutionId"]!.GetValue<string>());
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.Equal(100_000m, created["minAmount"]!.GetValue<decimal>());
        Assert.Equal([_chain], created["chainIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["small", "micro"], created["enterpriseSizes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["420000"], created["regions"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(created["requiresConfirmedReceivable"]!.GetValue<bool>());

        // Every role reads it, with the ETag.
        var enterprise = await _app.ClientAsync(Role.Enterprise, enterpriseId: await _admin.CreateEnterpriseAsync(_chain));
        foreach (var client in new[] { _admin, _otherBank, enterprise, await _app.ClientAsync(Role.Regulator) })
        {
            var get = await client.GetAsync($"/api/v1/products/{id}");
            var read = await get.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("\"1\"", get.Headers.ETag?.ToString());
            Assert.Equal("receivable", read["collateral"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Create_WithoutOptionalLists_MeansNoRestriction()
    {
        var body = ProductData.Product();
        body.Remove("chainIds");
        body.Remove("enterpriseSizes");
        body.Remove("regions");
        body.Remove("requiresConfirmedReceivable");
        var created = await (await _bank.PostJsonAsync("/api/v1/products", body)).ExpectAsync(HttpStatusCode.Created);
        Assert.Empty(created["chainIds"]!.AsArray());
        Assert.Empty(created["regions"]!.AsArray());
        Assert.False(created["requiresConfirmedReceivable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Create_UnknownChain_Returns400OnThatChainAndStoresNothing()
    {
        var response = await _bank.PostJsonAsync("/api/v1/products", ProductData.Product(chainIds: [_chain, TestData.UnknownId("chn")]));
        await response.ExpectValidationErrorAsync("chainIds[1]");
        // Only ids of the server's form: not upper-cased, padded or made up.
        foreach (var malformed in new[] { _chain.ToUpperInvariant(), _chain + " ", "chn_missing" })
        {
            await (await _bank.PostJsonAsync("/api/v1/products", ProductData.Product(chainIds: [_chain, malformed]))).ExpectValidationErrorAsync("chainIds");
        }

        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("maxAmount", 50_000, "maxAmount")]
    [InlineData("maxTermDays", 10, "maxTermDays")]
    [InlineData("maxRateBps", 300, "maxRateBps")]
    public async Task Create_InconsistentRange_Returns400OnTheFieldAndStoresNothing(string field, int value, string expected)
    {
        var response = await _bank.PostJsonAsync("/api/v1/products", ProductData.Product().With(field, value));
        await response.ExpectValidationErrorAsync(expected);
        Assert.Equal(0, await CountAsync());
    }

    public static TheoryData<string, string> BadFields() => new()
    {
        { "name", "\"\"" },
        { "name", "\"bad\\u0007name\"" },
        { "name", JsonSerializer.Serialize(new string('x', 201)) },
        { "name", "null" },
        { "type", "\"mortgage\"" },
        { "type", "3" },
        { "minAmount", "0" },
        { "minAmount", "-1" },
        { "minAmount", "1.001" },
        { "maxAmount", "1e14" },
        { "maxAmount", "\"100\"" },
        { "minTermDays", "0" },
        { "maxTermDays", "3651" },
        { "minTermDays", "1.5" },
        { "minRateBps", "-1" },
        { "maxRateBps", "10001" },
        { "chainIds", "[\"\"]" },
        { "chainIds", "\"chn\"" },
        { "chainIds", "[null]" },
        { "enterpriseSizes", "[\"huge\"]" },
        { "regions", "[\"4201\"]" },
        { "regions", "[\"42010x\"]" },
        { "regions", "[null]" },
        { "collateral", "\"gold\"" },
        { "collateral", "null" },
        { "requiresConfirmedReceivable", "\"yes\"" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Create_BadField_Returns400OnItAndStoresNothing(string field, string json)
    {
        var body = JsonSerializer.SerializeToNode(ProductData.Product())!.AsObject();
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        var response = await _bank.PostRawAsync("/api/v1/products", body.ToJsonString());
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.Any(e => e.Key.StartsWith(field, StringComparison.Ordinal)), $"{field}: {problem.ToJsonString()}");
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Create_MissingRequiredField_Returns400()
    {
        foreach (var field in new[] { "name", "type", "minAmount", "maxAmount", "minTermDays", "maxTermDays", "minRateBps", "maxRateBps", "collateral" })
        {
            var body = ProductData.Product();
            body.Remove(field);
            await (await _bank.PostJsonAsync("/api/v1/products", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        }

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Create_OtherRoles_Return403_NoKey401()
    {
        var enterprise = await _app.ClientAsync(Role.Enterprise, enterpriseId: await _admin.CreateEnterpriseAsync(_chain));
        foreach (var client in new[] { _admin, await _app.ClientAsync(Role.Regulator), enterprise })
        {
            await (await client.PostJsonAsync("/api/v1/products", ProductData.Product())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _app.ClientWithKey(null).PostJsonAsync("/api/v1/products", ProductData.Product())).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await _app.ClientWithKey(null).GetAsync("/api/v1/products")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Put_WithoutIfMatch_Returns428_Stale412_Current200WithNewETag()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";
        var changed = ProductData.Product(name: "新名称", minRateBps: 300, chainIds: [_chain]);

        await (await _bank.PutWithIfMatchAsync(url, changed, null)).ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await _bank.PutWithIfMatchAsync(url, changed, "\"7\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _bank.PutWithIfMatchAsync(url, changed, "garbage")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var response = await _bank.PutWithIfMatchAsync(url, changed, "\"1\"");
        var updated = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        Assert.Equal(2, updated["version"]!.GetValue<long>());
        Assert.Equal("新名称", updated["name"]!.GetValue<string>());
        Assert.Equal([_chain], updated["chainIds"]!.AsArray().Select(c => c!.GetValue<string>()));

        // The old ETag is now stale, and the stale write changed nothing.
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(name: "过期写入"), "\"1\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var get = await _bank.GetAsync(url);
        var read = await get.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("新名称", read["name"]!.GetValue<string>());
        Assert.Equal("\"2\"", get.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Put_WeakETag_Returns412_AndChangesNothing()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";

        // If-Match compares strongly: W/"1" does not match the current "1".
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(name: "弱标签"), "W/\"1\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var read = await (await _bank.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, read["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Put_WithdrawnProduct_Returns409_EvenWithItsOldETag()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";
        await (await _bank.PostAsync($"{url}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        // The ETag read before the withdrawal is stale, but the answer that helps is that the product is withdrawn.
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(name: "撤回后"), "\"1\"")).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Put_AnotherBanksProduct_Returns404_OtherRoles403_NothingChanges()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";
        await (await _otherBank.PutWithIfMatchAsync(url, ProductData.Product(name: "抢注"), "\"1\"")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _otherBank.PutWithIfMatchAsync(url, ProductData.Product(name: "抢注"), null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _otherBank.PutWithIfMatchAsync("/api/v1/products/prd_missing", ProductData.Product(), "\"1\"")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.PutWithIfMatchAsync(url, ProductData.Product(name: "管理员"), "\"1\"")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _app.ClientWithKey(null).PutWithIfMatchAsync(url, ProductData.Product(), "\"1\"")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        var read = await (await _bank.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, read["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Put_BadInput_Returns400AndChangesNothing()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(maxAmount: 1m), "\"1\"")).ExpectValidationErrorAsync("maxAmount");
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(chainIds: [TestData.UnknownId("chn")]), "\"1\"")).ExpectValidationErrorAsync("chainIds[0]");
        var read = await (await _bank.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, read["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Withdraw_OwnerOnly_Twice409_HiddenFromOthers_PutRefused()
    {
        var id = await _bank.CreateProductAsync(ProductData.Product());
        var url = $"/api/v1/products/{id}";

        await (await _otherBank.PostAsync($"{url}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.PostAsync($"{url}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var response = await _bank.PostAsync($"{url}/withdraw", null);
        var withdrawn = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn["status"]!.GetValue<string>());
        Assert.NotNull(withdrawn["withdrawnAt"]);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());

        await (await _bank.PostAsync($"{url}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _bank.PutWithIfMatchAsync(url, ProductData.Product(), "\"2\"")).ExpectProblemAsync(HttpStatusCode.Conflict);

        // Only the owner still sees it; it is not listed.
        await (await _bank.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        await (await _otherBank.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task List_FiltersByTypeChainAndInstitution_AndPages()
    {
        var otherChain = await _admin.CreateChainAsync();
        var general = await _bank.CreateProductAsync(ProductData.Product(type: "creditLoan"));
        var forChain = await _bank.CreateProductAsync(ProductData.Product(chainIds: [_chain]));
        var forOther = await _otherBank.CreateProductAsync(ProductData.Product(chainIds: [otherChain]));

        async Task<List<string>> IdsAsync(string query)
        {
            var page = await (await _admin.GetAsync("/api/v1/products?" + query)).ExpectAsync(HttpStatusCode.OK);
            return page["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        }

        Assert.Equal([general], await IdsAsync("type=creditLoan"));
        Assert.Equal(new[] { general, forChain }.Order(StringComparer.Ordinal), await IdsAsync($"chainId={_chain}"));
        Assert.Equal(new[] { general, forOther }.Order(StringComparer.Ordinal), await IdsAsync($"chainId={otherChain}"));
        Assert.Equal([forOther], await IdsAsync($"institutionId={_otherInstitution}"));
        Assert.Equal([forChain], await IdsAsync($"institutionId={_institution}&type=receivablesFinancing"));
        await (await _admin.GetAsync("/api/v1/products?type=mortgage")).ExpectValidationErrorAsync("type");

        var first = await (await _admin.GetAsync("/api/v1/products?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var second = await (await _admin.GetAsync($"/api/v1/products?limit=2&cursor={first["next"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(second["items"]!.AsArray());
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task EveryChange_IsAudited_RejectedOnesAreNot()
    {
        var regulator = await _app.ClientAsync(Role.Regulator);
        var id = await _bank.CreateProductAsync(ProductData.Product());
        await (await _bank.PutWithIfMatchAsync($"/api/v1/products/{id}", ProductData.Product(name: "改"), "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        await (await _bank.PutWithIfMatchAsync($"/api/v1/products/{id}", ProductData.Product(name: "改"), "\"1\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _bank.PostAsync($"/api/v1/products/{id}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _bank.PostAsync($"/api/v1/products/{id}/withdraw", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var trail = await (await regulator.GetAsync($"/api/v1/audit?entityId={id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["product.created", "product.updated", "product.withdrawn"], trail["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(trail["items"]!.AsArray(), e => Assert.Equal("bank", e!["role"]!.GetValue<string>()));
    }
}
