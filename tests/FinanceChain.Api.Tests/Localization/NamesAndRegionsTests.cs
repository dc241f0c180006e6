using System.Net;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Api.Tests.Roster;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Localization;

/// <summary>Names beside ids, region names beside codes, and region codes checked against GB/T 2260.</summary>
public sealed class NamesAndRegionsTests : IAsyncLifetime
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
    public async Task EveryResponseNamingAPartyById_AlsoGivesItsName_AndEveryRegionItsName()
    {
        var product = await _w.A.CreateProductAsync(ProductData.Product("小龙虾产业链应收账款融资", regions: ["420000"], chainIds: [_w.Chain]));
        await _w.B.CreateProductAsync(ProductData.Product("大额保理", type: "factoring", minAmount: 10_000_000m, maxAmount: 50_000_000m));
        var request = await _w.RequestAsync();
        var offer = await _w.A.CreateOfferAsync(request, ProductData.Offer(product));
        var keyed = await (await _w.Admin.PostJsonAsync("/api/v1/keys", new { role = "bank", name = "襄阳分行柜台", institutionId = _w.BankB })).ExpectAsync(HttpStatusCode.Created);

        var responses = new List<(string Url, JsonNode Body)> { ("POST /api/v1/keys", keyed) };
        foreach (var (client, url) in new (HttpClient, string)[]
        {
            (_w.Admin, "/api/v1/chains"),
            (_w.Admin, $"/api/v1/chains/{_w.Chain}"),
            (_w.Admin, $"/api/v1/chains/{_w.Chain}/lead-bank"),
            (_w.Admin, $"/api/v1/chains/{_w.Chain}/lead-bank/history"),
            (_w.Admin, "/api/v1/institutions"),
            (_w.Admin, "/api/v1/enterprises"),
            (_w.Admin, $"/api/v1/enterprises/{_w.Sme}"),
            (_w.Admin, "/api/v1/keys"),
            (_w.A, "/api/v1/products"),
            (_w.A, $"/api/v1/products/{product}"),
            (_w.SmeClient, "/api/v1/financing-requests"),
            (_w.SmeClient, $"/api/v1/financing-requests/{request}"),
            (_w.SmeClient, $"/api/v1/financing-requests/{request}/matches"),
            (_w.SmeClient, $"/api/v1/financing-requests/{request}/offers"),
            (_w.SmeClient, $"/api/v1/offers/{offer}"),
            (_w.A, "/api/v1/banks/me/matched-requests"),
            (_w.Regulator, "/api/v1/audit"),
        })
        {
            responses.Add((url, await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)));
        }

        responses.Add(("POST /api/v1/rosters/2026H1/compile", await _w.Admin.CompileAsync("2026H1")));

        var missing = responses.SelectMany(r => MissingNames(r.Body, r.Url)).ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        var matches = responses.Single(r => r.Url.EndsWith("/matches", StringComparison.Ordinal)).Body;
        Assert.NotEmpty(matches["nearMisses"]!.AsArray());
        var requestBody = responses.Single(r => r.Url == $"/api/v1/financing-requests/{request}").Body;
        Assert.Equal("湖北省武汉市", requestBody["regionName"]!.GetValue<string>());
        Assert.Equal("襄阳驰远汽车零部件有限公司", requestBody["enterpriseName"]!.GetValue<string>());
        Assert.Equal("汽车", requestBody["chainName"]!.GetValue<string>());
    }

    [Fact]
    public async Task AuditTrail_NamesTheActorsKey()
    {
        var entries = (await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={_w.Chain}")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();

        var created = entries.First(e => e!["action"]!.GetValue<string>() == "chain.created")!;
        Assert.NotEqual(created["actor"]!.GetValue<string>(), created["actorName"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(created["actorName"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("420199", "regionUnknown")]
    [InlineData("429000", "regionUnknown")]
    [InlineData("4201", "regionFormat")]
    [InlineData("000000", "regionFormat")]
    public async Task RegionNotInTheDivisionList_Returns400(string region, string code)
    {
        foreach (var (url, body) in new (string, object)[]
        {
            ("/api/v1/chains", TestData.Chain(region: region)),
            ("/api/v1/institutions", new { name = "某银行", kind = "cityCommercial", creditCode = TestData.CreditCodeIn(), region }),
            ("/api/v1/enterprises", new { name = "某企业", creditCode = TestData.CreditCodeIn(), industry = "industry", employees = 10, annualRevenue = 1m, totalAssets = 1m, region }),
        })
        {
            var problem = await (await _w.Admin.PostJsonAsync(url, body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([code], problem["errorCodes"]!["region"]!.AsArray().Select(c => c!.GetValue<string>()));
        }

        var product = await (await _w.A.PostJsonAsync("/api/v1/products", ProductData.Product(regions: ["420000", region]))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([code], product["errorCodes"]!["regions"]!.AsArray().Select(c => c!.GetValue<string>()));
        if (code == "regionUnknown")
        {
            Assert.Equal($"{region} 不是 GB/T 2260 中的行政区划代码", product["errors"]!["regions"]![0]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("420000", "429005", true)]   // 潜江市, a county-level city governed by Hubei directly: prefix 42
    [InlineData("420000", "430100", false)]
    [InlineData("420100", "420111", true)]   // 洪山区 in 武汉市
    [InlineData("420100", "420100", true)]
    [InlineData("420100", "420200", false)]  // 黄石市
    [InlineData("420111", "420111", true)]
    [InlineData("420111", "420112", false)]
    public async Task ProductRegion_CoversByPrefix_AsBefore(string productRegion, string enterpriseRegion, bool matches)
    {
        var product = await _w.C.CreateProductAsync(ProductData.Product("区域产品", regions: [productRegion]));
        var enterprise = await _w.Admin.CreateEnterpriseAsync(_w.Chain, region: enterpriseRegion);
        var client = await _app.ClientAsync(Role.Enterprise, enterpriseId: enterprise);
        var request = await client.CreateRequestAsync(ProductData.Request(_w.Chain));

        Assert.Equal(matches, (await client.MatchIdsAsync(request)).Contains(product));
    }

    private static IEnumerable<string> MissingNames(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.Where(p => p.Key != "details"))
                {
                    var name = key switch
                    {
                        "institutionId" => "institutionName",
                        "enterpriseId" => "enterpriseName",
                        "chainId" => "chainName",
                        "region" => "regionName",
                        "regions" => "regionNames",
                        "actor" => "actorName",
                        _ => null,
                    };
                    if (name is not null && !obj.ContainsKey(name))
                    {
                        yield return $"{where}: {key} without {name} in {obj.ToJsonString()}";
                    }

                    foreach (var inner in MissingNames(value, where))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in MissingNames(item, where))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
