using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Tests.Integration;

/// <summary>
/// Issue 4's story through the API: a receivable becomes a note, the note is passed on in part, the holder
/// asks for financing with it, a bank's note-discount product matches, the bank offers, the holder accepts
/// and the note is discounted. Today is 2026-03-16 in Shanghai; the note is due 2026-09-01.
/// </summary>
public sealed class NoteDiscountThroughMatchingTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();
    private string _product = "";
    private string _otherBankId = "";
    private HttpClient _otherBank = null!;

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _otherBankId = await _w.Admin.CreateInstitutionAsync();
        _otherBank = await _w.App.ClientAsync(Role.Bank, institutionId: _otherBankId);
        _product = await _w.Bank.CreateProductAsync(DiscountProduct());
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private static Dictionary<string, object?> DiscountProduct() =>
        ProductData.Product("供应链票据贴现", type: "noteDiscount", minAmount: 10_000m, maxAmount: 1_000_000m, minTermDays: 1, maxTermDays: 180,
            minRateBps: 300, maxRateBps: 450, collateral: "note");

    private Dictionary<string, object?> DiscountRequest(decimal amount, string? noteId) =>
        noteId is null
            ? ProductData.Request(_w.ChainId, amount, termDays: 169, purpose: "票据贴现", acceptableTypes: ["noteDiscount"], collateralOffered: ["note"])
            : ProductData.Request(_w.ChainId, amount, termDays: 169, purpose: "票据贴现", acceptableTypes: ["noteDiscount"], collateralOffered: ["note"]).With("noteId", noteId);

    /// <summary>The supplier's receivable, confirmed by the core enterprise and turned into a 500,000.00 yuan note held by the supplier.</summary>
    private async Task<(string Receivable, string Note)> NoteFromReceivableAsync()
    {
        var receivable = await _w.ConfirmedReceivableAsync(500_000m);
        var note = await _w.IssueNoteAsync(500_000m, receivableId: receivable);
        return (receivable, note["id"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> AcceptAsync(HttpClient client, string offer) => client.PostAsync($"/api/v1/offers/{offer}/accept", null);

    [Fact]
    public async Task Story_ReceivableToNote_PassedOn_DiscountedThroughMatching()
    {
        // The supplier registers a receivable; the core enterprise confirms it and issues a note of 500,000.00.
        var (receivable, note) = await NoteFromReceivableAsync();
        // The supplier passes 150,000.25 on to its own supplier, who holds 1-15000025.
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 150_000.25m)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal([$"{_w.SubSupplierId}:1-15000025", $"{_w.SupplierId}:15000026-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(note)));

        // The supplier asks for financing with its note; the bank's note-discount product matches it.
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(205_200m, note));
        Assert.Equal([_product], await _w.Supplier.MatchIdsAsync(request));
        var inbox = await (await _w.Bank.GetAsync("/api/v1/banks/me/matched-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([request], inbox["items"]!.AsArray().Select(i => i!["request"]!["id"]!.GetValue<string>()));

        // The same request without a note matches nothing.
        var withoutNote = await _w.Supplier.CreateRequestAsync(DiscountRequest(205_200m, noteId: null));
        Assert.Empty(await _w.Supplier.MatchIdsAsync(withoutNote));

        // The bank offers; the supplier accepts.
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 205_200m, rateBps: 385, termDays: 169));
        var accepted = await (await AcceptAsync(_w.Supplier, offer)).ExpectAsync(HttpStatusCode.OK);

        // Interest = amount × rate × days / 360, half up to the fen, computed here without the service's code:
        // 205,200.00 × 3.85 % × 169 / 360 = 3,708.705 exactly, so half up gives 3,708.71 (banker's rounding would give 3,708.70).
        const int Days = 169; // 2026-03-16 to 2026-09-01: 15 + 30 + 31 + 30 + 31 + 31 + 1
        Assert.Equal(Days, Period.DaysBetween(NotesWorld.Today, NotesWorld.DueDate));
        var exact = 205_200m * 385m / 10_000m * Days / 360m;
        Assert.Equal(3_708.705m, exact);
        var interest = Math.Round(exact, 2, MidpointRounding.AwayFromZero);
        Assert.Equal(3_708.71m, interest);

        var discount = accepted["discount"]!;
        Assert.Equal(note, discount["noteId"]!.GetValue<string>());
        Assert.Equal(205_200m, discount["amount"]!.GetValue<decimal>());
        Assert.Equal(385, discount["rateBps"]!.GetValue<int>());
        Assert.Equal(Days, discount["days"]!.GetValue<int>());
        Assert.Equal(interest, discount["interest"]!.GetValue<decimal>());
        Assert.Equal(205_200m - interest, discount["proceeds"]!.GetValue<decimal>());
        Assert.Equal(201_491.29m, discount["proceeds"]!.GetValue<decimal>());
        Assert.Equal("accepted", accepted["offer"]!["status"]!.GetValue<string>());
        Assert.Equal("accepted", accepted["request"]!["status"]!.GetValue<string>());

        // The bank now holds the discounted sub-notes: the supplier's lowest 20,520,000 units.
        var after = await _w.GetNoteAsync(note, _w.Bank);
        Assert.Equal(
            [$"{_w.SubSupplierId}:1-15000025", $"{_w.BankId}:15000026-35520025", $"{_w.SupplierId}:35520026-50000000"],
            NotesWorld.Holdings(after));
        var banksNotes = await (await _w.Bank.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([note], banksNotes["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        await (await _otherBank.GetAsync($"/api/v1/notes/{note}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The history shows issue, transfer and discount in order, with their actors.
        var history = await (await _w.Bank.GetAsync($"/api/v1/notes/{note}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history["items"]!.AsArray();
        Assert.Equal(["issued", "transferred", "discounted"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], events.Select(e => e!["seq"]!.GetValue<int>()));
        Assert.Equal([_w.CoreId, _w.SupplierId, _w.SupplierId], events.Select(e => e!["actorId"]!.GetValue<string>()));
        Assert.Equal([_w.CoreId, _w.SupplierId, _w.SupplierId], events.Select(e => e!["fromId"]!.GetValue<string>()));
        Assert.Equal([_w.SupplierId, _w.SubSupplierId, _w.BankId], events.Select(e => e!["toId"]!.GetValue<string>()));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e!["actorKeyId"]!.GetValue<string>())));
        var discounted = events[2]!;
        Assert.Equal("15000026-35520025", $"{discounted["ranges"]![0]!["from"]}-{discounted["ranges"]![0]!["to"]}");
        Assert.Equal(385, discounted["rateBps"]!.GetValue<int>());
        Assert.Equal(interest, discounted["interest"]!.GetValue<decimal>());
        Assert.Equal(201_491.29m, discounted["proceeds"]!.GetValue<decimal>());

        // The receivable became the note, not a financing; the audit trail has the discount and the acceptance.
        var usedReceivable = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("convertedToNote", usedReceivable["status"]!.GetValue<string>());
        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={note}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["note.issued", "note.transferred", "note.discounted"], trail["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
        var offerTrail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["offer.created", "offer.accepted"], offerTrail["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Request_NamingANoteTheRequesterDoesNotHold_Returns400OnNoteId_AndRevealsNothing()
    {
        var (_, note) = await NoteFromReceivableAsync();
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 100_000m)).ExpectAsync(HttpStatusCode.Created);
        var before = await CountAsync("financing_requests");

        // The acceptor holds none of it; the sub-supplier does, but the core enterprise may not name it either.
        var byAcceptor = await (await _w.Core.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, note))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        // A note that does not exist gets the very same answer.
        var unknown = await (await _w.Core.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, TestData.UnknownId("nte")))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(unknown["errors"]!["noteId"]!.ToJsonString(), byAcceptor["errors"]!["noteId"]!.ToJsonString());
        // Malformed ids are refused by their form.
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, note.ToUpperInvariant()))).ExpectValidationErrorAsync("noteId");
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, note + " "))).ExpectValidationErrorAsync("noteId");

        // A holder of part of it may name it.
        await _w.SubSupplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        Assert.Equal(before + 1, await CountAsync("financing_requests"));
    }

    [Fact]
    public async Task Request_NamingANoteGivenAwayOrDue_Returns400OnNoteId()
    {
        var (_, note) = await NoteFromReceivableAsync();
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 500_000m)).ExpectAsync(HttpStatusCode.Created);

        // Passed on whole: the supplier holds none of it any more.
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, note))).ExpectValidationErrorAsync("noteId");

        // On its due date a note is presented for payment, not discounted.
        _w.App.Clock.Reset(Instant.FromUtc(2026, 8, 31, 16, 0)); // 2026-09-01 00:00 in Shanghai
        await (await _w.SubSupplier.PostJsonAsync("/api/v1/financing-requests", DiscountRequest(100_000m, note))).ExpectValidationErrorAsync("noteId");
        Assert.Equal(0, await CountAsync("financing_requests"));
    }

    [Fact]
    public async Task Accept_AfterTheHolderPassedTheNoteOn_Returns409_AndNothingChanges()
    {
        var (_, note) = await NoteFromReceivableAsync();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(300_000m, note));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 300_000m, rateBps: 400, termDays: 169));

        // After posting the request the supplier passes most of the note on: it holds 250,000.00, not 300,000.00.
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 250_000m)).ExpectAsync(HttpStatusCode.Created);
        var holdings = NotesWorld.Holdings(await _w.GetNoteAsync(note));
        var audit = await CountAsync("audit_log");
        var events = await CountAsync("note_events");

        await (await AcceptAsync(_w.Supplier, offer)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // The offer is still pending, the request still offered, the note as it was; nothing audited.
        var offerNow = await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
        var requestNow = await (await _w.Supplier.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", requestNow["status"]!.GetValue<string>());
        Assert.Equal(holdings, NotesWorld.Holdings(await _w.GetNoteAsync(note)));
        Assert.Equal(audit, await CountAsync("audit_log"));
        Assert.Equal(events, await CountAsync("note_events"));
        await (await _w.Bank.GetAsync($"/api/v1/notes/{note}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // A smaller offer that the supplier's remaining sub-notes cover can still be accepted.
        var second = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 250_000m, rateBps: 400, termDays: 169));
        var accepted = await (await AcceptAsync(_w.Supplier, second)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(250_000m, accepted["discount"]!["amount"]!.GetValue<decimal>());
        Assert.Equal([$"{_w.SubSupplierId}:1-25000000", $"{_w.BankId}:25000001-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(note)));
        var declined = await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("declined", declined["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Accept_OnTheNotesDueDate_Returns409_AndNothingChanges()
    {
        // A note due before the request expires (30 days after it is made).
        var note = (await _w.IssueNoteAsync(500_000m, dueDate: new LocalDate(2026, 4, 1)))["id"]!.GetValue<string>();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 16));

        _w.App.Clock.Reset(Instant.FromUtc(2026, 3, 31, 16, 0)); // 2026-04-01 00:00 in Shanghai: the due date

        await (await AcceptAsync(_w.Supplier, offer)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal([$"{_w.SupplierId}:1-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(note)));
        var offerNow = await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Offer_WithTermNotTheDaysToTheNotesDueDate_Returns400OnTermDays_AndStoresNothing()
    {
        var (_, note) = await NoteFromReceivableAsync();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        var before = await CountAsync("offers");

        // Today (2026-03-16) to the due date (2026-09-01) is 169 days; 90 is inside the product's range but not the discount's days.
        await (await _w.Bank.PostJsonAsync($"/api/v1/financing-requests/{request}/offers", ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 90)))
            .ExpectValidationErrorAsync("termDays");
        await (await _w.Bank.PostJsonAsync($"/api/v1/financing-requests/{request}/offers", ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 170)))
            .ExpectValidationErrorAsync("termDays");
        Assert.Equal(before, await CountAsync("offers"));

        await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 169));
        Assert.Equal(before + 1, await CountAsync("offers"));
    }

    [Fact]
    public async Task Accept_WhenTheDaysLeftFallBelowTheProductsTerm_Returns409_AndNothingChanges()
    {
        var shortest = await _w.Bank.CreateProductAsync(
            ProductData.Product("长期票据贴现", type: "noteDiscount", minAmount: 10_000m, maxAmount: 1_000_000m, minTermDays: 160, maxTermDays: 180,
                minRateBps: 300, maxRateBps: 450, collateral: "note"));
        var (_, note) = await NoteFromReceivableAsync();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(shortest, amount: 100_000m, rateBps: 400, termDays: 169));

        // Ten days later 159 days are left: fewer than the product's 160.
        _w.App.Clock.Advance(Duration.FromDays(10));
        var audit = await CountAsync("audit_log");

        await (await AcceptAsync(_w.Supplier, offer)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal([$"{_w.SupplierId}:1-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(note)));
        var offerNow = await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
        var requestNow = await (await _w.Supplier.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", requestNow["status"]!.GetValue<string>());
        Assert.Equal(audit, await CountAsync("audit_log"));
    }

    [Fact]
    public async Task Offer_AfterTheHolderPassedTheWholeNoteOn_Returns409_AndTheRequestNoLongerMatches()
    {
        var (_, note) = await NoteFromReceivableAsync();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        Assert.Equal([_product], await _w.Supplier.MatchIdsAsync(request));

        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 500_000m)).ExpectAsync(HttpStatusCode.Created);
        var before = await CountAsync("offers");

        await (await _w.Bank.PostJsonAsync($"/api/v1/financing-requests/{request}/offers", ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 169)))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(before, await CountAsync("offers"));
        Assert.Empty(await _w.Supplier.MatchIdsAsync(request));
    }

    [Fact]
    public async Task Accept_ByOthers_IsRefused_AndDiscountsNothing()
    {
        var (_, note) = await NoteFromReceivableAsync();
        var request = await _w.Supplier.CreateRequestAsync(DiscountRequest(100_000m, note));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 100_000m, rateBps: 400, termDays: 169));

        foreach (var client in new[] { _w.Stranger, _w.SubSupplier, _w.Core })
        {
            await (await AcceptAsync(client, offer)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        foreach (var client in new[] { _w.Bank, _otherBank, _w.Admin, _w.Regulator })
        {
            await (await AcceptAsync(client, offer)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await _w.App.ClientWithKey(null).PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal([$"{_w.SupplierId}:1-50000000"], NotesWorld.Holdings(await _w.GetNoteAsync(note)));

        // A bank without a matching product sees neither the request nor the note.
        await (await _otherBank.GetAsync($"/api/v1/financing-requests/{request}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _otherBank.GetAsync($"/api/v1/notes/{note}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}
