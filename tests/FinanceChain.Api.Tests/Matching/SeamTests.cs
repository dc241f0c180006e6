using System.Data.Common;
using System.Net;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>
/// The two seams the notes feature plugs into: <see cref="IRequestBacking"/> (is the note held, is the
/// receivable confirmed) and <see cref="IOfferSettlement"/> (discount the note on acceptance).
/// </summary>
public sealed class SeamTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;
    private Caller _sme = null!;

    public async Task InitializeAsync()
    {
        _w = await MatchingWorld.CreateAsync(_app);
        _sme = new Caller("key_test", "test", Role.Enterprise, null, _w.Sme);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private FinancingRequestStore Requests(IRequestBacking backing) => new(
        Service<Db>(), Service<AuditLog>(), Service<IClock>(), Service<IOptions<MatchingOptions>>(), backing, Service<MatchingIndexCache>(), Service<FinanceChain.Api.Localization.TextCatalog>(),
        Service<FinanceChain.Api.Webhooks.WebhookOutbox>());

    private OfferStore Offers(IOfferSettlement settlement, IRequestBacking? backing = null) => new(
        Service<Db>(), Service<AuditLog>(), Service<IClock>(), backing is null ? Service<FinancingRequestStore>() : Requests(backing), settlement,
        Service<Domain.BusinessCalendar>(), Service<FinanceChain.Api.Webhooks.WebhookOutbox>());

    private static NewFinancingRequest NoteBacked(string chainId) => new(
        chainId, 200_000m, 60, "票据贴现", [ProductType.NoteDiscount], [Collateral.Note], NoteId: "note_1", ReceivableId: "rcv_1");

    [Fact]
    public async Task RequestBacking_IsAskedWithTheRequestersIds_AndItsFactsDriveMatching()
    {
        var backing = Substitute.For<IRequestBacking>();
        backing.CheckAsync(default!, default, default, default).ReturnsForAnyArgs(new BackingFacts(HoldsNote: true, HasConfirmedReceivable: true));
        var discount = await _w.A.CreateProductAsync(ProductData.Product("票据贴现", type: "noteDiscount", minRateBps: 250, collateral: "note", requiresConfirmedReceivable: true));

        var request = await Requests(backing).CreateAsync(NoteBacked(_w.Chain), _sme, CancellationToken.None);

        await backing.Received(1).CheckAsync(_w.Sme, "rcv_1", "note_1", Arg.Any<CancellationToken>());
        Assert.Equal("note_1", request.NoteId);
        var matches = await Requests(backing).MatchesAsync(request.Id, null, _sme, CancellationToken.None);
        Assert.Equal([discount], matches.Items.Select(m => m.ProductId));

        // Without the note the same request matches nothing.
        var unbacked = Substitute.For<IRequestBacking>();
        unbacked.CheckAsync(default!, default, default, default).ReturnsForAnyArgs(BackingFacts.None);
        var without = await Requests(unbacked).CreateAsync(NoteBacked(_w.Chain), _sme, CancellationToken.None);
        Assert.Empty(await _w.SmeClient.MatchIdsAsync(without.Id));
    }

    [Fact]
    public async Task RequestBacking_Refusing_StoresNothing()
    {
        var backing = Substitute.For<IRequestBacking>();
        backing.CheckAsync(default!, default, default, default).ThrowsAsyncForAnyArgs(new FieldValidationException("noteId", "No note you hold has this id."));

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => Requests(backing).CreateAsync(NoteBacked(_w.Chain), _sme, CancellationToken.None));
        Assert.Contains("noteId", error.Errors.Keys);
        var list = await (await _w.Admin.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public void Seams_AreAnsweredByTheNotesFeature()
    {
        Assert.IsType<FinanceChain.Api.Notes.NoteRequestBacking>(Service<IRequestBacking>());
        Assert.IsType<FinanceChain.Api.Notes.NoteOfferSettlement>(Service<IOfferSettlement>());
    }

    [Fact]
    public async Task NoRequestBacking_KnowsNoNotesOrReceivables()
    {
        var none = new NoRequestBacking();

        Assert.Equal(BackingFacts.None, await none.CheckAsync(_w.Sme, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<FieldValidationException>(() => none.CheckAsync(_w.Sme, "rcv_1", null, CancellationToken.None));
        await Assert.ThrowsAsync<FieldValidationException>(() => none.CheckAsync(_w.Sme, null, "note_1", CancellationToken.None));
    }

    [Fact]
    public async Task OfferSettlement_RunsInsideTheAcceptTransaction_AndItsResultIsTheDiscount()
    {
        var (request, offer) = await NoteDiscountOfferAsync();
        var settlement = Substitute.For<IOfferSettlement>();
        string? statusSeenInside = null;
        settlement.OnAcceptedAsync(default!, default!, default!, default).ReturnsForAnyArgs(async call =>
        {
            var transaction = call.Arg<DbTransaction>();
            statusSeenInside = await transaction.Connection!.ExecuteScalarAsync<string>(
                "SELECT status FROM financing_requests WHERE id = @Id", new { Id = request }, transaction);
            return (object?)new { interest = 1_666.67m, proceeds = 198_333.33m };
        });

        var accepted = await Offers(settlement).AcceptAsync(offer, _sme, CancellationToken.None);

        Assert.Equal("accepted", statusSeenInside);
        await settlement.Received(1).OnAcceptedAsync(
            Arg.Any<DbTransaction>(),
            Arg.Is<AcceptedOffer>(o => o.OfferId == offer && o.RequestId == request && o.EnterpriseId == _w.Sme && o.InstitutionId == _w.BankA
                && o.ProductType == ProductType.NoteDiscount && o.NoteId == "note_1" && o.Amount == Money.FromYuan(200_000m) && o.RateBps == 300
                && o.TermDays == 60 && o.AcceptedAt == FinanceChainApp.DefaultNow),
            Arg.Is<Caller>(c => c.EnterpriseId == _w.Sme),
            Arg.Any<CancellationToken>());
        Assert.NotNull(accepted.Discount);
        Assert.Equal(OfferStatus.Accepted, accepted.Offer.Status);
        Assert.Equal(FinancingRequestStatus.Accepted, accepted.Request.Status);
    }

    [Fact]
    public async Task OfferSettlement_Refusing_RollsTheAcceptanceBack()
    {
        var (request, offer) = await NoteDiscountOfferAsync();
        var settlement = Substitute.For<IOfferSettlement>();
        settlement.OnAcceptedAsync(default!, default!, default!, default).ThrowsAsyncForAnyArgs(new ConflictException("You no longer hold enough of the note."));

        await Assert.ThrowsAsync<ConflictException>(() => Offers(settlement).AcceptAsync(offer, _sme, CancellationToken.None));

        var read = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offered", read["status"]!.GetValue<string>());
        var offerRead = await (await _w.SmeClient.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", offerRead["status"]!.GetValue<string>());
        var trail = await (await _w.Regulator.GetAsync($"/api/v1/audit?entityId={offer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["offer.created"], trail["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));

        // With no settlement the same offer can still be accepted.
        var accepted = await Offers(new NoOfferSettlement()).AcceptAsync(offer, _sme, CancellationToken.None);
        Assert.Null(accepted.Discount);
        Assert.Equal(OfferStatus.Accepted, accepted.Offer.Status);
    }

    private async Task<(string Request, string Offer)> NoteDiscountOfferAsync()
    {
        var backing = Substitute.For<IRequestBacking>();
        backing.CheckAsync(default!, default, default, default).ReturnsForAnyArgs(new BackingFacts(HoldsNote: true, HasConfirmedReceivable: false));
        var product = await _w.A.CreateProductAsync(ProductData.Product("票据贴现", type: "noteDiscount", minRateBps: 250, maxRateBps: 400, collateral: "note"));
        var request = await Requests(backing).CreateAsync(NoteBacked(_w.Chain), _sme, CancellationToken.None);
        var bank = new Caller("key_bank", "bank", Role.Bank, _w.BankA, null);
        var offer = await Offers(new NoOfferSettlement(), backing)
            .CreateAsync(request.Id, new NewOffer(product, 200_000m, 300, 60), bank, CancellationToken.None);
        return (request.Id, offer.Id);
    }
}
