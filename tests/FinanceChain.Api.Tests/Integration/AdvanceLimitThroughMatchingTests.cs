using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Tests.Integration;

/// <summary>
/// An offer on a receivable-backed request lends at most the product's advance ratio of what remains of the
/// receivable, for a term ending by its due date (2026-09-01, 169 days after today): checked when the bank offers and
/// again when the supplier accepts.
/// </summary>
public sealed class AdvanceLimitThroughMatchingTests : IAsyncLifetime
{
    private const int DaysToDueDate = 169;
    private readonly NotesWorld _w = new();
    private string _product = "";

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _product = await _w.Bank.CreateProductAsync(ProductData.Product(
            "应收账款融资", type: "receivablesFinancing", minRateBps: 350, maxRateBps: 500, collateral: "receivable", requiresConfirmedReceivable: true));
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private async Task<string> RequestAsync(string receivableId, decimal amount = 300_000m) =>
        await _w.Supplier.CreateRequestAsync(ProductData.Request(_w.ChainId, amount, termDays: 90, purpose: "应收账款融资", collateralOffered: ["receivable"])
            .With("receivableId", receivableId));

    private Task<HttpResponseMessage> OfferAsync(string request, decimal amount, int termDays = 90, string? product = null) =>
        _w.Bank.PostJsonAsync($"/api/v1/financing-requests/{request}/offers", ProductData.Offer(product ?? _product, amount: amount, rateBps: 420, termDays: termDays));

    [Fact]
    public async Task Offer_UpToNinetyPercentOfTheReceivable_IsMade_OneFenMore_Is409()
    {
        var request = await RequestAsync(await _w.ConfirmedReceivableAsync(300_000m));

        var problem = await (await OfferAsync(request, 270_000.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("advanceExceedsLimit", problem["code"]!.GetValue<string>());
        Assert.Equal("融资金额 270,000.01 元 超过可融资额度 270,000.00 元：该产品最多按应收账款剩余金额 300,000.00 元 的 90.00 % 融资。", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, await OfferCountAsync());

        await (await OfferAsync(request, 270_000m)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Offer_UsesTheProductsOwnRatio()
    {
        var half = await _w.Bank.CreateProductAsync(ProductData.Product(
            "五成融资", type: "receivablesFinancing", minRateBps: 350, maxRateBps: 500, collateral: "receivable", requiresConfirmedReceivable: true)
            .With("maxAdvanceRatioBps", 5000));
        var request = await RequestAsync(await _w.ConfirmedReceivableAsync(300_000m));

        await (await OfferAsync(request, 150_000.01m, product: half)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await OfferAsync(request, 150_000m, product: half)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Offer_ForATermEndingOnTheDueDate_IsMade_ADayLonger_Is409()
    {
        var request = await RequestAsync(await _w.ConfirmedReceivableAsync(300_000m));

        var problem = await (await OfferAsync(request, 100_000m, DaysToDueDate + 1)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("advanceTermBeyondReceivableDue", problem["code"]!.GetValue<string>());
        await (await OfferAsync(request, 100_000m, DaysToDueDate)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Offer_CountsOnlyWhatRemainsAfterNotes()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var request = await RequestAsync(receivable);
        await _w.IssueNoteAsync(100_000m, receivableId: receivable);

        await (await OfferAsync(request, 180_000.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await OfferAsync(request, 180_000m)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Acceptance_AfterANoteTookPartOfTheReceivable_Is409_AndChangesNothing()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var request = await RequestAsync(receivable);
        var offer = (await (await OfferAsync(request, 270_000m)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await _w.IssueNoteAsync(0.01m, receivableId: receivable); // 299,999.99 remain: 90 % is 269,999.99

        var problem = await (await _w.Supplier.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("advanceExceedsLimit", problem["code"]!.GetValue<string>());
        Assert.Equal("pending", (await (await _w.Supplier.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        var now = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("confirmed", 299_999.99m), (now["status"]!.GetValue<string>(), now["remaining"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Acceptance_ADayLater_WhenTheTermWouldRunPastTheDueDate_Is409()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var request = await RequestAsync(receivable);
        var offer = (await (await OfferAsync(request, 100_000m, DaysToDueDate)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        _w.App.Clock.Advance(Duration.FromDays(1));

        var problem = await (await _w.Supplier.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("advanceTermBeyondReceivableDue", problem["code"]!.GetValue<string>());
        Assert.Equal("confirmed", (await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Acceptance_WithinTheLimit_FinancesTheReceivable()
    {
        var receivable = await _w.ConfirmedReceivableAsync(300_000m);
        var offer = (await (await OfferAsync(await RequestAsync(receivable), 270_000m, DaysToDueDate)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        await (await _w.Supplier.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectAsync(HttpStatusCode.OK);

        var financed = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("financed", offer), (financed["status"]!.GetValue<string>(), financed["usedBy"]!.GetValue<string>()));
    }

    private async Task<long> OfferCountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM offers");
    }
}
