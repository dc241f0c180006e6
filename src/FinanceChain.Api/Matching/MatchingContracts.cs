using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Api.Localization;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>
/// A financing request by the calling enterprise. Its size and region are taken from the registry,
/// never from the request.
/// </summary>
/// <param name="ChainId">The chain the request is made in; the enterprise must belong to it.</param>
/// <param name="Amount">Amount asked for, in yuan.</param>
/// <param name="TermDays">Term asked for, in days (1–3650).</param>
/// <param name="Purpose">What the money is for, e.g. 采购原材料.</param>
/// <param name="AcceptableTypes">Product types the enterprise accepts; empty or absent = any type.</param>
/// <param name="CollateralOffered">The security it can give; empty or absent = none.</param>
/// <param name="MaxRateBps">Highest rate it will pay, bps per year; absent = no ceiling.</param>
/// <param name="ReceivableId">A receivable of the enterprise backing the request (products that require a confirmed receivable need it).</param>
/// <param name="NoteId">A supply-chain note the enterprise holds, for note discount.</param>
public sealed record NewFinancingRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), EntityId] string ChainId,
    [Yuan] decimal Amount,
    [Range(1, ProductTerms.MaxTermDaysLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int TermDays,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(500, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Purpose,
    [MaxLength(20, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems))] IReadOnlyList<ProductType>? AcceptableTypes = null,
    [MaxLength(20, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems))] IReadOnlyList<Collateral>? CollateralOffered = null,
    [Range(0, ProductTerms.MaxRateBpsLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int? MaxRateBps = null,
    [EntityId] string? ReceivableId = null,
    [EntityId] string? NoteId = null);

/// <summary>Where a financing request stands.</summary>
public enum FinancingRequestStatus
{
    /// <summary>Waiting for offers.</summary>
    Open,
    /// <summary>At least one bank has made an offer; more may come.</summary>
    Offered,
    /// <summary>The requester accepted an offer; the others were declined.</summary>
    Accepted,
    /// <summary>The requester withdrew it.</summary>
    Withdrawn,
    /// <summary>Its time ran out (<c>expiresAt</c>) before an offer was accepted.</summary>
    Expired,
}

/// <summary>A financing request.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="EnterpriseId">The requester.</param>
/// <param name="EnterpriseName">The requester's name.</param>
/// <param name="ChainId">The chain it is made in.</param>
/// <param name="ChainName">The chain's name.</param>
/// <param name="EnterpriseSize">The requester's size, from the registry.</param>
/// <param name="Region">The requester's region, from the registry.</param>
/// <param name="RegionName">The region's full name (<c>湖北省武汉市洪山区</c>), from the GB/T 2260 list.</param>
/// <param name="Amount">Amount asked for, in yuan.</param>
/// <param name="TermDays">Term asked for, in days.</param>
/// <param name="Purpose">What the money is for.</param>
/// <param name="AcceptableTypes">Product types accepted; empty = any.</param>
/// <param name="CollateralOffered">Security offered.</param>
/// <param name="MaxRateBps">Rate ceiling, bps per year, if any.</param>
/// <param name="ReceivableId">The receivable named, if any.</param>
/// <param name="NoteId">The note named, if any.</param>
/// <param name="Status">open, offered, accepted, withdrawn or expired.</param>
/// <param name="AcceptedOfferId">The offer accepted, once accepted.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it expires unless an offer has been accepted or it was withdrawn.</param>
public sealed record FinancingRequestResponse(
    string Id,
    string EnterpriseId,
    string EnterpriseName,
    string ChainId,
    string ChainName,
    EnterpriseSize EnterpriseSize,
    string Region,
    string RegionName,
    decimal Amount,
    int TermDays,
    string Purpose,
    IReadOnlyList<ProductType> AcceptableTypes,
    IReadOnlyList<Collateral> CollateralOffered,
    int? MaxRateBps,
    string? ReceivableId,
    string? NoteId,
    FinancingRequestStatus Status,
    string? AcceptedOfferId,
    Instant CreatedAt,
    Instant ExpiresAt);

/// <summary>An eligible product for a request, with why it fits and where it ranks.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="ProductName">Its name.</param>
/// <param name="Type">Its type.</param>
/// <param name="InstitutionId">The bank offering it.</param>
/// <param name="InstitutionName">The bank's name.</param>
/// <param name="IsLeadBank">True when that bank is the lead bank (主办行, 一链一行) of the request's chain.</param>
/// <param name="Score">A number that never rises down the list: 100 minus the lowest rate in %/yr, minus small deductions that order products of equal rate.</param>
/// <param name="MinRateBps">The product's lowest rate, bps per year.</param>
/// <param name="MaxRateBps">The product's highest rate, bps per year.</param>
/// <param name="Reasons">Why it fits and ranks where it does: each a stable code and its sentence in the request's language.</param>
public sealed record MatchResponse(
    string ProductId,
    string ProductName,
    ProductType Type,
    string InstitutionId,
    string InstitutionName,
    bool IsLeadBank,
    decimal Score,
    int MinRateBps,
    int MaxRateBps,
    IReadOnlyList<ReasonResponse> Reasons);

/// <summary>An active product the request misses by one or two rules, with what would have to change.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="ProductName">Its name.</param>
/// <param name="InstitutionId">The bank offering it.</param>
/// <param name="InstitutionName">The bank's name.</param>
/// <param name="FailedRules">The rules it fails, in rule order: each a stable code and its sentence (e.g. <c>金额超过该产品上限 500 万元</c>).</param>
public sealed record NearMissResponse(
    string ProductId,
    string ProductName,
    string InstitutionId,
    string InstitutionName,
    IReadOnlyList<ReasonResponse> FailedRules);

/// <summary>The best eligible products for a request, best first, and the products it narrowly misses.</summary>
/// <param name="Items">The matches: lowest rate first; at equal rate the chain's lead bank first, then less collateral, then products designed for the chain, then by id.</param>
/// <param name="NearMisses">
/// When fewer than 5 products match: up to 5 active products that fail one or two rules, closest first (fewer rules
/// failed, then the same order as the matches), each with what would have to change; empty otherwise. They say only
/// what the request itself and the products' public terms say.
/// </param>
public sealed record MatchesResponse(IReadOnlyList<MatchResponse> Items, IReadOnlyList<NearMissResponse> NearMisses);

/// <summary>A request in a bank's inbox: open, unexpired, and eligible for at least one of the bank's active products.</summary>
/// <param name="Request">The request, with the requester's name.</param>
/// <param name="InstitutionId">The bank whose products match it (the caller).</param>
/// <param name="InstitutionName">The bank's name.</param>
/// <param name="ProductIds">The bank's active products eligible for it, best first: the best 20 when more are (the matches of the request rank them all).</param>
public sealed record MatchedRequestResponse(FinancingRequestResponse Request, string InstitutionId, string InstitutionName, IReadOnlyList<string> ProductIds);

/// <summary>A bank's offer on a financing request.</summary>
/// <param name="ProductId">One of the bank's active products that is eligible for the request.</param>
/// <param name="Amount">Amount offered, in yuan: at most the amount asked for, and within the product's amount range.</param>
/// <param name="RateBps">Rate offered, bps per year: within the product's rate range, and at most the request's ceiling if it has one.</param>
/// <param name="TermDays">Term offered, in days: within the product's term range.</param>
public sealed record NewOffer(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), EntityId] string ProductId,
    [Yuan] decimal Amount,
    [Range(0, ProductTerms.MaxRateBpsLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int RateBps,
    [Range(1, ProductTerms.MaxTermDaysLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int TermDays);

/// <summary>Where an offer stands.</summary>
public enum OfferStatus
{
    /// <summary>Waiting for the requester.</summary>
    Pending,
    /// <summary>The requester accepted it.</summary>
    Accepted,
    /// <summary>The requester accepted another offer or withdrew the request.</summary>
    Declined,
    /// <summary>The request expired while the offer was pending.</summary>
    Expired,
}

/// <summary>A bank's offer on a financing request.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="RequestId">The request.</param>
/// <param name="ProductId">The product offered on.</param>
/// <param name="ProductName">Its name.</param>
/// <param name="ProductType">Its type.</param>
/// <param name="InstitutionId">The bank.</param>
/// <param name="InstitutionName">The bank's name.</param>
/// <param name="Amount">Amount offered, in yuan.</param>
/// <param name="RateBps">Rate offered, bps per year.</param>
/// <param name="TermDays">Term offered, in days.</param>
/// <param name="Status">pending, accepted, declined or expired.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="DecidedAt">When it was accepted or declined.</param>
/// <param name="RequestStatus">Where the request stands now (open, offered, accepted, withdrawn or expired), so that a bank sees what became of its deal.</param>
/// <param name="EnterpriseId">The requester, to whom the offer was made.</param>
/// <param name="EnterpriseName">The requester's name.</param>
public sealed record OfferResponse(
    string Id,
    string RequestId,
    string ProductId,
    string ProductName,
    ProductType ProductType,
    string InstitutionId,
    string InstitutionName,
    decimal Amount,
    int RateBps,
    int TermDays,
    OfferStatus Status,
    Instant CreatedAt,
    Instant? DecidedAt,
    FinancingRequestStatus RequestStatus,
    string EnterpriseId,
    string EnterpriseName);

/// <summary>The outcome of accepting an offer.</summary>
/// <param name="Offer">The offer, now accepted.</param>
/// <param name="Request">The request, now accepted.</param>
/// <param name="Discount">For a note-discount offer, the discount made (interest and proceeds); null otherwise.</param>
public sealed record AcceptOfferResponse(OfferResponse Offer, FinancingRequestResponse Request, object? Discount);
