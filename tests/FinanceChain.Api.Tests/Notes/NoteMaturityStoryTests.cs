using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// 票据到期的一生, as its parties would go through it: the core enterprise's note to its supplier is passed on twice,
/// the last holder presents it, the core enterprise dishonours it, the last holder recovers from its endorser, who
/// recovers from the acceptor; then the others present and are paid, and the note is settled. Every step is in the
/// note's history, with names, and in the audit trail.
/// </summary>
public sealed class NoteMaturityStoryTests : IAsyncLifetime
{
    // Tuesday 2026-09-01, 10:00 in Shanghai.
    private static readonly Instant DueMorning = Instant.FromUtc(2026, 9, 1, 2, 0);

    private readonly NotesWorld _w = new();
    private HttpClient _third = null!;
    private string _thirdId = "";

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        var third = Rename(TestData.Enterprise(_w.ChainId), "武汉楚天精密铸造有限公司");
        _thirdId = (await (await _w.Admin.PostJsonAsync("/api/v1/enterprises", third)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        _third = await _w.App.ClientAsync(Role.Enterprise, enterpriseId: _thirdId);
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    [Fact]
    public async Task PassedOnTwice_Presented_Dishonoured_TheLastHolderRecoversFromItsEndorser_WhoRecoversFromTheAcceptor()
    {
        // The core enterprise issues 500,000.00 to its supplier, due 2026-09-01; it is passed on twice.
        var noteId = (await _w.IssueNoteAsync(500_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 300_000m)).ExpectAsync(HttpStatusCode.Created);
        await (await NotesWorld.TransferAsync(_w.SubSupplier, noteId, _thirdId, 200_000m)).ExpectAsync(HttpStatusCode.Created);

        // On the due date the last holder presents what it holds.
        _w.App.Clock.Reset(DueMorning);
        var presented = await (await _third.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created);
        var presentmentId = presented["id"]!.GetValue<string>();
        Assert.Equal("presented", presented["status"]!.GetValue<string>());
        Assert.Equal(200_000m, presented["amount"]!.GetValue<decimal>());
        Assert.Equal("武汉楚天精密铸造有限公司", presented["holderName"]!.GetValue<string>());
        Assert.Equal("2026-09-03", presented["answerDueDate"]!.GetValue<string>()); // two business days on

        // The core enterprise refuses to pay.
        var dishonoured = await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "资金不足" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("dishonoured", "资金不足"), (dishonoured["status"]!.GetValue<string>(), dishonoured["reason"]!.GetValue<string>()));
        Assert.Equal("dishonoured", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());

        // The last holder may pursue the acceptor and both earlier endorsers, each for the whole 200,000.00.
        var targets = await TargetsAsync(_third, noteId, presentmentId);
        Assert.Equal(_thirdId, targets["holderId"]!.GetValue<string>());
        Assert.Equal(
            [(_w.CoreId, "acceptor", 200_000m), (_w.SupplierId, "endorser", 200_000m), (_w.SubSupplierId, "endorser", 200_000m)],
            Targets(targets));

        // It claims from its endorser, which pays and takes its place.
        var claim = await ClaimAsync(_third, noteId, presentmentId, _w.SubSupplierId, 200_000m);
        Assert.Equal("open", claim["status"]!.GetValue<string>());
        var paid = await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/recourse/{claim["id"]}/pay", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("paid", paid["status"]!.GetValue<string>());
        var afterRecourse = await _w.GetNoteAsync(noteId);
        Assert.Equal([$"{_w.SubSupplierId}:1-30000000", $"{_w.SupplierId}:30000001-50000000"], NotesWorld.Holdings(afterRecourse));

        // The endorser who paid pursues the acceptor (or the supplier; never the holder it had passed the note to).
        var ownTargets = await TargetsAsync(_w.SubSupplier, noteId, presentmentId);
        Assert.Equal([(_w.CoreId, "acceptor", 200_000m), (_w.SupplierId, "endorser", 200_000m)], Targets(ownTargets));
        var fromAcceptor = await ClaimAsync(_w.SubSupplier, noteId, presentmentId, _w.CoreId, 200_000m);
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/recourse/{fromAcceptor["id"]}/pay", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("outstanding", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>()); // nothing dishonoured is unpaid; due today

        // The others present their own balances and are paid: the note is settled.
        _w.App.Clock.Advance(Duration.FromDays(1));
        foreach (var holder in new[] { _w.SubSupplier, _w.Supplier })
        {
            var own = await (await holder.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created);
            await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/presentments/{own["id"]}/pay", null)).ExpectAsync(HttpStatusCode.OK);
        }

        var settled = await _w.GetNoteAsync(noteId);
        Assert.Equal("settled", settled["status"]!.GetValue<string>());
        Assert.All(settled["holdings"]!.AsArray(), h => Assert.NotNull(h!["holderName"]));

        // Every step is in the note's history, with who did it and whom it concerned.
        var history = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var items = history["items"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(
        [
            ("issued", _w.CoreId, _w.SupplierId, 500_000m),
            ("transferred", _w.SupplierId, _w.SubSupplierId, 300_000m),
            ("transferred", _w.SubSupplierId, _thirdId, 200_000m),
            ("presented", _thirdId, _w.CoreId, 200_000m),
            ("dishonoured", _w.CoreId, _thirdId, 200_000m),
            ("recourseClaimed", _thirdId, _w.SubSupplierId, 200_000m),
            ("recoursePaid", _w.SubSupplierId, _thirdId, 200_000m),
            ("recourseClaimed", _w.SubSupplierId, _w.CoreId, 200_000m),
            ("recoursePaid", _w.CoreId, _w.SubSupplierId, 200_000m),
            ("presented", _w.SubSupplierId, _w.CoreId, 100_000m),
            ("paid", _w.CoreId, _w.SubSupplierId, 100_000m),
            ("presented", _w.SupplierId, _w.CoreId, 200_000m),
            ("paid", _w.CoreId, _w.SupplierId, 200_000m),
            ("settled", _w.CoreId, null, 500_000m),
        ],
            items.Select(e => (e["type"]!.GetValue<string>(), e["fromId"]!.GetValue<string>(), e["toId"]?.GetValue<string>(), e["amount"]!.GetValue<decimal>())));
        Assert.Equal(Enumerable.Range(1, items.Count), items.Select(e => e["seq"]!.GetValue<int>()));
        Assert.All(items, e => Assert.NotNull(e["fromName"]));
        Assert.All(items, e => Assert.Equal("test", e["actorKeyName"]!.GetValue<string>()));
        Assert.Equal("资金不足", items[4]["reason"]!.GetValue<string>());
        Assert.All(items.Skip(3).Take(6), e => Assert.Equal(presentmentId, e["presentmentId"]!.GetValue<string>()));
        Assert.Equal(claim["id"]!.GetValue<string>(), items[6]["recourseId"]!.GetValue<string>());
        Assert.Equal("1-20000000", Ranges(items[6]));

        // And in the audit trail.
        var audit = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={noteId}&limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(
        [
            "note.issued", "note.transferred", "note.transferred", "note.presented", "note.dishonoured", "note.recourseClaimed", "note.recoursePaid",
            "note.recourseClaimed", "note.recoursePaid", "note.presented", "note.presentmentPaid", "note.presented", "note.presentmentPaid", "note.settled",
        ],
            audit["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Presentment_OnTheDueDateAndTenDaysAfter_IsAccepted_TheDayBeforeAndTheEleventhDayAre409()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        var other = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 400m)).ExpectAsync(HttpStatusCode.Created);

        _w.App.Clock.Reset(Instant.FromUtc(2026, 8, 31, 15, 59, 59)); // 23:59:59 on 2026-08-31 in Shanghai
        var early = await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("presentmentBeforeDueDate", early["code"]!.GetValue<string>());

        _w.App.Clock.Reset(Instant.FromUtc(2026, 8, 31, 16, 0)); // 00:00 on the due date
        await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created);
        var twice = await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("presentmentAlreadyMade", twice["code"]!.GetValue<string>());

        _w.App.Clock.Reset(Instant.FromUtc(2026, 9, 11, 15, 59, 59)); // 23:59:59 on 2026-09-11, the tenth day after
        await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created);
        var stranger = await (await _third.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("noteNotFound", stranger["code"]!.GetValue<string>()); // no party of this note

        _w.App.Clock.Reset(Instant.FromUtc(2026, 9, 11, 16, 0)); // 00:00 on 2026-09-12, the eleventh day
        var closed = await (await _w.Supplier.PostAsync($"/api/v1/notes/{other}/presentments", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("presentmentWindowClosed", closed["code"]!.GetValue<string>());
        Assert.Equal("票据于 2026年9月1日 到期，提示付款期已于 2026年9月11日 届满。", closed["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recourse_IsRefusedOutsideTheHoldersLiabilityAndState_AndTheFirstPaymentEndsTheOtherClaims()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 400m)).ExpectAsync(HttpStatusCode.Created);
        _w.App.Clock.Reset(DueMorning);
        var presentmentId = (await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        // Not dishonoured yet: no targets, no claims.
        var notYet = await (await _w.SubSupplier.GetAsync($"/api/v1/notes/{noteId}/recourse-targets?presentmentId={presentmentId}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("presentmentNotDishonoured", notYet["code"]!.GetValue<string>());
        await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);

        async Task<string> RefusedAsync(HttpClient client, object body, HttpStatusCode status) =>
            (await (await client.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", body)).ExpectProblemAsync(status))["code"]!.GetValue<string>();

        Assert.Equal("recourseTargetNotLiable", await RefusedAsync(_w.SubSupplier, new { presentmentId, targetId = _w.StrangerId, amount = 1m }, HttpStatusCode.Conflict));
        Assert.Equal("recourseAmountExceedsLiability", await RefusedAsync(_w.SubSupplier, new { presentmentId, targetId = _w.SupplierId, amount = 400.01m }, HttpStatusCode.Conflict));
        Assert.Equal("recourseNothingHeld", await RefusedAsync(_w.Supplier, new { presentmentId, targetId = _w.CoreId, amount = 1m }, HttpStatusCode.Conflict));
        Assert.Equal("presentmentNotFound", await RefusedAsync(_w.SubSupplier, new { presentmentId = TestData.UnknownId("prs"), targetId = _w.CoreId, amount = 1m }, HttpStatusCode.NotFound));
        await (await _w.SubSupplier.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", new { presentmentId, targetId = _w.CoreId, amount = 0m })).ExpectValidationErrorAsync("amount");

        // Joint liability: it claims the whole from both; the acceptor pays first, the other claim ends.
        var againstSupplier = await ClaimAsync(_w.SubSupplier, noteId, presentmentId, _w.SupplierId, 400m);
        var againstCore = await ClaimAsync(_w.SubSupplier, noteId, presentmentId, _w.CoreId, 400m);
        var forbidden = await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/recourse/{againstCore["id"]}/pay", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("recourseOnlyTargetPays", forbidden["code"]!.GetValue<string>());
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/recourse/{againstCore["id"]}/pay", null)).ExpectAsync(HttpStatusCode.OK);

        var ended = await (await _w.Supplier.GetAsync($"/api/v1/notes/{noteId}/recourse/{againstSupplier["id"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("superseded", ended["status"]!.GetValue<string>());
        var late = await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/recourse/{againstSupplier["id"]}/pay", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("recourseNotOpen", late["code"]!.GetValue<string>());
        var claims = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/recourse")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["superseded", "paid"], claims["items"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()));
        Assert.Equal("outstanding", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>()); // due today, nothing dishonoured unpaid
        _w.App.Clock.Advance(Duration.FromDays(1));
        Assert.Equal("overdue", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>()); // the supplier's 600.00 are unpaid
    }

    [Fact]
    public async Task Settle_AfterADishonour_PaysEveryoneTheirUnpaidSubNotes_AndEndsOpenClaims()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 400m)).ExpectAsync(HttpStatusCode.Created);
        _w.App.Clock.Reset(DueMorning);
        var presentmentId = (await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);
        var claim = await ClaimAsync(_w.SubSupplier, noteId, presentmentId, _w.SupplierId, 400m);

        var settled = await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("settled", settled["status"]!.GetValue<string>());
        var ended = await (await _w.SubSupplier.GetAsync($"/api/v1/notes/{noteId}/recourse/{claim["id"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("superseded", ended["status"]!.GetValue<string>());
        var history = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var tail = history["items"]!.AsArray().TakeLast(4).Select(e => (e!["type"]!.GetValue<string>(), e["toId"]?.GetValue<string>(), e["amount"]!.GetValue<decimal>()));
        Assert.Equal([("recourseSuperseded", _w.SupplierId, 400m), ("paid", _w.SubSupplierId, 400m), ("paid", _w.SupplierId, 600m), ("settled", null, 1_000m)], tail);
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    private static object Rename(object enterprise, string name)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(enterprise)!.AsObject();
        node["name"] = name;
        return node;
    }

    private static async Task<JsonNode> TargetsAsync(HttpClient client, string noteId, string presentmentId) =>
        await (await client.GetAsync($"/api/v1/notes/{noteId}/recourse-targets?presentmentId={presentmentId}")).ExpectAsync(HttpStatusCode.OK);

    private static List<(string, string, decimal)> Targets(JsonNode targets) =>
        targets["items"]!.AsArray().Select(t => (t!["partyId"]!.GetValue<string>(), t["kind"]!.GetValue<string>(), t["amount"]!.GetValue<decimal>())).ToList();

    private static async Task<JsonNode> ClaimAsync(HttpClient client, string noteId, string presentmentId, string targetId, decimal amount) =>
        await (await client.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", new { presentmentId, targetId, amount })).ExpectAsync(HttpStatusCode.Created);

    private static string Ranges(JsonNode item) =>
        string.Join(',', item["ranges"]!.AsArray().Select(r => $"{r!["from"]}-{r["to"]}"));
}
