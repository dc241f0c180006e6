using System.Net;
using Dapper;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

/// <summary><see cref="NoteStore.DiscountAsync"/>, as the offers feature will call it inside its transaction.</summary>
public sealed class NoteDiscountTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();
    private NoteStore _notes = null!;
    private Db _db = null!;
    private Caller _holder = null!;

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _notes = _w.App.Services.GetRequiredService<NoteStore>();
        _db = _w.App.Services.GetRequiredService<Db>();
        _holder = new Caller("key_supplier", "supplier", Role.Enterprise, null, _w.SupplierId);
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private Task<DiscountQuote> DiscountAsync(string noteId, decimal amount, int rateBps, LocalDate acceptanceDate) =>
        _db.InTransactionAsync((_, transaction) =>
            _notes.DiscountAsync(transaction, noteId, _w.SupplierId, _w.BankId, Money.FromYuan(amount), rateBps, acceptanceDate, _holder));

    [Fact]
    public async Task Discount_MovesLowestSubNotesToTheBank_AndRecordsInterestAndProceeds()
    {
        var noteId = (await _w.IssueNoteAsync(500_000m))["id"]!.GetValue<string>();

        // 100,000.00 at 3.85 %/yr for 169 days (2026-03-16 to 2026-09-01): 100000 × 0.0385 × 169 / 360 = 1807.3611…
        var quote = await DiscountAsync(noteId, 100_000m, 385, NotesWorld.Today);

        Assert.Equal(169, quote.Days);
        Assert.Equal(Money.FromYuan(1_807.36m), quote.Interest);
        Assert.Equal(Money.FromYuan(98_192.64m), quote.Proceeds);
        // The bank now holds part of the note and sees it.
        var note = await _w.GetNoteAsync(noteId, _w.Bank);
        Assert.Equal([$"{_w.BankId}:1-10000000", $"{_w.SupplierId}:10000001-50000000"], NotesWorld.Holdings(note));
        var history = await (await _w.Bank.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var discounted = history["items"]![1]!;
        Assert.Equal("discounted", discounted["type"]!.GetValue<string>());
        Assert.Equal(_w.SupplierId, discounted["fromId"]!.GetValue<string>());
        Assert.Equal(_w.BankId, discounted["toId"]!.GetValue<string>());
        Assert.Equal(385, discounted["rateBps"]!.GetValue<int>());
        Assert.Equal(1_807.36m, discounted["interest"]!.GetValue<decimal>());
        Assert.Equal(98_192.64m, discounted["proceeds"]!.GetValue<decimal>());
        Assert.Equal("key_supplier", discounted["actorKeyId"]!.GetValue<string>());
        Assert.Null(history["items"]![0]!["interest"]);
        var banksNotes = await (await _w.Bank.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(banksNotes["items"]!.AsArray());

        // At settlement the bank is paid what it holds.
        _w.App.Clock.Reset(Instant.FromUtc(2026, 9, 1, 0, 0));
        await (await _w.Core.PostAsync($"/api/v1/notes/{noteId}/settle", null)).ExpectAsync(HttpStatusCode.OK);
        var settled = await (await _w.Bank.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        var paidToBank = settled["items"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "paid" && e["toId"]!.GetValue<string>() == _w.BankId);
        Assert.Equal(100_000m, paidToBank!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Discount_OfANoteDueOnNationalDay_CountsDaysToTheFirstBusinessDayAfterIt()
    {
        // Due Thursday 2026-10-01, the first day of the National Day holiday (10-01 to 10-07): it pays on 10-08.
        _w.App.Clock.Reset(Instant.FromUtc(2026, 4, 10, 2, 0));
        var noteId = (await _w.IssueNoteAsync(100_000m, dueDate: new LocalDate(2026, 10, 1)))["id"]!.GetValue<string>();

        var quote = await DiscountAsync(noteId, 100_000m, 360, new LocalDate(2026, 4, 10));

        Assert.Equal(new LocalDate(2026, 10, 8), quote.PaymentDate);
        Assert.Equal(181, quote.Days); // 2026-04-10 to 2026-10-08, not 174 to 10-01
        Assert.Equal(Money.FromYuan(1_810m), quote.Interest); // 100000 × 0.036 × 181 / 360
    }

    [Fact]
    public async Task Discount_Refused_ChangesNothing()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        var before = NotesWorld.Holdings(await _w.GetNoteAsync(noteId));

        await Assert.ThrowsAsync<DomainConflictException>(() => DiscountAsync(noteId, 1_000.01m, 385, NotesWorld.Today));
        await Assert.ThrowsAsync<DomainConflictException>(() => DiscountAsync(noteId, 100m, 385, NotesWorld.DueDate));
        await Assert.ThrowsAsync<DomainValidationException>(() => DiscountAsync(noteId, 100m, 10_001, NotesWorld.Today));
        await Assert.ThrowsAsync<FinanceChain.Api.Errors.NotFoundException>(() => DiscountAsync("nte_missing", 100m, 385, NotesWorld.Today));

        Assert.Equal(before, NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_events WHERE note_id = @noteId", new { noteId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'note.discounted'"));
    }
}
