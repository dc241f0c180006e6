using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using FinanceChain.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// Every event type, recorded by the store that makes the change, in its transaction: the right recipients (each
/// tenant subscribed to everything, so a delivery row per recipient shows who was told), the resource as the API
/// returns it to that recipient, exactly once, and nothing when the change fails. Nothing is sent here (no Hangfire
/// server in tests): the outbox rows are what is checked.
/// </summary>
public sealed class WebhookEventRecordingTests : IAsyncLifetime
{
    private const string Hook = "http://127.0.0.1:9/hook";

    private readonly NotesWorld _w = new(new FinanceChainApp(settings: new Dictionary<string, string?> { ["Webhooks:AllowPrivateAddresses"] = "true" }));
    private string _bankBId = "";
    private string _bankCId = "";
    private HttpClient _bankB = null!;
    private HttpClient _bankC = null!;

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _bankBId = await _w.Admin.CreateInstitutionAsync();
        _bankCId = await _w.Admin.CreateInstitutionAsync();
        _bankB = await _w.App.ClientAsync(Role.Bank, institutionId: _bankBId);
        _bankC = await _w.App.ClientAsync(Role.Bank, institutionId: _bankCId);
        foreach (var client in new[] { _w.Bank, _bankB, _bankC, _w.Core, _w.Supplier, _w.SubSupplier, _w.Stranger })
        {
            await WebhookWorld.SubscribeAsync(client, Hook, [.. WebhookEventTypes.All]);
        }
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private sealed class Recorded
    {
        public string EventId { get; set; } = "";
        public string Type { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Body { get; set; } = "";
    }

    /// <summary>Each recorded event of <paramref name="type"/> with the tenants it was fanned out to and its body's data.</summary>
    private async Task<List<(string EventId, string[] Recipients, JsonNode Data)>> EventsAsync(string type)
    {
        var db = _w.App.Services.GetRequiredService<Db>();
        var rows = await db.QueryAsync<Recorded>("""
            SELECT e.id AS EventId, e.type, s.tenant_id AS TenantId, e.body
            FROM webhook_events e
            JOIN webhook_deliveries d ON d.event_id = e.id
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE e.type = @Type
            """, new { Type = type });
        return rows.GroupBy(r => r.EventId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var body = JsonNode.Parse(g.First().Body)!;
            Assert.Equal(type, body["type"]!.GetValue<string>());
            return (g.Key, g.Select(r => r.TenantId).Order(StringComparer.Ordinal).ToArray(), body["data"]!);
        }).ToList();
    }

    private static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private static void SameJson(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");

    private async Task<string> ProductAsync(HttpClient bank, string? chainId = null) =>
        await bank.CreateProductAsync(ProductData.Product(chainIds: [chainId ?? _w.ChainId]));

    private Task<string> RequestAsync() => _w.Supplier.CreateRequestAsync(ProductData.Request(_w.ChainId));

    [Fact]
    public async Task RequestMade_RecordsMatched_OnceToTheBanksWithAnEligibleActiveProduct_WithTheRequestAsTheyReadIt()
    {
        await ProductAsync(_w.Bank);
        var otherChain = await _w.Admin.CreateChainAsync();
        await ProductAsync(_bankB, otherChain); // not eligible: another chain
        var withdrawn = await ProductAsync(_bankC);
        await (await _bankC.PostAsync($"/api/v1/products/{withdrawn}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        var request = await RequestAsync();

        var matched = Assert.Single(await EventsAsync(WebhookEventTypes.FinancingRequestMatched));
        Assert.Equal([_w.BankId], matched.Recipients);
        SameJson(await (await _w.Bank.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK), matched.Data);
        Assert.Equal("open", matched.Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestMatchingNoBank_RecordsNothing()
    {
        await RequestAsync();
        Assert.Empty(await EventsAsync(WebhookEventTypes.FinancingRequestMatched));
    }

    [Fact]
    public async Task Offers_Created_Accepted_Declined_EachToItsRecipient_WithTheOfferAsTheyReadIt()
    {
        var productA = await ProductAsync(_w.Bank);
        var productB = await ProductAsync(_bankB);
        var request = await RequestAsync();
        var offerA = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(productA));
        var offerB = await _bankB.CreateOfferAsync(request, ProductData.Offer(productB));

        var created = await EventsAsync(WebhookEventTypes.OfferCreated);
        Assert.Equal(2, created.Count);
        Assert.All(created, e => Assert.Equal([_w.SupplierId], e.Recipients));
        Assert.Equal(Sorted(offerA, offerB), Sorted([.. created.Select(e => e.Data["id"]!.GetValue<string>())]));
        Assert.All(created, e => Assert.Equal("pending", e.Data["status"]!.GetValue<string>()));

        await (await _w.Supplier.PostAsync($"/api/v1/offers/{offerA}/accept", null)).ExpectAsync(HttpStatusCode.OK);

        var accepted = Assert.Single(await EventsAsync(WebhookEventTypes.OfferAccepted));
        Assert.Equal([_w.BankId], accepted.Recipients);
        SameJson(await (await _w.Bank.GetAsync($"/api/v1/offers/{offerA}")).ExpectAsync(HttpStatusCode.OK), accepted.Data);
        Assert.Equal("accepted", accepted.Data["requestStatus"]!.GetValue<string>());

        var declined = Assert.Single(await EventsAsync(WebhookEventTypes.OfferDeclined));
        Assert.Equal([_bankBId], declined.Recipients);
        SameJson(await (await _bankB.GetAsync($"/api/v1/offers/{offerB}")).ExpectAsync(HttpStatusCode.OK), declined.Data);
        Assert.Equal("declined", declined.Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptanceThatFails_AfterDecliningTheOthers_RecordsNoEventAtAll()
    {
        var productA = await ProductAsync(_w.Bank);
        var productB = await ProductAsync(_bankB);
        var request = await RequestAsync();
        var offerA = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(productA));
        await _bankB.CreateOfferAsync(request, ProductData.Offer(productB));

        // The acceptance's last statement (its own event) fails: the offers it declined before are rolled back, and their events.
        var db = _w.App.Services.GetRequiredService<Db>();
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("""
                CREATE TRIGGER refuse_accepted BEFORE INSERT ON webhook_events WHEN NEW.type = 'offer.accepted'
                BEGIN SELECT RAISE(ABORT, 'refused'); END
                """);
        }

        var response = await _w.Supplier.PostAsync($"/api/v1/offers/{offerA}/accept", null);
        Assert.False(response.IsSuccessStatusCode);
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("DROP TRIGGER refuse_accepted");
        }

        Assert.Empty(await EventsAsync(WebhookEventTypes.OfferAccepted));
        Assert.Empty(await EventsAsync(WebhookEventTypes.OfferDeclined));
        Assert.Equal("offered", (await (await _w.Supplier.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Withdrawal_RecordsWithdrawnToTheBanksWithOffers_AndDeclinesEachPendingOffer()
    {
        var productA = await ProductAsync(_w.Bank);
        var productB = await ProductAsync(_bankB);
        await ProductAsync(_bankC); // eligible, but no offer: not told of the withdrawal
        var request = await RequestAsync();
        var offerA = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(productA));
        var offerB = await _bankB.CreateOfferAsync(request, ProductData.Offer(productB));

        await (await _w.Supplier.PostAsync($"/api/v1/financing-requests/{request}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        var withdrawn = Assert.Single(await EventsAsync(WebhookEventTypes.FinancingRequestWithdrawn));
        Assert.Equal(Sorted(_w.BankId, _bankBId), withdrawn.Recipients);
        Assert.Equal("withdrawn", withdrawn.Data["status"]!.GetValue<string>());
        SameJson(await (await _w.Bank.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK), withdrawn.Data);

        var declined = await EventsAsync(WebhookEventTypes.OfferDeclined);
        Assert.Equal(2, declined.Count);
        Assert.Equal([[_w.BankId], [_bankBId]], declined.OrderBy(d => d.Data["id"]!.GetValue<string>() == offerA ? 0 : 1).Select(d => d.Recipients));
        Assert.Equal(Sorted(offerA, offerB), Sorted([.. declined.Select(d => d.Data["id"]!.GetValue<string>())]));
    }

    [Fact]
    public async Task ProductWithdrawn_DeclinesItsPendingOffers_EachToldToItsBank()
    {
        var productA = await ProductAsync(_w.Bank);
        var first = await RequestAsync();
        var second = await RequestAsync();
        var offer1 = await _w.Bank.CreateOfferAsync(first, ProductData.Offer(productA));
        var offer2 = await _w.Bank.CreateOfferAsync(second, ProductData.Offer(productA));

        await (await _w.Bank.PostAsync($"/api/v1/products/{productA}/withdraw", null)).ExpectAsync(HttpStatusCode.OK);

        var declined = await EventsAsync(WebhookEventTypes.OfferDeclined);
        Assert.Equal(Sorted(offer1, offer2), Sorted([.. declined.Select(d => d.Data["id"]!.GetValue<string>())]));
        Assert.All(declined, d => Assert.Equal([_w.BankId], d.Recipients));
        Assert.All(declined, d => Assert.Equal("declined", d.Data["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ReceivableRegistered_IsToldToTheDebtor_WithTheReceivableAsItReadsIt()
    {
        var receivable = await _w.RegisterReceivableAsync(300_000m);

        var registered = Assert.Single(await EventsAsync(WebhookEventTypes.ReceivableRegistered));
        Assert.Equal([_w.CoreId], registered.Recipients);
        SameJson(await (await _w.Core.GetAsync($"/api/v1/receivables/{receivable}")).ExpectAsync(HttpStatusCode.OK), registered.Data);
    }

    [Fact]
    public async Task NoteReceived_OnIssue_Transfer_AndDiscount_ToTheNewHolder()
    {
        var note = (await _w.IssueNoteAsync(500_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 100_000m)).ExpectAsync(HttpStatusCode.Created);

        // A failed transfer (more than held) records nothing.
        await (await NotesWorld.TransferAsync(_w.SubSupplier, note, _w.StrangerId, 100_000.01m)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var received = await EventsAsync(WebhookEventTypes.NoteReceived);
        Assert.Equal(2, received.Count);
        Assert.Equal(1, received.Count(e => e.Recipients.SequenceEqual([_w.SupplierId]))); // issued to it
        var transferred = Assert.Single(received, e => e.Recipients.SequenceEqual([_w.SubSupplierId]));
        SameJson(await _w.GetNoteAsync(note, _w.SubSupplier), transferred.Data);
        Assert.Equal(2, transferred.Data["holdings"]!.AsArray().Count);

        // The supplier discounts part of what it holds at the bank, through an accepted note-discount offer.
        var product = await _w.Bank.CreateProductAsync(ProductData.Product("供应链票据贴现", type: "noteDiscount", minAmount: 10_000m, maxAmount: 1_000_000m,
            minTermDays: 1, maxTermDays: 180, minRateBps: 300, maxRateBps: 450, collateral: "note"));
        var request = await _w.Supplier.CreateRequestAsync(ProductData.Request(_w.ChainId, 200_000m, termDays: 169, purpose: "票据贴现",
            acceptableTypes: ["noteDiscount"], collateralOffered: ["note"]).With("noteId", note));
        var offer = await _w.Bank.CreateOfferAsync(request, ProductData.Offer(product, amount: 200_000m, rateBps: 385, termDays: 169));
        await (await _w.Supplier.PostAsync($"/api/v1/offers/{offer}/accept", null)).ExpectAsync(HttpStatusCode.OK);

        received = await EventsAsync(WebhookEventTypes.NoteReceived);
        Assert.Equal(3, received.Count);
        var discounted = Assert.Single(received, e => e.Recipients.SequenceEqual([_w.BankId]));
        SameJson(await _w.GetNoteAsync(note, _w.Bank), discounted.Data);
        Assert.Contains(discounted.Data["holdings"]!.AsArray(), h => h!["holderId"]!.GetValue<string>() == _w.BankId);
    }

    [Fact]
    public async Task ExpiryJob_RecordsExpiredOnceToTheBanksWithOffers_HoweverManyRunsAndInstances()
    {
        var productA = await ProductAsync(_w.Bank);
        await ProductAsync(_bankB); // eligible, no offer: not told
        var withOffer = await RequestAsync();
        await RequestAsync(); // no offer: expires, but nobody is told
        await _w.Bank.CreateOfferAsync(withOffer, ProductData.Offer(productA));

        var job = _w.App.Services.GetRequiredService<RequestExpiryJob>();
        Assert.Equal(0, await job.RunAsync(CancellationToken.None)); // nothing has expired yet
        _w.App.Clock.Advance(Duration.FromDays(30));

        using var second = _w.App.Another();
        var secondJob = second.Services.GetRequiredService<RequestExpiryJob>();
        var runs = await Task.WhenAll(job.RunAsync(CancellationToken.None), secondJob.RunAsync(CancellationToken.None));
        Assert.Equal(2, runs.Sum());
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var expired = Assert.Single(await EventsAsync(WebhookEventTypes.FinancingRequestExpired));
        Assert.Equal([_w.BankId], expired.Recipients);
        Assert.Equal(withOffer, expired.Data["id"]!.GetValue<string>());
        Assert.Equal("expired", expired.Data["status"]!.GetValue<string>());
        SameJson(await (await _w.Bank.GetAsync($"/api/v1/financing-requests/{withOffer}")).ExpectAsync(HttpStatusCode.OK), expired.Data);
    }

    [Fact]
    public async Task DueSoonJob_TellsHoldersAndAcceptor_ThreeDaysBefore_OncePerNote()
    {
        var dueDate = NotesWorld.Today.PlusDays(10);
        var note = (await _w.IssueNoteAsync(500_000m, dueDate))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, note, _w.SubSupplierId, 100_000m)).ExpectAsync(HttpStatusCode.Created);
        var job = _w.App.Services.GetRequiredService<NoteDueSoonJob>();

        _w.App.Clock.Advance(Duration.FromDays(6)); // four days before: not yet
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        _w.App.Clock.Advance(Duration.FromDays(1)); // three days before

        using var second = _w.App.Another();
        var runs = await Task.WhenAll(job.RunAsync(CancellationToken.None), second.Services.GetRequiredService<NoteDueSoonJob>().RunAsync(CancellationToken.None));
        Assert.Equal(1, runs.Sum());
        _w.App.Clock.Advance(Duration.FromDays(1));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var dueSoon = Assert.Single(await EventsAsync(WebhookEventTypes.NoteDueSoon));
        Assert.Equal(Sorted(_w.CoreId, _w.SupplierId, _w.SubSupplierId), dueSoon.Recipients);
        Assert.Equal(note, dueSoon.Data["id"]!.GetValue<string>());
        Assert.Equal(NotesWorld.Iso(dueDate), dueSoon.Data["dueDate"]!.GetValue<string>());
    }
}
