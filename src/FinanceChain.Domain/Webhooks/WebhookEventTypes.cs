namespace FinanceChain.Domain.Webhooks;

/// <summary>
/// The event types a webhook can subscribe to, exactly as the contract names them. A subscription names
/// some of them; an event is delivered to the active subscriptions of its recipients that name its type.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>A new request, or a product change, made an open request eligible for one of the bank's active products (to the bank).</summary>
    public const string FinancingRequestMatched = "financingRequest.matched";

    /// <summary>A bank made an offer on the enterprise's request (to the request's owner).</summary>
    public const string OfferCreated = "offer.created";

    /// <summary>The enterprise accepted the bank's offer (to the bank).</summary>
    public const string OfferAccepted = "offer.accepted";

    /// <summary>The bank's offer was declined, e.g. because another offer was accepted (to the bank).</summary>
    public const string OfferDeclined = "offer.declined";

    /// <summary>The enterprise withdrew a request on which the bank had offered (to banks with offers).</summary>
    public const string FinancingRequestWithdrawn = "financingRequest.withdrawn";

    /// <summary>A request on which the bank had offered expired (to banks with offers).</summary>
    public const string FinancingRequestExpired = "financingRequest.expired";

    /// <summary>A supplier registered a receivable owed by the enterprise (to the debtor).</summary>
    public const string ReceivableRegistered = "receivable.registered";

    /// <summary>The enterprise or bank received sub-notes of a note (to the new holder).</summary>
    public const string NoteReceived = "note.received";

    /// <summary>A note falls due in 3 days (to its holders and its acceptor).</summary>
    public const string NoteDueSoon = "note.dueSoon";

    /// <summary>Every type, in the contract's order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        FinancingRequestMatched,
        OfferCreated,
        OfferAccepted,
        OfferDeclined,
        FinancingRequestWithdrawn,
        FinancingRequestExpired,
        ReceivableRegistered,
        NoteReceived,
        NoteDueSoon,
    ];

    /// <summary>True when <paramref name="type"/> is one of <see cref="All"/>, compared exactly (case matters).</summary>
    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
