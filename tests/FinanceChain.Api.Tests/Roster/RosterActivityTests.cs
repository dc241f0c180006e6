using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NSubstitute;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>
/// Roster metrics and flags from real activity: offers accepted through the API and supply-chain notes.
/// The clock starts at 2026-03-16 (Shanghai), in 2026H1; compiling 2026H2 reports 2026H1.
/// </summary>
/// <remarks>On every provider: <see cref="SqliteRosterActivityTests"/>, <see cref="SqlServerRosterActivityTests"/>.</remarks>
public abstract class RosterActivitySuite<TProvider> : IAsyncLifetime
    where TProvider : DatabaseProvider, new()
{
    // 00:00 in Shanghai on 1 July 2026 and on 1 January 2027.
    private static readonly Instant H2Start = Instant.FromUtc(2026, 6, 30, 16, 0);
    private static readonly Instant Y2027Start = Instant.FromUtc(2026, 12, 31, 16, 0);

    private readonly FinanceChainApp _app;
    private HttpClient _admin = null!;
    private HttpClient _regulator = null!;
    private string _chain = "";
    private string _idleChain = "";
    private string _leadBank = "";
    private string _idleLeadBank = "";
    private string _otherBank = "";
    private HttpClient _lead = null!;
    private HttpClient _other = null!;
    private string _core = "";
    private HttpClient _coreClient = null!;
    private string _sme = "";
    private HttpClient _smeClient = null!;
    private string _secondSme = "";
    private HttpClient _secondSmeClient = null!;

    protected RosterActivitySuite() => _app = new TProvider().NewApp();

    /// <summary>
    /// HB-01 led by the lead bank, with a core enterprise and two SMEs; HB-02 led by a bank that does nothing;
    /// a third bank that is lead bank of no chain.
    /// </summary>
    public async Task InitializeAsync()
    {
        _admin = await _app.ClientAsync(Role.Admin);
        _regulator = await _app.ClientAsync(Role.Regulator);
        _chain = await _admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        _idleChain = await _admin.CreateNamedChainAsync("HB-02", "蔬菜(香菇)");
        _leadBank = await _admin.CreateInstitutionAsync();
        _idleLeadBank = await _admin.CreateInstitutionAsync();
        _otherBank = await _admin.CreateInstitutionAsync();
        await _admin.PairAsync(_chain, _leadBank);
        await _admin.PairAsync(_idleChain, _idleLeadBank);
        _lead = await _app.ClientAsync(Role.Bank, institutionId: _leadBank);
        _other = await _app.ClientAsync(Role.Bank, institutionId: _otherBank);
        _core = await _admin.CreateEnterpriseAsync(_chain, "core");
        _coreClient = await _app.ClientAsync(Role.Enterprise, enterpriseId: _core);
        _sme = await _admin.CreateEnterpriseAsync(_chain, "upstream");
        _smeClient = await _app.ClientAsync(Role.Enterprise, enterpriseId: _sme);
        _secondSme = await _admin.CreateEnterpriseAsync(_chain, "upstream");
        _secondSmeClient = await _app.ClientAsync(Role.Enterprise, enterpriseId: _secondSme);
        await _admin.CreateEnterpriseAsync(_idleChain, "core");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The enterprise asks on HB-01, the bank offers with its product, the enterprise accepts.</summary>
    private async Task<string> FinanceAsync(HttpClient enterprise, HttpClient bank, string productId, decimal amount, string? noteId = null, int termDays = 90)
    {
        var body = ProductData.Request(_chain, amount: amount);
        if (noteId is not null)
        {
            body["noteId"] = noteId;
        }

        var request = await enterprise.CreateRequestAsync(body);
        var offer = await bank.CreateOfferAsync(request, ProductData.Offer(productId, amount: amount, termDays: termDays));
        await (await enterprise.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectAsync(HttpStatusCode.OK);
        return offer;
    }

    private static JsonObject Metrics(JsonNode roster, string chainId) => roster.Entry(chainId)["metrics"]!.AsObject();

    private async Task<string> IssueNoteAsync(LocalDate dueDate) =>
        (await (await _coreClient.PostJsonAsync("/api/v1/notes", new { payeeId = _sme, amount = 100_000m, dueDate = dueDate.ToString("uuuu-MM-dd", null) }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    [ProviderFact]
    public async Task Compile_LeadBanksAcceptedOffer_ShowsItsResults_IdleLeadBankIsFlagged()
    {
        var product = await _lead.CreateProductAsync(ProductData.Product());
        await FinanceAsync(_smeClient, _lead, product, 480_000.37m);

        var roster = await _admin.CompileAsync("2026H2");

        var metrics = Metrics(roster, _chain);
        Assert.Equal("2026H1", metrics["period"]!.GetValue<string>());
        Assert.Equal(1, metrics["offersAccepted"]!.GetValue<int>());
        Assert.Equal(480_000.37m, metrics["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(0, metrics["notesDiscounted"]!.GetValue<int>());
        Assert.Equal(1, metrics["enterprisesServed"]!.GetValue<int>());
        Assert.Empty(roster.Entry(_chain).FlagCodes());

        var idle = roster.Entry(_idleChain);
        Assert.Equal(["leadBankFinancedNothing"], idle.FlagCodes());
        Assert.Equal(0, idle["metrics"]!["offersAccepted"]!.GetValue<int>());
        Assert.Equal(0m, idle["metrics"]!["amountFinanced"]!.GetValue<decimal>());

        // The half-year under way reports the one before it, in which nothing was accepted.
        var current = await _admin.CompileAsync("2026H1");
        Assert.Equal(["leadBankFinancedNothing"], current.Entry(_chain).FlagCodes());
    }

    [ProviderFact]
    public async Task Compile_SumsOffers_CountsNoteDiscountsAndDistinctEnterprises()
    {
        var loan = await _lead.CreateProductAsync(ProductData.Product());
        var discount = await _lead.CreateProductAsync(ProductData.Product("票据贴现", type: "noteDiscount", minRateBps: 300));
        await FinanceAsync(_smeClient, _lead, loan, 100_000.01m);
        await FinanceAsync(_smeClient, _lead, loan, 200_000.02m);
        var note = (await (await _coreClient.PostJsonAsync("/api/v1/notes", new
            {
                payeeId = _secondSme,
                amount = 400_000m,
                // 91 days on: Monday 2026-06-15, a business day, so the discount runs exactly that long.
                dueDate = _app.Clock.GetCurrentInstant().InUtc().Date.PlusDays(91).ToString("uuuu-MM-dd", null),
            })).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await FinanceAsync(_secondSmeClient, _lead, discount, 300_000.03m, noteId: note, termDays: 91);

        var metrics = Metrics(await _regulator.CompileAsync("2026H2"), _chain);

        Assert.Equal(3, metrics["offersAccepted"]!.GetValue<int>());
        Assert.Equal(600_000.06m, metrics["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(1, metrics["notesDiscounted"]!.GetValue<int>());
        Assert.Equal(2, metrics["enterprisesServed"]!.GetValue<int>());
    }

    [ProviderFact]
    public async Task Compile_OfferAcceptedFromABankThatIsNotTheLeadBank_DoesNotCount()
    {
        var otherProduct = await _other.CreateProductAsync(ProductData.Product());
        var leadProduct = await _lead.CreateProductAsync(ProductData.Product());
        var request = await _smeClient.CreateRequestAsync(ProductData.Request(_chain));
        var declined = await _lead.CreateOfferAsync(request, ProductData.Offer(leadProduct));
        var accepted = await _other.CreateOfferAsync(request, ProductData.Offer(otherProduct));
        await (await _smeClient.PostAsync($"/api/v1/offers/{accepted}/accept", null)).ExpectAsync(HttpStatusCode.OK);
        var offer = await (await _lead.GetAsync($"/api/v1/offers/{declined}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("declined", offer["status"]!.GetValue<string>());

        var roster = await _admin.CompileAsync("2026H2");

        Assert.Equal(0, Metrics(roster, _chain)["offersAccepted"]!.GetValue<int>());
        Assert.Equal(0m, Metrics(roster, _chain)["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(["leadBankFinancedNothing"], roster.Entry(_chain).FlagCodes());
    }

    /// <summary>
    /// HB-01 moves from the lead bank to the other bank in the middle of 2026H1. The entry lists the other bank, the
    /// lead bank now, with only what it did while it was lead bank: by the time each offer was accepted.
    /// </summary>
    [ProviderFact]
    public async Task Compile_ChainRepairedMidPeriod_CountsOnlyWhatTheCurrentLeadBankDidWhileLeadBank()
    {
        var leadProduct = await _lead.CreateProductAsync(ProductData.Product());
        var otherProduct = await _other.CreateProductAsync(ProductData.Product());
        await FinanceAsync(_smeClient, _lead, leadProduct, 110_000m);           // the lead bank, while lead bank: not the listed bank
        await FinanceAsync(_smeClient, _other, otherProduct, 170_000m);          // the other bank, before it was lead bank
        var request = await _secondSmeClient.CreateRequestAsync(ProductData.Request(_chain, amount: 130_000m));
        var offeredBefore = await _other.CreateOfferAsync(request, ProductData.Offer(otherProduct, amount: 130_000m));

        _app.Clock.Advance(Duration.FromHours(2));
        await _admin.PairAsync(_chain, _otherBank);
        _app.Clock.Advance(Duration.FromHours(1));
        await (await _secondSmeClient.PostAsync($"/api/v1/offers/{offeredBefore}/accept", null)).ExpectAsync(HttpStatusCode.OK); // offered before, accepted after
        await FinanceAsync(_smeClient, _other, otherProduct, 250_000m);         // the other bank, as lead bank
        await FinanceAsync(_smeClient, _lead, leadProduct, 400_000m);           // the former lead bank, after the change

        var entry = (await _admin.CompileAsync("2026H2")).Entry(_chain);

        Assert.Equal(_otherBank, entry["leadBank"]!["institutionId"]!.GetValue<string>());
        var metrics = entry["metrics"]!.AsObject();
        Assert.Equal("2026H1", metrics["period"]!.GetValue<string>());
        Assert.Equal(2, metrics["offersAccepted"]!.GetValue<int>());
        Assert.Equal(380_000m, metrics["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(2, metrics["enterprisesServed"]!.GetValue<int>());
        Assert.Empty(entry.FlagCodes());

        var results = await _app.Services.GetRequiredService<IRosterActivity>().ResultsAsync(HalfYear.Parse("2026H1"), CancellationToken.None);
        var row = Assert.Single(results, r => r.ChainId == _chain);
        Assert.Equal(new RosterResultsInput(_chain, _otherBank, 2, Money.FromYuan(380_000m), 0, 2), row);
    }

    [ProviderFact]
    public async Task Compile_CountsOffersAcceptedWithinTheHalfYear_InShanghaiTime()
    {
        var product = await _lead.CreateProductAsync(ProductData.Product());
        _app.Clock.Reset(H2Start - Duration.FromDays(5));
        var lastInH1 = await _smeClient.CreateRequestAsync(ProductData.Request(_chain, amount: 111_111.11m));
        var firstInH2 = await _smeClient.CreateRequestAsync(ProductData.Request(_chain, amount: 222_222.22m));
        var early = await _lead.CreateOfferAsync(lastInH1, ProductData.Offer(product, amount: 111_111.11m));
        var late = await _lead.CreateOfferAsync(firstInH2, ProductData.Offer(product, amount: 222_222.22m));

        // 30 June 23:59:59 in Shanghai (15:59:59 UTC) is still H1; 1 July 00:00 (16:00 UTC on 30 June) is H2.
        _app.Clock.Reset(H2Start - Duration.FromSeconds(1));
        await (await _smeClient.PostAsync($"/api/v1/offers/{early}/accept", null)).ExpectAsync(HttpStatusCode.OK);
        _app.Clock.Reset(H2Start);
        await (await _smeClient.PostAsync($"/api/v1/offers/{late}/accept", null)).ExpectAsync(HttpStatusCode.OK);

        var h2 = await _admin.CompileAsync("2026H2");
        var y2027 = await _admin.CompileAsync("2027H1");

        Assert.Equal(111_111.11m, Metrics(h2, _chain)["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(1, Metrics(h2, _chain)["offersAccepted"]!.GetValue<int>());
        Assert.Equal("2026H2", Metrics(y2027, _chain)["period"]!.GetValue<string>());
        Assert.Equal(222_222.22m, Metrics(y2027, _chain)["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(1, Metrics(y2027, _chain)["offersAccepted"]!.GetValue<int>());
    }

    [ProviderFact]
    public async Task Compile_CoreEnterpriseThatDishonouredInThePreviousHalfYear_IsFlagged_AndNotesPaidAndDishonouredAreCounted()
    {
        var dishonoured = await IssueNoteAsync(new LocalDate(2026, 4, 1));
        var unanswered = await IssueNoteAsync(new LocalDate(2026, 4, 2));
        var paid = await IssueNoteAsync(new LocalDate(2026, 4, 3));
        await IssueNoteAsync(new LocalDate(2026, 9, 1)); // due later: never counts

        // A note past due but never presented is no flag any more.
        _app.Clock.Reset(Instant.FromUtc(2026, 4, 1, 2, 0));
        Assert.DoesNotContain("coreEnterpriseDishonouredNote", (await _admin.CompileAsync("2026H2")).Entry(_chain).FlagCodes());

        var first = await PresentAsync(dishonoured);
        await (await _coreClient.PostAsJsonAsync($"/api/v1/notes/{dishonoured}/presentments/{first}/dishonour", new { reason = "资金不足" })).ExpectAsync(HttpStatusCode.OK);
        _app.Clock.Reset(Instant.FromUtc(2026, 4, 2, 2, 0));
        await PresentAsync(unanswered); // never answered: due by the end of 2026-04-07, as 清明 (4-4 to 4-6) has no business days
        _app.Clock.Reset(Instant.FromUtc(2026, 4, 3, 2, 0));
        var third = await PresentAsync(paid);
        await (await _coreClient.PostAsync($"/api/v1/notes/{paid}/presentments/{third}/pay", null)).ExpectAsync(HttpStatusCode.OK);
        _app.Clock.Reset(Instant.FromUtc(2026, 4, 8, 2, 0));
        Assert.Equal(1, await _app.Services.GetRequiredService<FinanceChain.Api.Notes.PresentmentAnswerJob>().RunAsync(CancellationToken.None));

        // Compiling 2026H2 looks at 2026H1: two dishonours (one unanswered) and one note paid.
        var entry = (await _admin.CompileAsync("2026H2")).Entry(_chain);
        var flag = entry["flags"]!.AsArray().Single(f => f!["code"]!.GetValue<string>() == "coreEnterpriseDishonouredNote")!;
        Assert.Equal(_core, flag["enterpriseId"]!.GetValue<string>());
        Assert.Contains("拒付了 2 次提示付款（其中 1 次未作应答），最早一次在 2026年4月1日", flag["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((1, 2), (entry["metrics"]!["notesPaid"]!.GetValue<int>(), entry["metrics"]!["notesDishonoured"]!.GetValue<int>()));
        Assert.DoesNotContain("coreEnterpriseDishonouredNote", (await _admin.CompileAsync("2026H2")).Entry(_idleChain).FlagCodes());

        // Compiling 2026H1 looks at 2025H2, when nothing happened.
        var earlier = (await _admin.CompileAsync("2026H1")).Entry(_chain);
        Assert.DoesNotContain("coreEnterpriseDishonouredNote", earlier.FlagCodes());
        Assert.Equal((0, 0), (earlier["metrics"]!["notesPaid"]!.GetValue<int>(), earlier["metrics"]!["notesDishonoured"]!.GetValue<int>()));
    }

    [ProviderFact]
    public async Task DishonouringAcceptors_OneRowPerEnterprise_WithCountsAndTheFirstDate()
    {
        var one = await IssueNoteAsync(new LocalDate(2026, 5, 20));
        var two = await IssueNoteAsync(new LocalDate(2026, 5, 21));
        _app.Clock.Reset(Instant.FromUtc(2026, 5, 21, 2, 0));
        foreach (var note in new[] { one, two })
        {
            var presentment = await PresentAsync(note);
            await (await _coreClient.PostAsJsonAsync($"/api/v1/notes/{note}/presentments/{presentment}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);
        }

        var activity = _app.Services.GetRequiredService<IRosterActivity>();
        var rows = await activity.DishonouringAcceptorsAsync(HalfYear.Parse("2026H1"), CancellationToken.None);

        Assert.IsType<RosterActivity>(activity);
        Assert.Equal([new RosterDishonouringAcceptorInput(_core, 2, 0, new LocalDate(2026, 5, 21))], rows);
        Assert.Empty(await activity.DishonouringAcceptorsAsync(HalfYear.Parse("2026H2"), CancellationToken.None));
        Assert.Equal([new RosterNoteOutcomesInput(_chain, 0, 2)], await activity.NoteOutcomesAsync(HalfYear.Parse("2026H1"), CancellationToken.None));
    }

    private async Task<string> PresentAsync(string noteId) =>
        (await (await _smeClient.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    /// <summary>
    /// Two half-years end to end: the lead bank's results are published for 2026H2, the chain changes its lead
    /// bank, and the 2027H1 roster compiled by the job counts only the new lead bank and shows the change in its diff.
    /// </summary>
    [ProviderFact]
    public async Task LeadBankChange_ShowsInTheNextPeriodsDiff_AndOnlyTheCurrentLeadBanksResultsCount()
    {
        var job = _app.Services.GetRequiredService<RosterRepublishJob>();
        var leadProduct = await _lead.CreateProductAsync(ProductData.Product());
        var otherProduct = await _other.CreateProductAsync(ProductData.Product());
        await FinanceAsync(_smeClient, _lead, leadProduct, 150_000m);

        _app.Clock.Reset(H2Start);
        Assert.Equal(new RosterJobResult("2026H2", "compiled"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));
        await _regulator.ApproveAsync("2026H2");
        var first = await (await _app.ClientWithKey(null).GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(150_000m, Metrics(first, _chain)["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(_leadBank, first.Entry(_chain)["leadBank"]!["institutionId"]!.GetValue<string>());

        // In August the chain moves to the other bank; both banks finance on it afterwards.
        _app.Clock.Advance(Duration.FromDays(40));
        await _admin.PairAsync(_chain, _otherBank);
        await FinanceAsync(_secondSmeClient, _other, otherProduct, 250_000.5m);
        await FinanceAsync(_smeClient, _lead, leadProduct, 400_000m);

        _app.Clock.Reset(Y2027Start);
        Assert.Equal(new RosterJobResult("2027H1", "compiled"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));
        var draft = await (await _regulator.GetAsync("/api/v1/rosters/2027H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(draft.Entry(_chain).FlagCodes());
        await _regulator.ApproveAsync("2027H1");

        var latest = await (await _app.ClientWithKey(null).GetAsync("/api/v1/rosters/published/latest")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2027H1", latest["period"]!.GetValue<string>());
        var metrics = Metrics(latest, _chain);
        Assert.Equal("2026H2", metrics["period"]!.GetValue<string>());
        Assert.Equal(1, metrics["offersAccepted"]!.GetValue<int>());
        Assert.Equal(250_000.5m, metrics["amountFinanced"]!.GetValue<decimal>());
        Assert.Equal(1, metrics["enterprisesServed"]!.GetValue<int>());

        var diff = await (await _lead.GetAsync("/api/v1/rosters/2027H1/diff")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026H2", diff["fromPeriod"]!.GetValue<string>());
        Assert.Equal("2027H1", diff["toPeriod"]!.GetValue<string>());
        var change = diff["leadBankChanges"]!.AsArray().Single()!;
        Assert.Equal(_chain, change["chain"]!["chainId"]!.GetValue<string>());
        Assert.Equal(_leadBank, change["from"]!["institutionId"]!.GetValue<string>());
        Assert.Equal(_otherBank, change["to"]!["institutionId"]!.GetValue<string>());
        Assert.Empty(diff["chainsAdded"]!.AsArray());
        Assert.Empty(diff["chainsRemoved"]!.AsArray());
    }
}

/// <summary>The roster activity suite on SQLite.</summary>
public sealed class SqliteRosterActivityTests : RosterActivitySuite<SqliteProvider>;

/// <summary>The roster activity suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerRosterActivityTests : RosterActivitySuite<SqlServerProvider>;
