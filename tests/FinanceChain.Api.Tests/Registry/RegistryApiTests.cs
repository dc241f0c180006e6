using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Registry;

public sealed class RegistryApiTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await _app.ClientAsync(Role.Admin);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Chain_CreateThenGet_ReturnsIt()
    {
        var created = await (await _admin.PostJsonAsync("/api/v1/chains", new { code = "HB-AUTO", name = "汽车", category = "manufacturing", region = "420100", chief = "省领导" }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        var fetched = await (await _admin.GetAsync($"/api/v1/chains/{id}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("HB-AUTO", fetched["code"]!.GetValue<string>());
        Assert.Equal("汽车", fetched["name"]!.GetValue<string>());
        Assert.Equal("manufacturing", fetched["category"]!.GetValue<string>());
        Assert.Null(fetched["leadBank"]);
    }

    [Fact]
    public async Task Chain_DuplicateCode_Returns409AndKeepsOne()
    {
        await _admin.CreateChainAsync("HB-IC");

        await (await _admin.PostJsonAsync("/api/v1/chains", TestData.Chain("HB-IC"))).ExpectProblemAsync(HttpStatusCode.Conflict);

        var list = await (await _admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"code":"bad code","name":"x","category":"manufacturing","region":"420100"}""", "code")]
    [InlineData("""{"code":"OK","name":"","category":"manufacturing","region":"420100"}""", "name")]
    [InlineData("""{"code":"OK","name":"x\u0007","category":"manufacturing","region":"420100"}""", "name")]
    [InlineData("""{"code":"OK","name":"x","category":"fishing","region":"420100"}""", "category")]
    [InlineData("""{"code":"OK","name":"x","category":3,"region":"420100"}""", "category")]
    [InlineData("""{"code":"OK","name":"x","category":"manufacturing","region":"4201"}""", "region")]
    [InlineData("""{"code":"OK","name":"x","category":"manufacturing","region":"000000"}""", "region")]
    [InlineData("""{"code":"OK","name":"x","category":"manufacturing","region":null}""", "region")]
    [InlineData("""{"code":"OK","name":"x","category":"manufacturing"}""", "body")]
    [InlineData("""{"code":"OK","name":"x","category":"manufacturing","region":420100}""", "region")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"code":"OK",""", "body")]
    public async Task Chain_BadInput_Returns400AndStoresNothing(string json, string field)
    {
        var response = await _admin.PostRawAsync("/api/v1/chains", json);

        await response.ExpectValidationErrorAsync(field);
        var list = await (await _admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Institution_CreditCodeLowerCase_IsNormalised()
    {
        var code = TestData.CreditCodeIn().ToLowerInvariant();
        var created = await (await _admin.PostJsonAsync("/api/v1/institutions", new { name = "长沙银行", kind = "cityCommercial", creditCode = code, region = "430100" }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(code.ToUpperInvariant(), created["creditCode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrongCheck")]
    [InlineData("badCharacter")]
    [InlineData("tooShort")]
    public async Task Institution_BadCreditCode_Returns400(string kind)
    {
        var good = TestData.CreditCodeIn();
        var bad = kind switch
        {
            "wrongCheck" => good[..17] + (good[17] == '0' ? '1' : '0'),
            "badCharacter" => "I" + good[1..],
            _ => good[..17],
        };

        var response = await _admin.PostJsonAsync("/api/v1/institutions", new { name = "长沙银行", kind = "cityCommercial", creditCode = bad, region = "430100" });

        await response.ExpectValidationErrorAsync("creditCode");
        var list = await (await _admin.GetAsync("/api/v1/institutions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Institution_DuplicateCreditCode_Returns409()
    {
        var body = TestData.Institution();
        await (await _admin.PostJsonAsync("/api/v1/institutions", body)).ExpectAsync(HttpStatusCode.Created);
        await (await _admin.PostJsonAsync("/api/v1/institutions", body)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("industry", 1000, 400_000_000, 0, "large")]
    [InlineData("industry", 300, 20_000_000, 0, "medium")]
    [InlineData("industry", 20, 3_000_000, 0, "small")]
    [InlineData("industry", 19, 3_000_000, 0, "micro")]
    [InlineData("construction", 5, 60_000_000, 50_000_000, "medium")]
    public async Task Enterprise_Create_ComputesSize(string industry, int employees, long revenue, long assets, string size)
    {
        var chain = await _admin.CreateChainAsync();
        var created = await (await _admin.PostJsonAsync("/api/v1/enterprises",
                TestData.Enterprise(chain, "core", employees: employees, revenue: revenue, assets: assets, industry: industry)))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(size, created["size"]!.GetValue<string>());
        Assert.Equal(chain, created["chains"]![0]!["chainId"]!.GetValue<string>());
        Assert.Equal("core", created["chains"]![0]!["role"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("annualRevenue", """1000.001""")]
    [InlineData("annualRevenue", """-1""")]
    [InlineData("annualRevenue", """10000000000000.01""")]
    [InlineData("annualRevenue", """1e40""")]
    [InlineData("annualRevenue", "\"1000\"")]
    [InlineData("totalAssets", """null""")]
    [InlineData("employees", """-5""")]
    [InlineData("employees", """3.5""")]
    [InlineData("industry", "\"mining\"")]
    [InlineData("region", "\"4201AB\"")]
    [InlineData("creditCode", "\"91420100MA4K00000X\"")]
    public async Task Enterprise_BadField_Returns400AndStoresNothing(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["name"] = "\"襄阳驰远汽车零部件有限公司\"",
            ["creditCode"] = $"\"{TestData.CreditCodeIn()}\"",
            ["industry"] = "\"industry\"",
            ["employees"] = "50",
            ["annualRevenue"] = "1000000.5",
            ["totalAssets"] = "500000",
            ["region"] = "\"420100\"",
            ["chains"] = "[]",
        };
        fields[field] = value;
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        await (await _admin.PostRawAsync("/api/v1/enterprises", json)).ExpectValidationErrorAsync(field);

        var list = await (await _admin.GetAsync("/api/v1/enterprises")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Enterprise_UnknownChain_Returns400AndStoresNothing()
    {
        var response = await _admin.PostJsonAsync("/api/v1/enterprises", TestData.Enterprise(TestData.UnknownId("chn"), "core"));

        await response.ExpectValidationErrorAsync("chains[0].chainId");
        await (await _admin.PostJsonAsync("/api/v1/enterprises", TestData.Enterprise("chn_missing", "core"))).ExpectValidationErrorAsync("chains[0].chainId");
        var list = await (await _admin.GetAsync("/api/v1/enterprises")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Enterprise_ConfidentialFigures_OnlyForItselfAdminAndRegulator()
    {
        var id = await _admin.CreateEnterpriseAsync();
        var other = await _admin.CreateEnterpriseAsync();
        var bankId = await _admin.CreateInstitutionAsync();

        var itself = await _app.ClientAsync(Role.Enterprise, enterpriseId: id);
        var stranger = await _app.ClientAsync(Role.Enterprise, enterpriseId: other);
        var regulator = await _app.ClientAsync(Role.Regulator);
        var bank = await _app.ClientAsync(Role.Bank, institutionId: bankId);

        foreach (var client in new[] { _admin, itself, regulator })
        {
            var seen = await (await client.GetAsync($"/api/v1/enterprises/{id}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(50, seen["employees"]!.GetValue<int>());
            Assert.Equal(10_000_000m, seen["annualRevenue"]!.GetValue<decimal>());
        }

        foreach (var client in new[] { stranger, bank })
        {
            var seen = await (await client.GetAsync($"/api/v1/enterprises/{id}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Null(seen["employees"]);
            Assert.Null(seen["annualRevenue"]);
            Assert.Null(seen["totalAssets"]);
            Assert.Equal("small", seen["size"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Enterprise_JoinChain_AddsMembershipOnce()
    {
        var chain = await _admin.CreateChainAsync();
        var id = await _admin.CreateEnterpriseAsync();

        var joined = await (await _admin.PostJsonAsync($"/api/v1/enterprises/{id}/chains", new { chainId = chain, role = "core" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("core", joined["chains"]![0]!["role"]!.GetValue<string>());

        await (await _admin.PostJsonAsync($"/api/v1/enterprises/{id}/chains", new { chainId = chain, role = "upstream" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostJsonAsync("/api/v1/enterprises/ent_missing/chains", new { chainId = chain, role = "core" })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lists_ArePagedWithCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await _admin.CreateChainAsync();
        }

        var first = await (await _admin.GetAsync("/api/v1/chains?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await _admin.GetAsync($"/api/v1/chains?limit=2&cursor={first["next"]}")).ExpectAsync(HttpStatusCode.OK);
        var third = await (await _admin.GetAsync($"/api/v1/chains?limit=2&cursor={second["next"]}")).ExpectAsync(HttpStatusCode.OK);

        var ids = new[] { first, second, third }.SelectMany(p => p["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Null(third["next"]);
        await (await _admin.GetAsync("/api/v1/chains?limit=0")).ExpectValidationErrorAsync("limit");
        await (await _admin.GetAsync("/api/v1/chains?cursor=%%%")).ExpectValidationErrorAsync("cursor");
    }
}
