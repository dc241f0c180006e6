using System.Net;
using FinanceChain.Api.Cli;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Operations;

public sealed class OperationsTests : IDisposable
{
    private readonly FinanceChainApp _app = new();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_AnswersWithoutKey(string path)
    {
        var response = await _app.ClientWithKey(null).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryRouteWithItsErrors()
    {
        var document = await (await _app.ClientWithKey(null).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject();

        foreach (var path in new[] { "/api/v1/chains", "/api/v1/chains/{id}/lead-bank", "/api/v1/institutions", "/api/v1/enterprises", "/api/v1/keys", "/api/v1/audit" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document");
        }

        var createChain = paths["/api/v1/chains"]!["post"]!;
        Assert.NotNull(createChain["requestBody"]);
        foreach (var status in new[] { "201", "400", "401", "403", "409" })
        {
            Assert.NotNull(createChain["responses"]![status]);
        }

        var createdAt = document["components"]!["schemas"]!["ChainResponse"]!["properties"]!["createdAt"]!;
        Assert.Equal("#/components/schemas/Instant", createdAt["$ref"]!.GetValue<string>());
        var instant = document["components"]!["schemas"]!["Instant"]!;
        Assert.Equal("string", instant["type"]!.GetValue<string>());
        Assert.Equal("date-time", instant["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_ShowsBothLanguagesExamples_AndTheAcceptLanguageHeader()
    {
        var document = await (await _app.ClientWithKey(null).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var withdraw = document["paths"]!["/api/v1/financing-requests/{id}/withdraw"]!["post"]!;
        Assert.Contains(withdraw["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Accept-Language");

        var conflict = withdraw["responses"]!["409"]!["content"]!["application/problem+json"]!["examples"]!;
        Assert.Equal("与当前状态冲突", conflict["zh-CN"]!["value"]!["title"]!.GetValue<string>());
        Assert.Equal("Conflict", conflict["en"]!["value"]!["title"]!.GetValue<string>());
        Assert.Equal(conflict["zh-CN"]!["value"]!["code"]!.GetValue<string>(), conflict["en"]!["value"]!["code"]!.GetValue<string>());

        var matches = document["paths"]!["/api/v1/financing-requests/{id}/matches"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["examples"]!;
        var zh = matches["zh-CN"]!["value"]!;
        var en = matches["en"]!["value"]!;
        Assert.Equal("该行是本产业链的主办行（一链一行）", zh["items"]![0]!["reasons"]![1]!["message"]!.GetValue<string>());
        Assert.Equal("The lead bank (一链一行) of this chain", en["items"]![0]!["reasons"]![1]!["message"]!.GetValue<string>());
        Assert.Equal("金额 120 万元超过该产品上限 100 万元", zh["nearMisses"]![0]!["failedRules"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReferencePage_IsServed()
    {
        var response = await _app.ClientWithKey(null).GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("FinanceChain", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CliKeysCreate_PrintsTheKeyAloneOnTheLastLine()
    {
        var output = new StringWriter();
        var command = CommandLine.Parse(["keys", "create", "--role", "admin", "--name", "ops"]);

        var exit = await CommandLine.CreateKeyAsync(_app.Services, command, output, TextWriter.Null);

        Assert.Equal(0, exit);
        var key = output.ToString().TrimEnd().Split('\n').Last().Trim();
        Assert.StartsWith("fc_", key);
        await (await _app.ClientWithKey(key).GetAsync("/api/v1/keys")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("--role", "root", "--name", "x")]
    [InlineData("--role", "bank", "--name", "x")]
    [InlineData("--role", "admin", "--name", " ")]
    public async Task CliKeysCreate_BadArguments_ExitsNonZeroAndCreatesNothing(params string[] arguments)
    {
        var error = new StringWriter();
        var command = CommandLine.Parse(["keys", "create", .. arguments]);

        var exit = await CommandLine.CreateKeyAsync(_app.Services, command, TextWriter.Null, error);

        Assert.Equal(2, exit);
        Assert.NotEmpty(error.ToString());
    }

    [Fact]
    public async Task Demo_SeedsChainsWithLeadBanksAndPrintsKeys_AndSeedsOnce()
    {
        var output = new StringWriter();
        await CommandLine.SeedDemoAsync(_app.Services, output);
        var again = new StringWriter();
        await CommandLine.SeedDemoAsync(_app.Services, again);

        var adminKey = output.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("admin", StringComparison.Ordinal)).Split(": ").Last().Trim();
        var admin = _app.ClientWithKey(adminKey);
        var chains = (await (await admin.GetAsync("/api/v1/chains?limit=200")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(10, chains.Count);
        Assert.Single(chains, c => c!["leadBank"] is null);
        Assert.Contains(chains, c => c!["name"]!.GetValue<string>() == "特色淡水产品(小龙虾)");
        var enterprises = (await (await admin.GetAsync("/api/v1/enterprises?limit=200")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(24, enterprises.Count);
        Assert.All(enterprises, e => Assert.True(CreditCode.TryParse(e!["creditCode"]!.GetValue<string>(), out _, out _)));
        Assert.All(enterprises, e => Assert.EndsWith("(演示)", e!["name"]!.GetValue<string>()));

        // Which key is whose: role, the key's name and what it is bound to.
        Assert.Contains("regulator  regulator (central-bank branch) (key name 人民银行湖北省分行 名录审核(演示)): fc_", output.ToString());
        Assert.Contains("(key name 中国银行湖北省分行 普惠金融部(演示), for 中国银行湖北省分行(演示)): fc_", output.ToString());
        // The second run adds nothing but fresh keys, and says so.
        Assert.Contains("already in this database; nothing added", again.ToString());
        Assert.Equal(8, again.ToString().Split('\n').Count(l => l.Contains(": fc_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Demo_LeavesThePreviousRosterPublished_AndTheCurrentDraftFlagged()
    {
        await CommandLine.SeedDemoAsync(_app.Services, new StringWriter());
        var regulator = await _app.ClientAsync(Role.Regulator);

        var rosters = (await (await regulator.GetAsync("/api/v1/rosters")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(["2025H2:published", "2026H1:draft"], rosters.Select(r => $"{r!["period"]}:{r["status"]}"));

        var draft = await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        var flags = draft["entries"]!.AsArray().SelectMany(e => e!["flags"]!.AsArray().Select(f => f!["code"]!.GetValue<string>())).ToHashSet();
        Assert.Superset(new HashSet<string> { "noLeadBank", "noCoreEnterprise", "leadBankFinancedNothing", "coreEnterpriseDishonouredNote" }, flags);
        var auto = draft["entries"]!.AsArray().Single(e => e!["chainCode"]!.GetValue<string>() == "HB-AUTO")!;
        Assert.Equal(2, auto["metrics"]!["offersAccepted"]!.GetValue<int>());
        Assert.Equal(4_200_000m, auto["metrics"]!["amountFinanced"]!.GetValue<decimal>());

        var diff = await (await regulator.GetAsync("/api/v1/rosters/2026H1/diff")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2025H2", diff["fromPeriod"]!.GetValue<string>());
        Assert.Single(diff["chainsAdded"]!.AsArray());
        Assert.Single(diff["leadBankChanges"]!.AsArray());
        Assert.Single(diff["coreEnterpriseChanges"]!.AsArray());
    }
}
