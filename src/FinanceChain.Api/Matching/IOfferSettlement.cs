using System.Data.Common;
using FinanceChain.Api.Auth;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>An offer being accepted, as the settlement sees it (inside the accept transaction).</summary>
/// <param name="OfferId">The offer accepted.</param>
/// <param name="RequestId">Its financing request.</param>
/// <param name="EnterpriseId">The requester, who accepts.</param>
/// <param name="InstitutionId">The bank that made the offer.</param>
/// <param name="ProductId">The product offered on.</param>
/// <param name="ProductType">Its type; <see cref="ProductType.NoteDiscount"/> discounts the request's note.</param>
/// <param name="Amount">The amount offered.</param>
/// <param name="RateBps">The rate offered, bps per year.</param>
/// <param name="TermDays">The term offered, in days.</param>
/// <param name="NoteId">The note the request names, if any.</param>
/// <param name="ReceivableId">The receivable the request names, if any.</param>
/// <param name="AcceptedAt">The instant of acceptance.</param>
public sealed record AcceptedOffer(
    string OfferId,
    string RequestId,
    string EnterpriseId,
    string InstitutionId,
    string ProductId,
    ProductType ProductType,
    Money Amount,
    int RateBps,
    int TermDays,
    string? NoteId,
    string? ReceivableId,
    Instant AcceptedAt);

/// <summary>
/// What else happens when an offer is accepted. Called by <see cref="OfferStore.AcceptAsync"/> inside the
/// accept transaction, after the offer and request have been marked accepted and the other offers declined;
/// whatever it writes commits or rolls back with them. Throwing (e.g. a <c>ConflictException</c> when the
/// requester no longer holds enough of the note) refuses the acceptance and changes nothing.
/// </summary>
/// <remarks>
/// For a <see cref="ProductType.NoteDiscount"/> offer the notes feature moves <see cref="AcceptedOffer.Amount"/>
/// of the requester's sub-notes to the bank and returns the interest and proceeds.
/// </remarks>
public interface IOfferSettlement
{
    /// <summary>Settles the accepted offer; the result is returned to the client as <c>discount</c> (null when nothing to report).</summary>
    Task<object?> OnAcceptedAsync(DbTransaction transaction, AcceptedOffer offer, Caller caller, CancellationToken cancellationToken);
}

/// <summary>No settlement: acceptance changes only the request and its offers. Replaced by the notes feature.</summary>
public sealed class NoOfferSettlement : IOfferSettlement
{
    public Task<object?> OnAcceptedAsync(DbTransaction transaction, AcceptedOffer offer, Caller caller, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(null);
}
