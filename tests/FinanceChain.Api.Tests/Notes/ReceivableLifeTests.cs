using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>A receivable rejected by its debtor, cancelled by its creditor, and turned into several notes.</summary>
public sealed class ReceivableLifeTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();

    public Task InitializeAsync() => _w.InitializeAsync();

    public Task DisposeAsync() => _w.DisposeAsync();

    private static string Url(string id, string action) => $"/api/v1/receivables/{id}/{action}";

    [Fact]
    public async Task Reject_ByTheDebtor_WithAReason_IsFinal_AndFreesTheInvoices()
    {
        var invoice = NotesWorld.NextInvoiceNumber();
        var id = (await (await _w.Supplier.PostJsonAsync("/api/v1/receivables", new { debtorId = _w.CoreId, amount = 80_000m, dueDate = "2026-08-31", invoiceNumbers = new[] { invoice } }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        // The creditor cannot reject its own claim; a stranger does not see it.
        var forbidden = await (await _w.Supplier.PostJsonAsync(Url(id, "reject"), new { reason = "x" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("receivableOnlyDebtorRejects", forbidden["code"]!.GetValue<string>());
        await (await _w.Stranger.PostJsonAsync(Url(id, "reject"), new { reason = "x" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.Core.PostJsonAsync(Url(id, "reject"), new { reason = "" })).ExpectValidationErrorAsync("reason");

        var rejected = await (await _w.Core.PostJsonAsync(Url(id, "reject"), new { reason = " 金额与合同不符 " })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Equal("金额与合同不符", rejected["rejectionReason"]!.GetValue<string>());
        Assert.NotNull(rejected["rejectedAt"]);
        var seen = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("金额与合同不符", seen["rejectionReason"]!.GetValue<string>());

        // Final: no confirmation, no second decision, no note from it.
        var conflict = await (await _w.Core.PostAsync(Url(id, "confirm"), null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("receivableNotRegistered", conflict["code"]!.GetValue<string>());
        await (await _w.Core.PostJsonAsync(Url(id, "reject"), new { reason = "again" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.Supplier.PostAsync(Url(id, "cancel"), null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // The corrected receivable may name the same invoice.
        await (await _w.Supplier.PostJsonAsync("/api/v1/receivables", new { debtorId = _w.CoreId, amount = 75_000m, dueDate = "2026-08-31", invoiceNumbers = new[] { invoice } }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["receivable.registered", "receivable.rejected"], await AuditAsync(id));
    }

    [Fact]
    public async Task Reject_InEnglish_SaysWhyInEnglish()
    {
        var id = await _w.ConfirmedReceivableAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, Url(id, "reject")) { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "late" }) };
        request.Headers.AcceptLanguage.ParseAdd("en");

        var problem = await (await _w.Core.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("The receivable is confirmed; it can no longer be rejected.", problem["detail"]!.GetValue<string>());
        var chinese = await (await _w.Core.PostJsonAsync(Url(id, "reject"), new { reason = "late" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("该应收账款已确权，已不能拒绝。", chinese["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_ByTheCreditorBeforeConfirmation_IsFinal_NotAfter()
    {
        var id = await _w.RegisterReceivableAsync();

        var forbidden = await (await _w.Core.PostAsync(Url(id, "cancel"), null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("receivableOnlyCreditorCancels", forbidden["code"]!.GetValue<string>());
        await (await _w.Stranger.PostAsync(Url(id, "cancel"), null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var cancelled = await (await _w.Supplier.PostAsync(Url(id, "cancel"), null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.NotNull(cancelled["cancelledAt"]);
        await (await _w.Core.PostAsync(Url(id, "confirm"), null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var confirmed = await _w.ConfirmedReceivableAsync();
        await (await _w.Supplier.PostAsync(Url(confirmed, "cancel"), null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("confirmed", (await (await _w.Supplier.GetAsync($"/api/v1/receivables/{confirmed}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notes_TakePartsOfWhatRemains_TheReceivableIsConvertedOnlyWhenNothingRemains()
    {
        var id = await _w.ConfirmedReceivableAsync(500_000m);

        var first = (await _w.IssueNoteAsync(300_000m, receivableId: id))["id"]!.GetValue<string>();
        var afterFirst = await ReadAsync(id);
        Assert.Equal(("confirmed", 200_000m), (afterFirst["status"]!.GetValue<string>(), afterFirst["remaining"]!.GetValue<decimal>()));
        Assert.Equal([first], afterFirst["noteIds"]!.AsArray().Select(n => n!.GetValue<string>()));

        // More than remains: 400 on amount, nothing changes.
        var tooMuch = await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 200_000.01m, receivableId: id))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("receivableNoteExceedsRemaining", tooMuch["errorCodes"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal(200_000m, (await ReadAsync(id))["remaining"]!.GetValue<decimal>());

        var second = (await _w.IssueNoteAsync(150_000.25m, receivableId: id))["id"]!.GetValue<string>();
        var third = (await _w.IssueNoteAsync(49_999.75m, receivableId: id))["id"]!.GetValue<string>();

        var converted = await ReadAsync(id);
        Assert.Equal("convertedToNote", converted["status"]!.GetValue<string>());
        Assert.Equal(0m, converted["remaining"]!.GetValue<decimal>());
        Assert.Equal(third, converted["usedBy"]!.GetValue<string>());
        Assert.Equal([first, second, third], converted["noteIds"]!.AsArray().Select(n => n!.GetValue<string>()));
        var notes = await Task.WhenAll(new[] { first, second, third }.Select(n => _w.GetNoteAsync(n)));
        Assert.Equal(500_000m, notes.Sum(n => n["amount"]!.GetValue<decimal>()));
        Assert.All(notes, n => Assert.Equal(id, n["receivableId"]!.GetValue<string>()));

        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 0.01m, receivableId: id))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(
            ["receivable.registered", "receivable.confirmed", "receivable.noteIssued", "receivable.noteIssued", "receivable.noteIssued"],
            await AuditAsync(id));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ReadAsync(string id) =>
        await (await _w.Supplier.GetAsync($"/api/v1/receivables/{id}")).ExpectAsync(HttpStatusCode.OK);

    private async Task<List<string>> AuditAsync(string id)
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return (await connection.QueryAsync<string>("SELECT action FROM audit_log WHERE entity_id = @id ORDER BY seq", new { id })).ToList();
    }
}
