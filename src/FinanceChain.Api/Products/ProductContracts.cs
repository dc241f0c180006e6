using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Products;

/// <summary>
/// A bank's supply-chain finance product: what it lends, for how long, at what rate and to whom. Used
/// both to post a product and to replace its terms (PUT). The institution is always the caller's bank.
/// </summary>
/// <param name="Name">Name of the product as the bank markets it, e.g. 小龙虾产业链应收账款融资.</param>
/// <param name="Type">The kind of product.</param>
/// <param name="MinAmount">Smallest amount lent, in yuan (inclusive).</param>
/// <param name="MaxAmount">Largest amount lent, in yuan (inclusive); not below <paramref name="MinAmount"/>.</param>
/// <param name="MinTermDays">Shortest term in days (inclusive), at least 1.</param>
/// <param name="MaxTermDays">Longest term in days (inclusive), at most 3650; not below <paramref name="MinTermDays"/>.</param>
/// <param name="MinRateBps">Lowest rate quoted, in basis points per year; what matching ranks on.</param>
/// <param name="MaxRateBps">Highest rate quoted, in basis points per year (at most 10000); not below <paramref name="MinRateBps"/>.</param>
/// <param name="Collateral">The security the product takes; <c>none</c> takes none.</param>
/// <param name="ChainIds">The chains the product is offered to; empty or absent = every chain.</param>
/// <param name="EnterpriseSizes">The enterprise sizes it is offered to; empty or absent = every size.</param>
/// <param name="Regions">Administrative division codes it is offered in (<c>420000</c> covers all of Hubei); empty or absent = everywhere.</param>
/// <param name="RequiresConfirmedReceivable">True when the borrower needs a receivable its debtor has confirmed (确权).</param>
/// <param name="MaxAdvanceRatioBps">On a request backed by a receivable, the share of what remains of the receivable the
/// product lends at most, in basis points (1–10000; default 9000 = 90 %). An offer above it, or for a term ending after
/// the receivable's due date, is a 409, at the offer and again at acceptance.</param>
public sealed record ProductRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    ProductType Type,
    [Yuan] decimal MinAmount,
    [Yuan] decimal MaxAmount,
    [Range(1, ProductTerms.MaxTermDaysLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int MinTermDays,
    [Range(1, ProductTerms.MaxTermDaysLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int MaxTermDays,
    [Range(0, ProductTerms.MaxRateBpsLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int MinRateBps,
    [Range(0, ProductTerms.MaxRateBpsLimit, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int MaxRateBps,
    Collateral Collateral,
    [MaxLength(100, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems)), EntityId] IReadOnlyList<string>? ChainIds = null,
    [MaxLength(10, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems))] IReadOnlyList<EnterpriseSize>? EnterpriseSizes = null,
    [MaxLength(100, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems)), Region] IReadOnlyList<string>? Regions = null,
    bool RequiresConfirmedReceivable = false,
    [Range(1, AdvanceLimit.MaxRatioBps, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int MaxAdvanceRatioBps = AdvanceLimit.DefaultRatioBps);

/// <summary>Whether a product is open for new financing.</summary>
public enum ProductStatus
{
    /// <summary>Open: it matches requests and banks may offer on it.</summary>
    Active,
    /// <summary>Withdrawn by its bank: it never matches again.</summary>
    Withdrawn,
}

/// <summary>A bank's product. Its <c>ETag</c> is <c>"version"</c>.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="InstitutionId">The bank offering it.</param>
/// <param name="InstitutionName">The bank's name.</param>
/// <param name="Name">Name.</param>
/// <param name="Type">Kind of product.</param>
/// <param name="MinAmount">Smallest amount lent, in yuan.</param>
/// <param name="MaxAmount">Largest amount lent, in yuan.</param>
/// <param name="MinTermDays">Shortest term in days.</param>
/// <param name="MaxTermDays">Longest term in days.</param>
/// <param name="MinRateBps">Lowest rate, bps per year.</param>
/// <param name="MaxRateBps">Highest rate, bps per year.</param>
/// <param name="ChainIds">Chains it is offered to; empty = every chain.</param>
/// <param name="EnterpriseSizes">Sizes it is offered to; empty = every size.</param>
/// <param name="Regions">Regions it is offered in; empty = everywhere.</param>
/// <param name="RegionNames">The full names of <paramref name="Regions"/>, in the same order (<c>湖北省</c>), from the GB/T 2260 list.</param>
/// <param name="Collateral">Security it takes.</param>
/// <param name="RequiresConfirmedReceivable">True when a confirmed receivable is needed.</param>
/// <param name="MaxAdvanceRatioBps">The most it lends on a receivable: basis points of what remains of it (9000 = 90 %).</param>
/// <param name="Status">Active or withdrawn.</param>
/// <param name="Version">Row version, also sent as the ETag; increases with every change.</param>
/// <param name="CreatedAt">When it was posted.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="WithdrawnAt">When it was withdrawn, if it was.</param>
public sealed record ProductResponse(
    string Id,
    string InstitutionId,
    string InstitutionName,
    string Name,
    ProductType Type,
    decimal MinAmount,
    decimal MaxAmount,
    int MinTermDays,
    int MaxTermDays,
    int MinRateBps,
    int MaxRateBps,
    IReadOnlyList<string> ChainIds,
    IReadOnlyList<EnterpriseSize> EnterpriseSizes,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> RegionNames,
    Collateral Collateral,
    bool RequiresConfirmedReceivable,
    int MaxAdvanceRatioBps,
    ProductStatus Status,
    long Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    Instant? WithdrawnAt);
