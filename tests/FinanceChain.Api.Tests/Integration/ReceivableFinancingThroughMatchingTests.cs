using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Integration;

/// <summary>
/// A supplier finances a confirmed receivable through matching: a product that requires a confirmed
/// receivable matches it, the bank offers, the supplier accepts and the receivable is used up.
/// </summary>
public sealed class ReceivableFinancingThroughMatchingTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();
    private string _product = "";
    private HttpClient _otherBank = null!;

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _otherBank = await _w.App.ClientAsync(Role.Bank, institutionId: await _w.Admin.CreateInstitutionAsync());
        _product = await _w.Bank.CreateProductAsync(ProductData.Product(
            "应收账款融资", type: "receivablesFinancing", minRateBps: 350, maxRateBps: 500, collateral: "receivable", requiresConfirmedReceivable: true));
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private Dictionary<string, object?> ReceivableRequest(string? receivableId, decimal amount = 200_000m)
    {
        var body = ProductData.Request(_w.ChainId, amount, termDays: 90, purpose: "应收账款融资", collateralOffered: ["receivable"]);
        return receivableId is null ? body : body.With("receivableId", receivableId);
    }

    private static Task<HttpResponseMessage> AcceptAsync(HttpClient client, string offer) => client.PostAsync($"/api/v1/offers/{offer}/accept", null);

    [Fact]
    public async Task ConfirmedReceivable_Matches_AcceptingMarksItFinanced_ItCannotBecomeANote()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);

        var request = await _w.Supplier.CreateRequestAsync(ReceivableRequest(receivable));
        Assert.Equal([_product], await _w.Supplier.MatchIdsAsync(request));
        // Without the receivable the product does not match.
        Assert.Empty(await _w.Supplier.MatchIdsAsync(await _w.Supplier.CreateRequestAsync(ReceivableRequest(null))));

        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 200_000m, rateBps: 420, termDays: 90));
        var accepted = await (await AcceptAsync(_w.Supplier, offer)).ExpectAsync(HttpStatusCode.OK);

        Assert.Null(accepted["discount"]);
        Assert.Equal("accepted", accepted["request"]!["status"]!.GetValue<string>());
        var financed = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("financed", financed["status"]!.GetValue<string>());
        Assert.Equal(offer, financed["usedBy"]!.GetValue<string>());

        // The bank that financed it sees it (and lists it); another bank and admin do not.
        await (await _w.Bank.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        var banks = await (await _w.Bank.GetAsync("/api/v1/receivables")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([receivable], banks["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        foreach (var client in new[] { _otherBank, _w.Admin, _w.Stranger })
        {
            await (await client.GetAsync($"/api/v1/receivables/{receivable}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        var others = await (await _otherBank.GetAsync("/api/v1/receivables")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(others["items"]!.AsArray());

        // Financed, the receivable cannot become a note, nor back another request.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100_000m, receivableId: receivable))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(receivable))).ExpectValidationErrorAsync("receivableId");

        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["receivable.registered", "receivable.confirmed", "receivable.financed"], trail["items"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SameReceivable_BehindTwoRequests_SecondAcceptance_Returns409_AndNothingChanges()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var first = await _w.Supplier.CreateRequestAsync(ReceivableRequest(receivable));
        var second = await _w.Supplier.CreateRequestAsync(ReceivableRequest(receivable));
        var firstOffer = await _w.Bank.CreateOfferAsync(first, ProductData.Offer(_product, amount: 200_000m, rateBps: 420, termDays: 90));
        var secondOffer = await _w.Bank.CreateOfferAsync(second, ProductData.Offer(_product, amount: 200_000m, rateBps: 400, termDays: 90));

        await (await AcceptAsync(_w.Supplier, firstOffer)).ExpectAsync(HttpStatusCode.OK);
        var audit = await AuditCountAsync();

        await (await AcceptAsync(_w.Supplier, secondOffer)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var offerNow = await (await _w.Supplier.GetAsync($"/api/v1/offers/{secondOffer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
        var requestNow = await (await _w.Supplier.GetAsync($"/api/v1/financing-requests/{second}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", requestNow["status"]!.GetValue<string>());
        var receivableNow = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(firstOffer, receivableNow["usedBy"]!.GetValue<string>());
        Assert.Equal(audit, await AuditCountAsync());
    }

    [Fact]
    public async Task ReceivableTurnedIntoANote_AfterTheRequest_AcceptanceReturns409()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var request = await _w.Supplier.CreateRequestAsync(ReceivableRequest(receivable));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(_product, amount: 200_000m, rateBps: 420, termDays: 90));
        await _w.IssueNoteAsync(300_000m, receivableId: receivable);

        await (await AcceptAsync(_w.Supplier, offer)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var offerNow = await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerNow["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_NamingAReceivableThatIsNotUsable_Returns400OnReceivableId()
    {
        var registered = await _w.RegisterReceivableAsync(300_000m);
        var confirmed = await _w.ConfirmedReceivableAsync(300_000m);

        // Not confirmed by its debtor yet.
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(registered))).ExpectValidationErrorAsync("receivableId");
        // Its debtor (the core enterprise) and another supplier of the chain may not name it; nor may anyone name an unknown one.
        var byDebtor = await (await _w.Core.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(confirmed))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var unknown = await (await _w.Core.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(TestData.UnknownId("rcv")))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(unknown["errors"]!["receivableId"]!.ToJsonString(), byDebtor["errors"]!["receivableId"]!.ToJsonString());
        await (await _w.SubSupplier.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(confirmed))).ExpectValidationErrorAsync("receivableId");
        await (await _w.Supplier.PostJsonAsync("/api/v1/financing-requests", ReceivableRequest(confirmed.ToUpperInvariant()))).ExpectValidationErrorAsync("receivableId");

        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM financing_requests"));
    }

    [Fact]
    public async Task ProductThatDoesNotFinanceTheReceivable_LeavesItConfirmed()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var loan = await _otherBank.CreateProductAsync(ProductData.Product("普惠信用贷", type: "creditLoan", minRateBps: 450, maxRateBps: 600));
        var request = await _w.Supplier.CreateRequestAsync(ReceivableRequest(receivable));
        var offer = await _otherBank.CreateOfferAsync(request, ProductData.Offer(loan, amount: 200_000m, rateBps: 450, termDays: 90));

        await (await AcceptAsync(_w.Supplier, offer)).ExpectAsync(HttpStatusCode.OK);

        var read = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", read["status"]!.GetValue<string>());
    }

    private async Task<long> AuditCountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log");
    }
}
