using System.Collections.ObjectModel;

namespace FinanceChain.Domain;

/// <summary>
/// What a financing request asks for, together with the facts about the requester that matching
/// needs (size, region, whether it holds a note or a confirmed receivable, its chain's lead bank).
/// Built only through <see cref="Create"/>; immutable afterwards.
/// </summary>
public sealed class FinancingNeed
{
    private FinancingNeed(
        string chainId,
        EnterpriseSize enterpriseSize,
        RegionCode region,
        Money amount,
        int termDays,
        IReadOnlySet<ProductType> acceptableTypes,
        IReadOnlySet<Collateral> collateralOffered,
        int? maxRateBps,
        bool holdsNote,
        bool hasConfirmedReceivable,
        string? leadBankInstitutionId)
    {
        ChainId = chainId;
        EnterpriseSize = enterpriseSize;
        Region = region;
        Amount = amount;
        TermDays = termDays;
        AcceptableTypes = acceptableTypes;
        CollateralOffered = collateralOffered;
        MaxRateBps = maxRateBps;
        HoldsNote = holdsNote;
        HasConfirmedReceivable = hasConfirmedReceivable;
        LeadBankInstitutionId = leadBankInstitutionId;
    }

    /// <summary>The chain the request is made in.</summary>
    public string ChainId { get; }

    /// <summary>The requesting enterprise's size.</summary>
    public EnterpriseSize EnterpriseSize { get; }

    /// <summary>The requesting enterprise's region.</summary>
    public RegionCode Region { get; }

    /// <summary>The amount asked for.</summary>
    public Money Amount { get; }

    /// <summary>The term asked for, in days.</summary>
    public int TermDays { get; }

    /// <summary>The product types the requester accepts; empty means any type.</summary>
    public IReadOnlySet<ProductType> AcceptableTypes { get; }

    /// <summary>
    /// The security the requester can give. A product that takes <see cref="Collateral.None"/> needs
    /// nothing from this set.
    /// </summary>
    public IReadOnlySet<Collateral> CollateralOffered { get; }

    /// <summary>The highest rate the requester will pay, in bps per year; <c>null</c> when not given.</summary>
    public int? MaxRateBps { get; }

    /// <summary>True when the request names a supply-chain note the requester holds (needed for note discount).</summary>
    public bool HoldsNote { get; }

    /// <summary>True when the request names a receivable its debtor has confirmed.</summary>
    public bool HasConfirmedReceivable { get; }

    /// <summary>The lead bank (一链一行) of the request's chain, if the chain has one.</summary>
    public string? LeadBankInstitutionId { get; }

    /// <summary>
    /// Builds a need. Empty or <c>null</c> acceptable types mean any type; duplicates are dropped.
    /// </summary>
    /// <exception cref="DomainValidationException">A field is out of range, keyed by its camelCase name.</exception>
    public static FinancingNeed Create(
        string chainId,
        EnterpriseSize enterpriseSize,
        RegionCode region,
        Money amount,
        int termDays,
        IEnumerable<ProductType>? acceptableTypes = null,
        IEnumerable<Collateral>? collateralOffered = null,
        int? maxRateBps = null,
        bool holdsNote = false,
        bool hasConfirmedReceivable = false,
        string? leadBankInstitutionId = null)
    {
        if (string.IsNullOrWhiteSpace(chainId))
        {
            throw new DomainValidationException("chainId", MatchingCodes.ValueRequired);
        }

        if (!Enum.IsDefined(enterpriseSize))
        {
            throw new DomainValidationException("enterpriseSize", MatchingCodes.ValueUnknown, (int)enterpriseSize);
        }

        if (region.Value is null)
        {
            throw new DomainValidationException("region", MatchingCodes.RegionInvalid);
        }

        if (amount <= Money.Zero)
        {
            throw new DomainValidationException("amount", MatchingCodes.AmountNotPositive);
        }

        if (termDays < 1)
        {
            throw new DomainValidationException("termDays", MatchingCodes.TermTooShort);
        }

        if (maxRateBps is < 0 or > ProductTerms.MaxRateBpsLimit)
        {
            throw new DomainValidationException("maxRateBps", maxRateBps < 0 ? MatchingCodes.RateNegative : MatchingCodes.RateAboveLimit, new RateArg(ProductTerms.MaxRateBpsLimit));
        }

        var types = new HashSet<ProductType>();
        foreach (var type in acceptableTypes ?? [])
        {
            if (!Enum.IsDefined(type))
            {
                throw new DomainValidationException("acceptableTypes", MatchingCodes.ValueUnknown, (int)type);
            }

            types.Add(type);
        }

        var offered = new HashSet<Collateral>();
        foreach (var collateral in collateralOffered ?? [])
        {
            if (!Enum.IsDefined(collateral))
            {
                throw new DomainValidationException("collateralOffered", MatchingCodes.ValueUnknown, (int)collateral);
            }

            offered.Add(collateral);
        }

        return new FinancingNeed(
            chainId,
            enterpriseSize,
            region,
            amount,
            termDays,
            new ReadOnlySet<ProductType>(types),
            new ReadOnlySet<Collateral>(offered),
            maxRateBps,
            holdsNote,
            hasConfirmedReceivable,
            string.IsNullOrWhiteSpace(leadBankInstitutionId) ? null : leadBankInstitutionId);
    }

    /// <summary>True when the requester accepts products of <paramref name="type"/>.</summary>
    public bool Accepts(ProductType type) => AcceptableTypes.Count == 0 || AcceptableTypes.Contains(type);

    /// <summary>True when <paramref name="institutionId"/> is the lead bank of the request's chain.</summary>
    public bool IsLeadBank(string institutionId) =>
        LeadBankInstitutionId is not null && string.Equals(LeadBankInstitutionId, institutionId, StringComparison.Ordinal);

    /// <summary>A short description for logs and test output.</summary>
    public override string ToString() =>
        $"{ChainId} {EnterpriseSize} {Region} {Amount} yuan {TermDays} d, types [{string.Join(',', AcceptableTypes)}], " +
        $"offers [{string.Join(',', CollateralOffered)}], max {MaxRateBps?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} bps" +
        $"{(HoldsNote ? ", note" : "")}{(HasConfirmedReceivable ? ", confirmed receivable" : "")}, lead {LeadBankInstitutionId ?? "-"}";
}
