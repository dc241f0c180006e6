using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Matching;

/// <summary>
/// The texts of matching: the domain's <see cref="Domain.MatchingCodes"/> (reasons, failed rules, terms that break a
/// rule), the codes below, and the words for request and offer statuses (<c>requestStatusOpen</c>, <c>offerStatusPending</c>).
/// </summary>
[Texts]
public sealed class MatchingTexts;

/// <summary>Codes of the errors of financing requests and offers.</summary>
public static class MatchingApiCodes
{
    /// <summary>The requester does not belong to the chain named.</summary>
    public const string NotMemberOfChain = "notMemberOfChain";

    /// <summary>{0} the request's status: it can no longer be withdrawn.</summary>
    public const string RequestNotWithdrawable = "requestNotWithdrawable";

    /// <summary>{0} the request's status: it takes no more offers.</summary>
    public const string RequestTakesNoOffers = "requestTakesNoOffers";

    /// <summary>{0} the request's status: an offer on it can no longer be accepted.</summary>
    public const string RequestNotAcceptable = "requestNotAcceptable";

    /// <summary>No product of the calling bank has this id.</summary>
    public const string ProductNotYours = "productNotYours";

    /// <summary>The product is not eligible for the request (the failed rules follow on the same field).</summary>
    public const string ProductNotEligible = "productNotEligible";

    /// <summary>The requester no longer holds the note or has the confirmed receivable the product needs (the failed rules follow).</summary>
    public const string BackingGone = "backingGone";

    /// <summary>{0} the note's due date, {1} the days from today to it, {2} the days offered.</summary>
    public const string DiscountTermMismatch = "discountTermMismatch";

    /// <summary>{0} the amount asked for.</summary>
    public const string OfferAboveRequest = "offerAboveRequest";

    /// <summary>{0} and {1} the product's amount range.</summary>
    public const string OfferAmountOutsideProduct = "offerAmountOutsideProduct";

    /// <summary>{0} and {1} the product's rate range.</summary>
    public const string OfferRateOutsideProduct = "offerRateOutsideProduct";

    /// <summary>{0} the request's rate ceiling.</summary>
    public const string OfferRateAboveCeiling = "offerRateAboveCeiling";

    /// <summary>{0} and {1} the product's term range in days.</summary>
    public const string OfferTermOutsideProduct = "offerTermOutsideProduct";

    /// <summary>{0} the offer's status: only a pending offer can be accepted.</summary>
    public const string OfferNotPending = "offerNotPending";

    /// <summary>The bank has withdrawn the product offered.</summary>
    public const string OfferProductWithdrawn = "offerProductWithdrawn";

    /// <summary>No receivable of the requester has this id.</summary>
    public const string ReceivableNotYours = "receivableNotYours";

    /// <summary>No note the requester holds has this id.</summary>
    public const string NoteNotHeld = "noteNotHeld";

    /// <summary>{0} the offer statuses <c>GET /offers?status=</c> takes.</summary>
    public const string OfferStatusUnknown = "offerStatusUnknown";
}
