using System.Collections.ObjectModel;

namespace FinanceChain.Domain;

/// <summary>
/// The terms of a bank's product that matching works on: what it lends, for how long, at what rate
/// and to whom. Built only through <see cref="Create"/>, which refuses inconsistent ranges; immutable
/// afterwards, so one instance can be shared by any number of readers.
/// </summary>
public sealed class ProductTerms
{
    /// <summary>The longest term a product may offer: 3650 days (ten years).</summary>
    public const int MaxTermDaysLimit = 3650;

    /// <summary>The highest rate a product may quote: 10000 bps (100 %/yr).</summary>
    public const int MaxRateBpsLimit = 10_000;

    private ProductTerms(
        string id,
        string institutionId,
        ProductType type,
        Money minAmount,
        Money maxAmount,
        int minTermDays,
        int maxTermDays,
        int minRateBps,
        int maxRateBps,
        IReadOnlySet<string> chainIds,
        IReadOnlySet<EnterpriseSize> enterpriseSizes,
        IReadOnlyList<RegionCode> regions,
        Collateral collateral,
        bool requiresConfirmedReceivable,
        bool active)
    {
        Id = id;
        InstitutionId = institutionId;
        Type = type;
        MinAmount = minAmount;
        MaxAmount = maxAmount;
        MinTermDays = minTermDays;
        MaxTermDays = maxTermDays;
        MinRateBps = minRateBps;
        MaxRateBps = maxRateBps;
        ChainIds = chainIds;
        EnterpriseSizes = enterpriseSizes;
        Regions = regions;
        Collateral = collateral;
        RequiresConfirmedReceivable = requiresConfirmedReceivable;
        Active = active;
    }

    // Most products leave some of these open; an index of 100,000 products then holds one empty set, not thousands.
    private static readonly IReadOnlySet<string> NoChains = new ReadOnlySet<string>(new HashSet<string>(StringComparer.Ordinal));
    private static readonly IReadOnlySet<EnterpriseSize> NoSizes = new ReadOnlySet<EnterpriseSize>(new HashSet<EnterpriseSize>());

    /// <summary>The product's id.</summary>
    public string Id { get; }

    /// <summary>The bank that offers the product.</summary>
    public string InstitutionId { get; }

    /// <summary>The kind of product.</summary>
    public ProductType Type { get; }

    /// <summary>The smallest amount lent (inclusive).</summary>
    public Money MinAmount { get; }

    /// <summary>The largest amount lent (inclusive).</summary>
    public Money MaxAmount { get; }

    /// <summary>The shortest term in days (inclusive).</summary>
    public int MinTermDays { get; }

    /// <summary>The longest term in days (inclusive).</summary>
    public int MaxTermDays { get; }

    /// <summary>The lowest rate quoted, in basis points per year; what ranking compares.</summary>
    public int MinRateBps { get; }

    /// <summary>The highest rate quoted, in basis points per year.</summary>
    public int MaxRateBps { get; }

    /// <summary>The chains the product is offered to; empty means every chain.</summary>
    public IReadOnlySet<string> ChainIds { get; }

    /// <summary>The enterprise sizes the product is offered to; empty means every size.</summary>
    public IReadOnlySet<EnterpriseSize> EnterpriseSizes { get; }

    /// <summary>
    /// The regions the product is offered in; empty means everywhere. A region covers the codes that
    /// start with its significant prefix (<see cref="RegionCode.Covers"/>).
    /// </summary>
    public IReadOnlyList<RegionCode> Regions { get; }

    /// <summary>The security the product takes; <see cref="Domain.Collateral.None"/> takes none.</summary>
    public Collateral Collateral { get; }

    /// <summary>True when the borrower needs a receivable its debtor has confirmed (确权).</summary>
    public bool RequiresConfirmedReceivable { get; }

    /// <summary>False once the bank has withdrawn the product; a withdrawn product matches nothing.</summary>
    public bool Active { get; }

    /// <summary>True when the product is offered to some chains only.</summary>
    public bool IsChainRestricted => ChainIds.Count > 0;

    /// <summary>
    /// Builds product terms, checking that every range is consistent. Empty or <c>null</c> chain ids,
    /// sizes and regions mean no restriction; duplicates are dropped.
    /// </summary>
    /// <exception cref="DomainValidationException">A field is out of range, keyed by its camelCase name.</exception>
    public static ProductTerms Create(
        string id,
        string institutionId,
        ProductType type,
        Money minAmount,
        Money maxAmount,
        int minTermDays,
        int maxTermDays,
        int minRateBps,
        int maxRateBps,
        IEnumerable<string>? chainIds = null,
        IEnumerable<EnterpriseSize>? enterpriseSizes = null,
        IEnumerable<RegionCode>? regions = null,
        Collateral collateral = Collateral.None,
        bool requiresConfirmedReceivable = false,
        bool active = true)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new DomainValidationException("id", MatchingCodes.ValueRequired);
        }

        if (string.IsNullOrWhiteSpace(institutionId))
        {
            throw new DomainValidationException("institutionId", MatchingCodes.ValueRequired);
        }

        if (!Enum.IsDefined(type))
        {
            throw new DomainValidationException("type", MatchingCodes.ValueUnknown, (int)type);
        }

        if (minAmount <= Money.Zero)
        {
            throw new DomainValidationException("minAmount", MatchingCodes.AmountNotPositive);
        }

        if (maxAmount < minAmount)
        {
            throw new DomainValidationException("maxAmount", MatchingCodes.MaxAmountBelowMin, minAmount);
        }

        if (minTermDays < 1)
        {
            throw new DomainValidationException("minTermDays", MatchingCodes.TermTooShort);
        }

        if (maxTermDays < minTermDays)
        {
            throw new DomainValidationException("maxTermDays", MatchingCodes.MaxTermBelowMin, minTermDays);
        }

        if (maxTermDays > MaxTermDaysLimit)
        {
            throw new DomainValidationException("maxTermDays", MatchingCodes.TermAboveLimit, MaxTermDaysLimit);
        }

        if (minRateBps < 0)
        {
            throw new DomainValidationException("minRateBps", MatchingCodes.RateNegative);
        }

        if (maxRateBps < minRateBps)
        {
            throw new DomainValidationException("maxRateBps", MatchingCodes.MaxRateBelowMin, new RateArg(minRateBps));
        }

        if (maxRateBps > MaxRateBpsLimit)
        {
            throw new DomainValidationException("maxRateBps", MatchingCodes.RateAboveLimit, new RateArg(MaxRateBpsLimit));
        }

        if (!Enum.IsDefined(collateral))
        {
            throw new DomainValidationException("collateral", MatchingCodes.ValueUnknown, (int)collateral);
        }

        var chains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chainId in chainIds ?? [])
        {
            if (string.IsNullOrWhiteSpace(chainId))
            {
                throw new DomainValidationException("chainIds", MatchingCodes.ValueRequired);
            }

            chains.Add(chainId);
        }

        var sizes = new HashSet<EnterpriseSize>();
        foreach (var size in enterpriseSizes ?? [])
        {
            if (!Enum.IsDefined(size))
            {
                throw new DomainValidationException("enterpriseSizes", MatchingCodes.ValueUnknown, (int)size);
            }

            sizes.Add(size);
        }

        var regionList = new List<RegionCode>();
        foreach (var region in regions ?? [])
        {
            if (region.Value is null)
            {
                throw new DomainValidationException("regions", MatchingCodes.RegionInvalid);
            }

            if (!regionList.Contains(region))
            {
                regionList.Add(region);
            }
        }

        return new ProductTerms(
            id,
            institutionId,
            type,
            minAmount,
            maxAmount,
            minTermDays,
            maxTermDays,
            minRateBps,
            maxRateBps,
            chains.Count == 0 ? NoChains : new ReadOnlySet<string>(chains),
            sizes.Count == 0 ? NoSizes : new ReadOnlySet<EnterpriseSize>(sizes),
            regionList.Count == 0 ? ReadOnlyCollection<RegionCode>.Empty : regionList.AsReadOnly(),
            collateral,
            requiresConfirmedReceivable,
            active);
    }

    /// <summary>A short description for logs and test output.</summary>
    public override string ToString() =>
        $"{Id} ({InstitutionId}, {Type}, {MinAmount}-{MaxAmount} yuan, {MinTermDays}-{MaxTermDays} d, " +
        $"{MinRateBps}-{MaxRateBps} bps, chains [{string.Join(',', ChainIds)}], sizes [{string.Join(',', EnterpriseSizes)}], " +
        $"regions [{string.Join(',', Regions)}], {Collateral}{(RequiresConfirmedReceivable ? ", confirmed receivable" : "")}{(Active ? "" : ", withdrawn")})";
}
