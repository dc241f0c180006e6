namespace FinanceChain.Domain;

/// <summary>
/// The codes of what matching says: why a product fits and ranks where it does, why a product fails a rule
/// (also what would have to change, for near misses), and what is wrong with a product's terms or a request.
/// The API's resource files give each a text in every language it speaks; a test checks that none is missing.
/// </summary>
public static class MatchingCodes
{
    // Reasons a product fits, in the order they are given.

    /// <summary>{0} the product's lowest rate: the lowest of all eligible products.</summary>
    public const string ReasonLowestRate = "reasonLowestRate";

    /// <summary>{0} the product's lowest rate, {1} how far above the lowest eligible rate.</summary>
    public const string ReasonRateAboveLowest = "reasonRateAboveLowest";

    /// <summary>The product's bank is the chain's lead bank (主办行, 一链一行).</summary>
    public const string ReasonLeadBank = "reasonLeadBank";

    /// <summary>The product takes no collateral.</summary>
    public const string ReasonNoCollateral = "reasonNoCollateral";

    /// <summary>{0} the collateral (a term) the product takes, which the requester offers.</summary>
    public const string ReasonAcceptsCollateral = "reasonAcceptsCollateral";

    /// <summary>The product is designed for the request's chain.</summary>
    public const string ReasonDesignedForChain = "reasonDesignedForChain";

    /// <summary>{0} the amount asked, {1} and {2} the product's amount range.</summary>
    public const string ReasonCoversAmount = "reasonCoversAmount";

    /// <summary>{0} the term asked in days, {1} and {2} the product's term range.</summary>
    public const string ReasonTermFits = "reasonTermFits";

    /// <summary>{0} the requester's region, {1} the product's region that covers it.</summary>
    public const string ReasonOfferedInRegion = "reasonOfferedInRegion";

    /// <summary>{0} the requester's rate ceiling.</summary>
    public const string ReasonWithinCeiling = "reasonWithinCeiling";

    /// <summary>A note discount of the supply-chain note the requester holds.</summary>
    public const string ReasonDiscountsNote = "reasonDiscountsNote";

    /// <summary>The product finances the requester's confirmed receivable.</summary>
    public const string ReasonConfirmedReceivable = "reasonConfirmedReceivable";

    // A rule not met; said as what is wrong, which is what would have to change.

    /// <summary>The bank has withdrawn the product.</summary>
    public const string RuleWithdrawn = "ruleWithdrawn";

    /// <summary>{0} the amount asked, {1} the product's minimum.</summary>
    public const string RuleAmountBelowMinimum = "ruleAmountBelowMinimum";

    /// <summary>{0} the amount asked, {1} the product's maximum.</summary>
    public const string RuleAmountAboveMaximum = "ruleAmountAboveMaximum";

    /// <summary>{0} the term asked in days, {1} the product's shortest term.</summary>
    public const string RuleTermTooShort = "ruleTermTooShort";

    /// <summary>{0} the term asked in days, {1} the product's longest term.</summary>
    public const string RuleTermTooLong = "ruleTermTooLong";

    /// <summary>The product is offered to other chains only.</summary>
    public const string RuleOtherChains = "ruleOtherChains";

    /// <summary>{0} the requester's size, {1} the sizes the product is offered to.</summary>
    public const string RuleSizeNotOffered = "ruleSizeNotOffered";

    /// <summary>{0} the requester's region, {1} the regions the product is offered in.</summary>
    public const string RuleRegionNotOffered = "ruleRegionNotOffered";

    /// <summary>{0} the product's type, which the requester does not accept.</summary>
    public const string RuleTypeNotAccepted = "ruleTypeNotAccepted";

    /// <summary>{0} the product's lowest rate, {1} the requester's ceiling.</summary>
    public const string RuleRateAboveCeiling = "ruleRateAboveCeiling";

    /// <summary>{0} the collateral the product takes, which the requester did not offer.</summary>
    public const string RuleCollateralNotOffered = "ruleCollateralNotOffered";

    /// <summary>A note discount needs a supply-chain note the requester holds.</summary>
    public const string RuleNoteNeeded = "ruleNoteNeeded";

    /// <summary>The product needs a receivable its debtor has confirmed (确权).</summary>
    public const string RuleConfirmedReceivableNeeded = "ruleConfirmedReceivableNeeded";

    // Terms of a product, or a request, that break a rule (400 on the field).

    /// <summary>A value is required here.</summary>
    public const string ValueRequired = "valueRequired";

    /// <summary>{0} the number given: not one of the enum's values.</summary>
    public const string ValueUnknown = "valueUnknown";

    /// <summary>An amount must be above zero.</summary>
    public const string AmountNotPositive = "amountNotPositive";

    /// <summary>{0} the minimum amount: the maximum is below it.</summary>
    public const string MaxAmountBelowMin = "maxAmountBelowMin";

    /// <summary>A term must be at least one day.</summary>
    public const string TermTooShort = "termTooShort";

    /// <summary>{0} the minimum term in days: the maximum is below it.</summary>
    public const string MaxTermBelowMin = "maxTermBelowMin";

    /// <summary>{0} the longest term allowed, in days.</summary>
    public const string TermAboveLimit = "termAboveLimit";

    /// <summary>A rate must not be negative.</summary>
    public const string RateNegative = "rateNegative";

    /// <summary>{0} the minimum rate: the maximum is below it.</summary>
    public const string MaxRateBelowMin = "maxRateBelowMin";

    /// <summary>{0} the highest rate allowed.</summary>
    public const string RateAboveLimit = "rateAboveLimit";

    /// <summary>A region must be a six-digit division code.</summary>
    public const string RegionInvalid = "regionInvalid";

    /// <summary>A limit must be at least 1.</summary>
    public const string LimitTooSmall = "limitTooSmall";
}
