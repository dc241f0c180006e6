using FinanceChain.Domain.Webhooks;

namespace FinanceChain.Api.Webhooks;

/// <summary>
/// The events of the contract, each with the recipients the contract names, for the stores to record with
/// <see cref="WebhookOutbox.RecordAsync"/> in the transaction of their change. <c>data</c> is always the resource as the
/// API returns it to that recipient (the response record the endpoint itself returns), read after the change.
/// </summary>
public static class WebhookEvents
{
    /// <summary>
    /// <c>financingRequest.matched</c>, to every bank with an eligible active product: when a request is made, and when
    /// a product change makes an open request newly eligible (then only to that product's bank).
    /// </summary>
    public static WebhookEvent FinancingRequestMatched(object financingRequest, IEnumerable<string> institutionIds) =>
        new(WebhookEventTypes.FinancingRequestMatched, Distinct(institutionIds), financingRequest);

    /// <summary><c>offer.created</c>, to the enterprise that owns the request.</summary>
    public static WebhookEvent OfferCreated(object offer, string requestOwnerEnterpriseId) =>
        new(WebhookEventTypes.OfferCreated, [requestOwnerEnterpriseId], offer);

    /// <summary><c>offer.accepted</c>, to the bank that made the offer.</summary>
    public static WebhookEvent OfferAccepted(object offer, string institutionId) =>
        new(WebhookEventTypes.OfferAccepted, [institutionId], offer);

    /// <summary><c>offer.declined</c>, to the bank that made the offer (one event per declined offer).</summary>
    public static WebhookEvent OfferDeclined(object offer, string institutionId) =>
        new(WebhookEventTypes.OfferDeclined, [institutionId], offer);

    /// <summary><c>financingRequest.withdrawn</c>, to every bank with an offer on the request.</summary>
    public static WebhookEvent FinancingRequestWithdrawn(object financingRequest, IEnumerable<string> institutionIdsWithOffers) =>
        new(WebhookEventTypes.FinancingRequestWithdrawn, Distinct(institutionIdsWithOffers), financingRequest);

    /// <summary><c>financingRequest.expired</c>, to every bank with an offer on the request.</summary>
    public static WebhookEvent FinancingRequestExpired(object financingRequest, IEnumerable<string> institutionIdsWithOffers) =>
        new(WebhookEventTypes.FinancingRequestExpired, Distinct(institutionIdsWithOffers), financingRequest);

    /// <summary><c>receivable.registered</c>, to the debtor enterprise.</summary>
    public static WebhookEvent ReceivableRegistered(object receivable, string debtorEnterpriseId) =>
        new(WebhookEventTypes.ReceivableRegistered, [debtorEnterpriseId], receivable);

    /// <summary><c>note.received</c>, to the new holder: an enterprise after a transfer, a bank's institution after a discount.</summary>
    public static WebhookEvent NoteReceived(object note, string holderId) =>
        new(WebhookEventTypes.NoteReceived, [holderId], note);

    /// <summary><c>note.dueSoon</c>, 3 days before the due date, to every current holder and the acceptor.</summary>
    public static WebhookEvent NoteDueSoon(object note, IEnumerable<string> holderIds, string acceptorEnterpriseId) =>
        new(WebhookEventTypes.NoteDueSoon, Distinct(holderIds.Append(acceptorEnterpriseId)), note);

    private static string[] Distinct(IEnumerable<string> ids) => ids.Distinct(StringComparer.Ordinal).ToArray();
}
