using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NSubstitute;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>
/// Compile, review, publication and reading of rosters through the API (the clock stands at 2026-03-16, in 2026H1),
/// on every provider (<see cref="SqliteRosterApiTests"/>, <see cref="SqlServerRosterApiTests"/>).
/// </summary>
public abstract class RosterApiSuite<TProvider> : IAsyncLifetime
    where TProvider : DatabaseProvider, new()
{
    private readonly FinanceChainApp _app = new TProvider().NewApp();
    private HttpClient _admin = null!;
    private HttpClient _regulator = null!;
    private HttpClient _bank = null!;
    private HttpClient _enterprise = null!;
    private HttpClient _anonymous = null!;
    private string _institution = "";
    private string _enterpriseId = "";

    public async Task InitializeAsync()
    {
        _admin = await _app.ClientAsync(Role.Admin);
        _regulator = await _app.ClientAsync(Role.Regulator);
        _institution = await _admin.CreateInstitutionAsync();
        _bank = await _app.ClientAsync(Role.Bank, institutionId: _institution);
        _enterpriseId = await _admin.CreateEnterpriseAsync();
        _enterprise = await _app.ClientAsync(Role.Enterprise, enterpriseId: _enterpriseId);
        _anonymous = _app.ClientWithKey(null);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>HB-01 crayfish with a lead bank and a core enterprise; HB-02 mushrooms with neither.</summary>
    private async Task<(string Paired, string Bare)> TwoChainsAsync()
    {
        var paired = await _admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        var bare = await _admin.CreateNamedChainAsync("HB-02", "蔬菜(香菇)");
        await _admin.PairAsync(paired, _institution);
        await _admin.JoinAsync(_enterpriseId, paired);
        return (paired, bare);
    }

    private async Task<int> RosterCountAsync() =>
        (await (await _admin.GetAsync("/api/v1/rosters")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Count;

    [ProviderFact]
    public async Task Compile_OneEntryPerActiveChain_WithLeadBankCoreEnterprisesAndFlags()
    {
        var (paired, bare) = await TwoChainsAsync();
        var inactive = await _admin.CreateNamedChainAsync("HB-99", "已撤销的链");
        await using (var connection = await _app.Services.GetRequiredService<Db>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE chains SET active = 0 WHERE id = @Id", new { Id = inactive });
        }

        var roster = await _admin.CompileAsync("2026H1");

        Assert.Equal("2026H1", roster["period"]!.GetValue<string>());
        Assert.Equal("draft", roster["status"]!.GetValue<string>());
        Assert.Equal([paired, bare], roster["entries"]!.AsArray().Select(e => e!["chainId"]!.GetValue<string>()));

        var first = roster.Entry(paired);
        Assert.Equal("特色淡水产品(小龙虾)", first["chainName"]!.GetValue<string>());
        Assert.Equal(_institution, first["leadBank"]!["institutionId"]!.GetValue<string>());
        Assert.Equal(_enterpriseId, first["coreEnterprises"]!.AsArray().Single()!["enterpriseId"]!.GetValue<string>());
        Assert.Equal("2025H2", first["metrics"]!["period"]!.GetValue<string>());
        Assert.Equal(["leadBankFinancedNothing"], first.FlagCodes());

        var second = roster.Entry(bare);
        Assert.Null(second["leadBank"]);
        Assert.Empty(second["coreEnterprises"]!.AsArray());
        Assert.Equal(["noLeadBank", "noCoreEnterprise"], second.FlagCodes());
    }

    [ProviderFact]
    public async Task Compile_WithActivity_UsesResultsAndFlagsDishonouringCoreEnterprise()
    {
        var activity = Substitute.For<IRosterActivity>();
        using var app = _app.Another(configureServices: s => s.AddSingleton(activity));
        var admin = await app.ClientAsync(Role.Admin);
        var (paired, bare) = await TwoChainsAsync();
        var otherBank = await admin.CreateInstitutionAsync();
        await admin.PairAsync(bare, otherBank);

        activity.ResultsAsync(HalfYear.Parse("2025H2"), Arg.Any<CancellationToken>()).Returns(
        [
            new RosterResultsInput(paired, _institution, 3, Money.FromYuan(1_250_000.5m), 2, 4),
            new RosterResultsInput(bare, otherBank, 0, Money.Zero, 0, 0),
        ]);
        activity.DishonouringAcceptorsAsync(HalfYear.Parse("2025H2"), Arg.Any<CancellationToken>()).Returns(
            [new RosterDishonouringAcceptorInput(_enterpriseId, 2, 1, new LocalDate(2025, 11, 3))]);
        activity.NoteOutcomesAsync(HalfYear.Parse("2025H2"), Arg.Any<CancellationToken>()).Returns([new RosterNoteOutcomesInput(paired, 4, 1)]);

        var roster = await admin.CompileAsync("2026H1");

        var first = roster.Entry(paired);
        Assert.Equal(3, first["metrics"]!["offersAccepted"]!.GetValue<int>());
        Assert.Equal(1_250_000.5m, first["metrics"]!["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(2, first["metrics"]!["notesDiscounted"]!.GetValue<int>());
        Assert.Equal((4, 1), (first["metrics"]!["notesPaid"]!.GetValue<int>(), first["metrics"]!["notesDishonoured"]!.GetValue<int>()));
        Assert.Equal(["coreEnterpriseDishonouredNote"], first.FlagCodes());
        Assert.Equal(_enterpriseId, first["flags"]![0]!["enterpriseId"]!.GetValue<string>());

        // A lead bank whose results are all zero financed nothing.
        Assert.Equal(["leadBankFinancedNothing", "noCoreEnterprise"], roster.Entry(bare).FlagCodes());
        await activity.Received(1).ResultsAsync(HalfYear.Parse("2025H2"), Arg.Any<CancellationToken>());
    }

    [ProviderTheory]
    [InlineData("2026h1")]
    [InlineData("2026H3")]
    [InlineData("2026H0")]
    [InlineData("26H1")]
    [InlineData("2026H1x")]
    [InlineData("1999H2")]
    [InlineData("%20026H1")]
    [InlineData("2025H1")] // before the previous half-year
    [InlineData("2027H1")] // after the next half-year
    public async Task Compile_BadOrOutOfRangePeriod_Returns400AndStoresNothing(string period)
    {
        await (await _admin.PostAsync($"/api/v1/rosters/{period}/compile", null)).ExpectValidationErrorAsync("period");
        Assert.Equal(0, await RosterCountAsync());
    }

    [ProviderTheory]
    [InlineData("2025H2")]
    [InlineData("2026H1")]
    [InlineData("2026H2")]
    public async Task Compile_PreviousCurrentOrNextHalfYear_IsAllowed(string period)
    {
        await _regulator.CompileAsync(period);
        Assert.Equal(1, await RosterCountAsync());
    }

    [ProviderTheory]
    [InlineData("2026h1")]
    [InlineData("2026H3")]
    public async Task ReadAndReview_BadPeriod_Returns400(string period)
    {
        await (await _admin.GetAsync($"/api/v1/rosters/{period}")).ExpectValidationErrorAsync("period");
        await (await _admin.GetAsync($"/api/v1/rosters/{period}/diff")).ExpectValidationErrorAsync("period");
        await (await _regulator.PostJsonAsync($"/api/v1/rosters/{period}/approve", new { })).ExpectValidationErrorAsync("period");
        await (await _regulator.PostJsonAsync($"/api/v1/rosters/{period}/return", new { comment = "x" })).ExpectValidationErrorAsync("period");
    }

    [ProviderFact]
    public async Task Compile_Again_ReplacesTheDraft()
    {
        var (paired, _) = await TwoChainsAsync();
        var first = await _admin.PostAsync("/api/v1/rosters/2026H1/compile", null);
        await first.ExpectAsync(HttpStatusCode.OK);

        var added = await _admin.CreateNamedChainAsync("HB-03", "茶叶(青砖茶)");
        var second = await _admin.PostAsync("/api/v1/rosters/2026H1/compile", null);
        var roster = await second.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(3, roster["entries"]!.AsArray().Count);
        Assert.NotNull(roster.Entry(added));
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(1, await RosterCountAsync());
        Assert.Equal(_institution, roster.Entry(paired)["leadBank"]!["institutionId"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task Approve_Publishes_LatestIsPublicAsJsonWithoutFlags()
    {
        var (paired, bare) = await TwoChainsAsync();
        await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await _admin.CompileAsync("2026H1");

        var approved = await _regulator.ApproveAsync("2026H1", "同意发布");

        Assert.Equal("published", approved["status"]!.GetValue<string>());
        Assert.Equal("同意发布", approved["reviewComment"]!.GetValue<string>());
        var latest = await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026H1", latest["period"]!.GetValue<string>());
        Assert.Equal(approved["reviewedAt"]!.GetValue<string>(), latest["publishedAt"]!.GetValue<string>());
        Assert.Equal([paired, bare], latest["entries"]!.AsArray().Select(e => e!["chainId"]!.GetValue<string>()));
        Assert.All(latest["entries"]!.AsArray(), e => Assert.False(e!.AsObject().ContainsKey("flags")));
        Assert.DoesNotContain("flags", latest.ToJsonString());
        Assert.DoesNotContain("同意发布", latest.ToJsonString());
        Assert.Equal(_institution, latest.Entry(paired)["leadBank"]!["institutionId"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task LatestAsCsv_Utf8WithBom_HeaderAndOneRowPerChain_NoFlags()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");
        await _regulator.ApproveAsync("2026H1");

        var response = await _anonymous.GetAsync("/api/v1/rosters/published/latest?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("roster-2026H1.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
        Assert.Equal("期别,产业链代码,产业链名称,行政区划代码,主办行,担任主办行起始日期,核心企业,成效统计期,获接受报价笔数,融资金额（元）,贴现票据张数,服务企业户数", lines[0]);
        Assert.Equal(4, lines.Length); // the header, two chains, then nothing after the final line end
        Assert.Equal("", lines[3]);
        Assert.StartsWith("2026H1,HB-01,特色淡水产品(小龙虾),420000,中国银行湖北省分行,", lines[1]);
        Assert.StartsWith("2026H1,HB-02,蔬菜(香菇),420000,,", lines[2]);
        Assert.DoesNotContain("noLeadBank", lines[2]);
        Assert.DoesNotContain("关注事项", lines[0]);
    }

    [ProviderFact]
    public async Task LatestAsCsv_InEnglish_WhenAskedFor()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");
        await _regulator.ApproveAsync("2026H1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/rosters/published/latest?format=csv");
        request.Headers.AcceptLanguage.ParseAdd("en");

        var csv = await (await _anonymous.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.StartsWith("Period,Chain code,Chain,Region code,Lead bank,Lead bank since,", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [ProviderFact]
    public async Task Latest_BadFormat_Returns400()
    {
        await (await _anonymous.GetAsync("/api/v1/rosters/published/latest?format=xml")).ExpectValidationErrorAsync("format");
    }

    [ProviderFact]
    public async Task Latest_IsTheHighestPublishedPeriod_NotLaterDrafts()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2025H2");
        await _regulator.ApproveAsync("2025H2");
        await _admin.CompileAsync("2026H1");

        var latest = await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("2025H2", latest["period"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task Conflicts_PublishedNeverChange_ReturnedCannotBeApproved()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");
        await _regulator.ApproveAsync("2026H1");
        var before = await (await _admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);

        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/approve", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsync("/api/v1/rosters/2026H1/compile", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { comment = "重新核对" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var after = await (await _admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());

        await _admin.CompileAsync("2026H2");
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H2/return", new { comment = "请补充核心企业" })).ExpectAsync(HttpStatusCode.OK);
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H2/approve", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H2/return", new { comment = "again" })).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [ProviderFact]
    public async Task Return_ShowsItsComment_AndCompilingAgainMakesANewDraft()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");

        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { })).ExpectValidationErrorAsync("comment");
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { comment = "  " })).ExpectValidationErrorAsync("comment");
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { comment = new string('x', 2001) })).ExpectValidationErrorAsync("comment");
        var returned = await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { comment = "HB-02 缺少主办行，请补充后重报" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("returned", returned["status"]!.GetValue<string>());

        var read = await (await _admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("returned", read["status"]!.GetValue<string>());
        Assert.Equal("HB-02 缺少主办行，请补充后重报", read["reviewComment"]!.GetValue<string>());
        Assert.NotNull(read["reviewedAt"]);
        await (await _bank.GetAsync("/api/v1/rosters/2026H1")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var recompiled = await _admin.CompileAsync("2026H1");
        Assert.Equal("draft", recompiled["status"]!.GetValue<string>());
        Assert.Null(recompiled["reviewComment"]);
        Assert.Null(recompiled["reviewedAt"]);
        await _regulator.ApproveAsync("2026H1");
    }

    [ProviderFact]
    public async Task Approve_NextHalfYearBeforeItStartsInShanghai_Returns409AndPublishesNothing()
    {
        await TwoChainsAsync();
        _app.Clock.Reset(Instant.FromUtc(2026, 6, 20, 2, 0));
        await _admin.CompileAsync("2026H2");

        // 30 June 23:59:59 in Shanghai (15:59:59 UTC): 2026H2 has not started, its metrics cover a half-year not yet over.
        _app.Clock.Reset(Instant.FromUtc(2026, 6, 30, 15, 59, 59));
        var problem = await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H2/approve", new { comment = "提前发布" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("rosterNotStarted", problem["code"]!.GetValue<string>());
        Assert.Contains("2026年下半年尚未开始", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var draft = await (await _admin.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var audited = await (await _regulator.GetAsync("/api/v1/audit?entityId=2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("roster.approved", audited.ToJsonString(), StringComparison.Ordinal);

        // From 00:00 on 1 July in Shanghai it can be approved.
        _app.Clock.Reset(Instant.FromUtc(2026, 6, 30, 16, 0));
        Assert.Equal("published", (await _regulator.ApproveAsync("2026H2"))["status"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task Approve_WithStaleIfMatch_Returns412AndPublishesNothing()
    {
        await TwoChainsAsync();
        var compiled = await _admin.PostAsync("/api/v1/rosters/2026H1/compile", null);
        var reviewedTag = compiled.Headers.ETag!.Tag;
        await _admin.CompileAsync("2026H1");

        var stale = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rosters/2026H1/approve") { Content = JsonContent.Create(new { }) };
        stale.Headers.TryAddWithoutValidation("If-Match", reviewedTag);
        await (await _regulator.SendAsync(stale)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var current = (await _admin.GetAsync("/api/v1/rosters/2026H1")).Headers.ETag!.Tag;
        var fresh = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rosters/2026H1/approve") { Content = JsonContent.Create(new { }) };
        fresh.Headers.TryAddWithoutValidation("If-Match", current);
        await (await _regulator.SendAsync(fresh)).ExpectAsync(HttpStatusCode.OK);
    }

    [ProviderFact]
    public async Task Approve_WithoutBody_IsAllowed_AndUnknownPeriodIs404()
    {
        await TwoChainsAsync();
        await (await _regulator.PostAsync("/api/v1/rosters/2026H1/approve", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await _admin.CompileAsync("2026H1");
        var approved = await (await _regulator.PostAsync("/api/v1/rosters/2026H1/approve", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(approved["reviewComment"]);
    }

    [ProviderFact]
    public async Task Visibility_BanksAndEnterprisesSeePublishedOnly_WithoutFlags()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2025H2");
        await _regulator.ApproveAsync("2025H2", "内部意见");
        await _admin.CompileAsync("2026H1");

        foreach (var client in new[] { _bank, _enterprise })
        {
            var list = await (await client.GetAsync("/api/v1/rosters")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["2025H2"], list["items"]!.AsArray().Select(i => i!["period"]!.GetValue<string>()));
            await (await client.GetAsync("/api/v1/rosters/2026H1")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync("/api/v1/rosters/2026H1/diff")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync("/api/v1/rosters/2027H1")).ExpectProblemAsync(HttpStatusCode.NotFound);

            var published = await (await client.GetAsync("/api/v1/rosters/2025H2")).ExpectAsync(HttpStatusCode.OK);
            Assert.All(published["entries"]!.AsArray(), e => Assert.Null(e!["flags"]));
            Assert.Null(published["reviewComment"]);
            await (await client.GetAsync("/api/v1/rosters/2025H2/diff")).ExpectAsync(HttpStatusCode.OK);
        }

        var all = await (await _regulator.GetAsync("/api/v1/rosters")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(
            [("2025H2", "published"), ("2026H1", "draft")],
            all["items"]!.AsArray().Select(i => (i!["period"]!.GetValue<string>(), i["status"]!.GetValue<string>())));
        Assert.Equal(2, all["items"]![0]!["chains"]!.GetValue<int>());
        var draft = await (await _regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(draft["entries"]!.AsArray(), e => Assert.NotNull(e!["flags"]));
    }

    [ProviderFact]
    public async Task List_PagesByPeriod()
    {
        await _admin.CompileAsync("2025H2");
        await _admin.CompileAsync("2026H1");
        await _admin.CompileAsync("2026H2");

        var first = await (await _admin.GetAsync("/api/v1/rosters?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["2025H2", "2026H1"], first["items"]!.AsArray().Select(i => i!["period"]!.GetValue<string>()));
        var second = await (await _admin.GetAsync($"/api/v1/rosters?limit=2&cursor={first["next"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["2026H2"], second["items"]!.AsArray().Select(i => i!["period"]!.GetValue<string>()));
        Assert.Null(second["next"]);
    }

    [ProviderFact]
    public async Task Diff_AfterLeadBankChange_BetweenTwoPublishedPeriods()
    {
        var (paired, bare) = await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");
        await _regulator.ApproveAsync("2026H1");

        var first = await (await _admin.GetAsync("/api/v1/rosters/2026H1/diff")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(first["fromPeriod"]);
        Assert.Equal(2, first["chainsAdded"]!.AsArray().Count);

        var newBank = await _admin.CreateInstitutionAsync();
        await _admin.PairAsync(paired, newBank);
        var newCore = await _admin.CreateEnterpriseAsync(bare, "core");
        var newChain = await _admin.CreateNamedChainAsync("HB-03", "茶叶(青砖茶)");
        _app.Clock.Reset(Instant.FromUtc(2026, 6, 30, 16, 0)); // 2026H2 can be approved from its start
        await _admin.CompileAsync("2026H2");
        await _regulator.ApproveAsync("2026H2");

        var diff = await (await _bank.GetAsync("/api/v1/rosters/2026H2/diff")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("2026H1", diff["fromPeriod"]!.GetValue<string>());
        Assert.Equal("2026H2", diff["toPeriod"]!.GetValue<string>());
        Assert.Equal([newChain], diff["chainsAdded"]!.AsArray().Select(c => c!["chainId"]!.GetValue<string>()));
        Assert.Empty(diff["chainsRemoved"]!.AsArray());
        var change = diff["leadBankChanges"]!.AsArray().Single()!;
        Assert.Equal(paired, change["chain"]!["chainId"]!.GetValue<string>());
        Assert.Equal(_institution, change["from"]!["institutionId"]!.GetValue<string>());
        Assert.Equal(newBank, change["to"]!["institutionId"]!.GetValue<string>());
        var core = diff["coreEnterpriseChanges"]!.AsArray().Single()!;
        Assert.Equal(bare, core["chain"]!["chainId"]!.GetValue<string>());
        Assert.Equal([newCore], core["added"]!.AsArray().Select(e => e!["enterpriseId"]!.GetValue<string>()));
        Assert.Empty(core["removed"]!.AsArray());
    }

    [ProviderFact]
    public async Task Diff_OfADraft_IsAgainstThePreviousPublishedRoster_SkippingUnpublishedOnes()
    {
        var (paired, _) = await TwoChainsAsync();
        await _admin.CompileAsync("2025H2");
        await _regulator.ApproveAsync("2025H2");
        await _admin.CompileAsync("2026H1");
        var newBank = await _admin.CreateInstitutionAsync();
        await _admin.PairAsync(paired, newBank);
        await _admin.CompileAsync("2026H2");

        var diff = await (await _regulator.GetAsync("/api/v1/rosters/2026H2/diff")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("2025H2", diff["fromPeriod"]!.GetValue<string>());
        Assert.Equal(newBank, diff["leadBankChanges"]![0]!["to"]!["institutionId"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task Changes_AreAuditedWithTheCaller_RejectedOnesAreNot()
    {
        await TwoChainsAsync();
        await _admin.CompileAsync("2026H1");
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/return", new { })).ExpectValidationErrorAsync("comment");
        await (await _admin.PostJsonAsync("/api/v1/rosters/2026H1/approve", new { })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await _regulator.ApproveAsync("2026H1", "ok");
        await (await _regulator.PostJsonAsync("/api/v1/rosters/2026H1/approve", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var trail = await (await _regulator.GetAsync("/api/v1/audit?entityId=2026H1")).ExpectAsync(HttpStatusCode.OK);
        var entries = trail["items"]!.AsArray();
        Assert.Equal(["roster.compiled", "roster.approved"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(["admin", "regulator"], entries.Select(e => e!["role"]!.GetValue<string>()));
        Assert.Equal(2, entries[0]!["details"]!["chains"]!.GetValue<int>());
        Assert.Equal("ok", entries[1]!["details"]!["comment"]!.GetValue<string>());
    }

    private IEnumerable<(HttpMethod Method, string Url, object? Body, Role[] Allowed)> Routes() =>
    [
        (HttpMethod.Get, "/api/v1/rosters", null, [Role.Admin, Role.Regulator, Role.Bank, Role.Enterprise]),
        (HttpMethod.Get, "/api/v1/rosters/schedule", null, [Role.Admin, Role.Regulator]),
        (HttpMethod.Get, "/api/v1/rosters/2026H1", null, [Role.Admin, Role.Regulator, Role.Bank, Role.Enterprise]),
        (HttpMethod.Get, "/api/v1/rosters/2026H1/diff", null, [Role.Admin, Role.Regulator, Role.Bank, Role.Enterprise]),
        (HttpMethod.Post, "/api/v1/rosters/2026H1/compile", null, [Role.Admin, Role.Regulator]),
        (HttpMethod.Post, "/api/v1/rosters/2026H1/approve", new { comment = "x" }, [Role.Regulator]),
        (HttpMethod.Post, "/api/v1/rosters/2026H1/return", new { comment = "x" }, [Role.Regulator]),
    ];

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    [ProviderFact]
    public async Task EveryRoute_WithoutOrWithUnknownKey_Returns401()
    {
        var unknown = _app.ClientWithKey("fc_not-a-key");
        foreach (var (method, url, body, _) in Routes())
        {
            await (await _anonymous.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
            await (await unknown.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(0, await RosterCountAsync());
    }

    [ProviderFact]
    public async Task EveryRoute_WrongRole_Returns403AndChangesNothing()
    {
        var clients = new Dictionary<Role, HttpClient>
        {
            [Role.Admin] = _admin,
            [Role.Regulator] = _regulator,
            [Role.Bank] = _bank,
            [Role.Enterprise] = _enterprise,
        };
        foreach (var (method, url, body, allowed) in Routes())
        {
            foreach (var (role, client) in clients.Where(c => !allowed.Contains(c.Key)))
            {
                var response = await client.SendAsync(Request(method, url, body));
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {method} {url}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(0, await RosterCountAsync());
        var trail = await (await _regulator.GetAsync("/api/v1/audit?entityId=2026H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(trail["items"]!.AsArray());
    }

    [ProviderFact]
    public async Task PublishedLatest_NeedsNoKey()
    {
        await _admin.CompileAsync("2026H1");
        await _regulator.ApproveAsync("2026H1");

        await (await _anonymous.GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);
        await (await _bank.GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);
        var csv = await _anonymous.GetAsync("/api/v1/rosters/published/latest?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }
}

/// <summary>The roster API suite on SQLite.</summary>
public sealed class SqliteRosterApiTests : RosterApiSuite<SqliteProvider>;

/// <summary>The roster API suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerRosterApiTests : RosterApiSuite<SqlServerProvider>;
