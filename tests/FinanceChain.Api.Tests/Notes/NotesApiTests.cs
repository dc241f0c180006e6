using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

public sealed class NotesApiTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();

    public Task InitializeAsync() => _w.InitializeAsync();

    public Task DisposeAsync() => _w.DisposeAsync();

    [Fact]
    public async Task Scenario_ReceivableToNoteToSplitTransfer_HistoryShowsEveryStep()
    {
        // The supplier registers what the core enterprise owes it; the core enterprise confirms it (确权).
        var receivable = await _w.RegisterReceivableAsync(500_000m);
        var confirmed = await (await _w.Core.PostAsync($"/api/v1/receivables/{receivable}/confirm", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", confirmed["status"]!.GetValue<string>());

        // It turns the receivable into a note of 500,000.00 yuan held by the supplier: sub-notes 1-50000000.
        var note = await _w.IssueNoteAsync(500_000m, receivableId: receivable);
        var noteId = note["id"]!.GetValue<string>();
        Assert.Equal("outstanding", note["status"]!.GetValue<string>());
        Assert.Equal(_w.CoreId, note["acceptorId"]!.GetValue<string>());
        Assert.Equal(500_000m, note["amount"]!.GetValue<decimal>());
        Assert.Equal("2026-03-16", note["issueDate"]!.GetValue<string>());
        Assert.Equal([$"{_w.SupplierId}:1-50000000"], NotesWorld.Holdings(note));
        Assert.True(NoteNumber.IsValid(note["number"]!.GetValue<string>()));

        var used = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("convertedToNote", used["status"]!.GetValue<string>());
        Assert.Equal(noteId, used["usedBy"]!.GetValue<string>());

        // The supplier passes 150,000.25 yuan on to its own supplier: the lowest sub-notes move.
        var transfer = await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 150_000.25m)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(150_000.25m, transfer["amount"]!.GetValue<decimal>());
        Assert.Equal(1, transfer["ranges"]![0]!["from"]!.GetValue<long>());
        Assert.Equal(15_000_025, transfer["ranges"]![0]!["to"]!.GetValue<long>());

        var after = await _w.GetNoteAsync(noteId, _w.SubSupplier);
        Assert.Equal([$"{_w.SubSupplierId}:1-15000025", $"{_w.SupplierId}:15000026-50000000"], NotesWorld.Holdings(after));
        Assert.Equal(150_000.25m, after["holdings"]![0]!["amount"]!.GetValue<decimal>());
        Assert.Equal(349_999.75m, after["holdings"]![1]!["amount"]!.GetValue<decimal>());

        var history = await (await _w.SubSupplier.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history["items"]!.AsArray();
        Assert.Equal(["issued", "transferred"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal([1, 2], events.Select(e => e!["seq"]!.GetValue<int>()));
        Assert.Equal(_w.CoreId, events[0]!["actorId"]!.GetValue<string>());
        Assert.Equal(_w.SupplierId, events[0]!["toId"]!.GetValue<string>());
        Assert.Equal(_w.SupplierId, events[1]!["actorId"]!.GetValue<string>());
        Assert.Equal(_w.SubSupplierId, events[1]!["toId"]!.GetValue<string>());
        Assert.Equal("1-15000025", $"{events[1]!["ranges"]![0]!["from"]}-{events[1]!["ranges"]![0]!["to"]}");
        Assert.False(string.IsNullOrEmpty(events[1]!["actorKeyId"]!.GetValue<string>()));

        // Every change is in the audit trail.
        var audit = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={noteId}")).ExpectAsync(HttpStatusCode.OK);
        var actions = audit["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("note.issued", actions);
        Assert.Contains("note.transferred", actions);
    }

    [Fact]
    public async Task Note_NumbersAreUniqueAndValid()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await _w.IssueNoteAsync(1_000m))["number"]!.GetValue<string>());
        }

        Assert.Equal(3, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.True(NoteNumber.IsValid(n)));
        Assert.All(numbers, n => Assert.Equal(new LocalDate(2026, 3, 16), NoteNumber.Parse(n).IssueDate));
    }

    [Theory]
    [InlineData("0.01", "1-1")]
    [InlineData("500000", "1-50000000")]
    public async Task Transfer_Boundaries_MoveExactlyTheLowestSubNotes(string amount, string moved)
    {
        var noteId = (await _w.IssueNoteAsync(500_000m))["id"]!.GetValue<string>();

        var transfer = await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(moved, $"{transfer["ranges"]![0]!["from"]}-{transfer["ranges"]![0]!["to"]}");
        var total = transfer["holdings"]!.AsArray().Sum(h => h!["amount"]!.GetValue<decimal>());
        Assert.Equal(500_000m, total);
    }

    [Fact]
    public async Task Transfer_MoreThanHeld_Returns409AndChangesNothing()
    {
        var noteId = (await _w.IssueNoteAsync(500_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 100m)).ExpectAsync(HttpStatusCode.Created);
        var before = await _w.GetNoteAsync(noteId);
        var historyBefore = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);

        // The supplier holds 499,900.00: one fen more is refused.
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 499_900.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);
        // A party that holds nothing (the acceptor) cannot pass anything on.
        await (await NotesWorld.TransferAsync(_w.Core, noteId, _w.SubSupplierId, 0.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(NotesWorld.Holdings(before), NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));
        var historyAfter = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(historyBefore["items"]!.AsArray().Count, historyAfter["items"]!.AsArray().Count);

        // Exactly what is held is fine.
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 499_900m)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal([$"{_w.SubSupplierId}:1-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));
    }

    [Fact]
    public async Task Transfer_FragmentedHolding_TakesLowestRangesFirst()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        // supplier 1-1000 → sub-supplier gets 1-300; sub-supplier gives 1-100 back to the supplier.
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 3m)).ExpectAsync(HttpStatusCode.Created);
        await (await NotesWorld.TransferAsync(_w.SubSupplier, noteId, _w.SupplierId, 1m)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal([$"{_w.SupplierId}:1-100", $"{_w.SubSupplierId}:101-300", $"{_w.SupplierId}:301-1000"], NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));

        var transfer = await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.StrangerId, 1.5m)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(["1-100", "301-350"], transfer["ranges"]!.AsArray().Select(r => $"{r!["from"]}-{r["to"]}"));
        Assert.Equal(
            [$"{_w.StrangerId}:1-100", $"{_w.SubSupplierId}:101-300", $"{_w.StrangerId}:301-350", $"{_w.SupplierId}:351-1000"],
            NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));
        // The recipient, once a stranger, now sees the note; the transfer itself can be read back.
        var location = transfer["id"]!.GetValue<string>();
        var read = await (await _w.Stranger.GetAsync($"/api/v1/notes/{noteId}/transfers/{location}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1.5m, read["amount"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("2026-09-16", HttpStatusCode.Created)] // exactly 6 months
    [InlineData("2026-09-17", HttpStatusCode.BadRequest)]
    [InlineData("2026-03-16", HttpStatusCode.BadRequest)] // today
    [InlineData("2026-03-17", HttpStatusCode.Created)]
    [InlineData("2026-01-01", HttpStatusCode.BadRequest)]
    public async Task Note_DueDate_WithinSixMonthsOnly(string dueDate, HttpStatusCode expected)
    {
        var response = await _w.Core.PostJsonAsync("/api/v1/notes", new { payeeId = _w.SupplierId, amount = 100m, dueDate });

        if (expected == HttpStatusCode.BadRequest)
        {
            await response.ExpectValidationErrorAsync("dueDate");
            await AssertNoNotesAsync();
        }
        else
        {
            await response.ExpectAsync(expected);
        }
    }

    [Fact]
    public async Task Note_FromReceivable_UsedUp_Returns409()
    {
        var receivable = await _w.ConfirmedReceivableAsync(500_000m);
        await _w.IssueNoteAsync(400_000m, receivableId: receivable);
        await _w.IssueNoteAsync(100_000m, receivableId: receivable);

        var again = await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: receivable));

        var problem = await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("receivableAlreadyUsed", problem["code"]!.GetValue<string>());
        var list = await (await _w.Regulator.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, list["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Note_FromReceivable_RulesAreChecked()
    {
        var receivable = await _w.ConfirmedReceivableAsync(1_000m);
        var unconfirmed = await _w.RegisterReceivableAsync(1_000m);

        // More than the receivable.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 1_000.01m, receivableId: receivable))).ExpectValidationErrorAsync("amount");
        // The payee must be the receivable's creditor.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SubSupplierId, 100m, receivableId: receivable))).ExpectValidationErrorAsync("payeeId");
        // Not confirmed yet.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: unconfirmed))).ExpectProblemAsync(HttpStatusCode.Conflict);
        // Unknown receivable.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: TestData.UnknownId("rcv")))).ExpectValidationErrorAsync("receivableId");
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: receivable.ToUpperInvariant()))).ExpectValidationErrorAsync("receivableId");
        await AssertNoNotesAsync();

        var stillConfirmed = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", stillConfirmed["status"]!.GetValue<string>());

        // The whole receivable is fine.
        await _w.IssueNoteAsync(1_000m, receivableId: receivable);
    }

    [Fact]
    public async Task Note_FromReceivableOwedToTheCaller_Returns400()
    {
        // The core enterprise is owed by the supplier here: it may not turn its own claim into its note.
        var created = await (await _w.Core.PostJsonAsync("/api/v1/receivables", new
        {
            debtorId = _w.SupplierId,
            amount = 1_000m,
            dueDate = NotesWorld.Iso(NotesWorld.DueDate),
            invoiceNumbers = new[] { "25442000000000000001" },
        })).ExpectAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await (await _w.Supplier.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectAsync(HttpStatusCode.OK);

        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: id))).ExpectValidationErrorAsync("receivableId");
        await AssertNoNotesAsync();
    }

    [Fact]
    public async Task Note_IssuedByNonCoreEnterprise_Returns403()
    {
        await (await _w.Supplier.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SubSupplierId, 100m))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _w.Stranger.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await AssertNoNotesAsync();
    }

    [Fact]
    public async Task Settle_BeforeDueDate_Returns409_OnDueDate_PaysEveryHolder()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m, dueDate: new LocalDate(2026, 4, 30)))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 250.5m)).ExpectAsync(HttpStatusCode.Created);

        // The day before the due date (Shanghai): too early.
        _w.App.Clock.Reset(Instant.FromUtc(2026, 4, 29, 15, 59));
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        // From the due date on, the note is presented for payment, not passed on.
        _w.App.Clock.Reset(Instant.FromUtc(2026, 4, 29, 16, 0)); // 2026-04-30 00:00 in Shanghai
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 1m)).ExpectProblemAsync(HttpStatusCode.Conflict);
        // Only the acceptor settles.
        await (await _w.Supplier.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var settled = await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("settled", settled["status"]!.GetValue<string>());
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var history = await (await _w.Supplier.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history["items"]!.AsArray();
        Assert.Equal(["issued", "transferred", "paid", "paid", "settled"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(
            [$"{_w.SubSupplierId}:250.5", $"{_w.SupplierId}:749.5"],
            events.Where(e => e!["type"]!.GetValue<string>() == "paid").Select(e => $"{e!["toId"]}:{e["amount"]}"));
        Assert.Equal("settled", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_PastDueAndUnpaid_IsOverdue_UntilSettled()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m, dueDate: new LocalDate(2026, 4, 30)))["id"]!.GetValue<string>();

        _w.App.Clock.Reset(Instant.FromUtc(2026, 4, 30, 15, 59)); // still 2026-04-30 in Shanghai
        Assert.Equal("outstanding", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());
        _w.App.Clock.Reset(Instant.FromUtc(2026, 4, 30, 16, 0)); // 2026-05-01 in Shanghai
        Assert.Equal("overdue", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());
        var list = await (await _w.Supplier.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("overdue", list["items"]![0]!["status"]!.GetValue<string>());

        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("settled", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_ShowsOnlyNotesTheCallerIsInvolvedIn_Paged()
    {
        var first = (await _w.IssueNoteAsync(100m))["id"]!.GetValue<string>();
        var second = (await _w.IssueNoteAsync(200m))["id"]!.GetValue<string>();
        var third = (await _w.IssueNoteAsync(300m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, second, _w.SubSupplierId, 200m)).ExpectAsync(HttpStatusCode.Created);

        async Task<List<string>> IdsOf(HttpClient client, string query = "")
        {
            var page = await (await client.GetAsync($"/api/v1/notes{query}")).ExpectAsync(HttpStatusCode.OK);
            return page["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        }

        Assert.Equal([first, second, third], await IdsOf(_w.Core));
        Assert.Equal([first, second, third], await IdsOf(_w.Supplier)); // a past holder of the second
        Assert.Equal([second], await IdsOf(_w.SubSupplier));
        Assert.Empty(await IdsOf(_w.Stranger));
        Assert.Empty(await IdsOf(_w.Bank));
        Assert.Equal([first, second, third], await IdsOf(_w.Regulator));
        Assert.Empty(await IdsOf(_w.Admin));

        var page1 = await (await _w.Core.GetAsync("/api/v1/notes?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        Assert.Equal([third], await IdsOf(_w.Core, $"?limit=2&cursor={page1["next"]}"));
    }

    [Fact]
    public async Task Visibility_PastHolderSeesNote_StrangerUninvolvedBankAndAdminGet404()
    {
        var noteId = (await _w.IssueNoteAsync(100m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 100m)).ExpectAsync(HttpStatusCode.Created);

        foreach (var client in new[] { _w.Core, _w.Supplier, _w.SubSupplier, _w.Regulator })
        {
            await (await client.GetAsync($"/api/v1/notes/{noteId}")).ExpectAsync(HttpStatusCode.OK);
            await (await client.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        }

        // Admin keeps the registry; notes are the parties' and the regulator's business.
        foreach (var client in new[] { _w.Stranger, _w.Bank, _w.Admin })
        {
            await (await client.GetAsync($"/api/v1/notes/{noteId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task RejectedCalls_AreNotAudited()
    {
        var noteId = (await _w.IssueNoteAsync(100m))["id"]!.GetValue<string>();
        var before = await AuditCountAsync();

        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 100.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await NotesWorld.TransferAsync(_w.Stranger, noteId, _w.SubSupplierId, 1m)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, await AuditCountAsync());
    }

    private async Task<long> AuditCountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log");
    }

    private async Task AssertNoNotesAsync()
    {
        var list = await (await _w.Regulator.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_holdings"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_events"));
    }
}
