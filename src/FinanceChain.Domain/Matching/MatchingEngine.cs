namespace FinanceChain.Domain;

/// <summary>
/// The matching rules: which products are eligible for a financing request, how eligible products
/// rank, and the words that explain both. <see cref="MatchingIndex"/> applies the same rules to many
/// products without scanning them all; the methods here work on one product or a plain list.
/// </summary>
/// <remarks>
/// <para>Ranking, best first, with each step breaking the ties of the one before:</para>
/// <list type="number">
/// <item>lower <see cref="ProductTerms.MinRateBps"/> (the borrower's cost always comes first);</item>
/// <item>the lead bank (一链一行) of the request's chain;</item>
/// <item>less collateral demanded: a product that takes <see cref="Collateral.None"/> before one that takes security;</item>
/// <item>a product designed for particular chains (so offered to this one by name) before one open to every chain;</item>
/// <item>the product id, compared ordinally, so that the order is always the same.</item>
/// </list>
/// </remarks>
public static class MatchingEngine
{
    private static readonly EligibilityRule[] Rules = Enum.GetValues<EligibilityRule>();

    /// <summary>
    /// Checks every rule for one product against one request and says, for each rule not met, why (a code
    /// and its values): the answer to a bank's "why not this request".
    /// </summary>
    public static Eligibility Explain(ProductTerms product, FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(need);

        var outcomes = new RuleOutcome[Rules.Length];
        for (var i = 0; i < Rules.Length; i++)
        {
            var rule = Rules[i];
            var met = Passes(rule, product, need);
            outcomes[i] = new RuleOutcome(rule, met, met ? null : Failure(rule, product, need));
        }

        return new Eligibility(product, outcomes);
    }

    /// <summary>True when <paramref name="product"/> meets every rule for <paramref name="need"/>.</summary>
    public static bool IsEligible(ProductTerms product, FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(need);

        foreach (var rule in Rules)
        {
            if (!Passes(rule, product, need))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The ranking order for <paramref name="need"/> (best first), as described on <see cref="MatchingEngine"/>.
    /// It depends on the request only through its chain's lead bank.
    /// </summary>
    public static IComparer<ProductTerms> RankingFor(FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(need);
        return new RankComparer(need);
    }

    /// <summary>
    /// The score shown with a match: 100 minus the product's lowest rate in percent per year, minus
    /// 0.004 when the bank is not the chain's lead bank, 0.002 when the product takes collateral and
    /// 0.001 when it is open to every chain; never below 0. Rates are whole basis points (0.01 each), so
    /// the small deductions only separate products of equal rate, in ranking order: the score never
    /// rises down the ranking, and equal scores differ only by product id.
    /// </summary>
    /// <example>A lead bank's product at 3.85 %/yr taking a receivable, offered to this chain: 100 − 3.85 − 0.002 = 96.148.</example>
    public static decimal Score(ProductTerms product, FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(need);

        var score = 100m - (product.MinRateBps / 100m);
        if (!need.IsLeadBank(product.InstitutionId))
        {
            score -= 0.004m;
        }

        if (product.Collateral != Collateral.None)
        {
            score -= 0.002m;
        }

        if (!product.IsChainRestricted)
        {
            score -= 0.001m;
        }

        return Math.Max(0m, score);
    }

    /// <summary>
    /// The best <paramref name="limit"/> eligible products among <paramref name="products"/>, by checking
    /// each one. Right for a handful of products; for the whole market use <see cref="MatchingIndex"/>,
    /// which gives the same answer without looking at every product.
    /// </summary>
    /// <exception cref="DomainValidationException"><paramref name="limit"/> is below 1.</exception>
    public static IReadOnlyList<ProductMatch> TopMatches(IEnumerable<ProductTerms> products, FinancingNeed need, int limit)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(need);
        CheckLimit(limit);

        var ranked = products
            .Where(p => IsEligible(p, need))
            .Order(RankingFor(need))
            .Take(limit)
            .ToList();
        return ToMatches(ranked, need);
    }

    internal static void CheckLimit(int limit)
    {
        if (limit < 1)
        {
            throw new DomainValidationException("limit", MatchingCodes.LimitTooSmall);
        }
    }

    /// <summary>Turns ranked eligible products (best first, the first holding the lowest rate) into matches.</summary>
    internal static IReadOnlyList<ProductMatch> ToMatches(IReadOnlyList<ProductTerms> ranked, FinancingNeed need)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        var lowestRate = ranked[0].MinRateBps;
        var matches = new ProductMatch[ranked.Count];
        for (var i = 0; i < ranked.Count; i++)
        {
            var product = ranked[i];
            var isLead = need.IsLeadBank(product.InstitutionId);
            matches[i] = new ProductMatch(product, isLead, Score(product, need), Reasons(product, need, isLead, lowestRate));
        }

        return matches;
    }

    private static Reason[] Reasons(ProductTerms p, FinancingNeed n, bool isLead, int lowestRate)
    {
        var reasons = new List<Reason>(8)
        {
            p.MinRateBps == lowestRate
                ? new Reason(MatchingCodes.ReasonLowestRate, [new RateArg(p.MinRateBps)])
                : new Reason(MatchingCodes.ReasonRateAboveLowest, [new RateArg(p.MinRateBps), new RateArg(p.MinRateBps - lowestRate)]),
        };

        if (isLead)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonLeadBank));
        }

        reasons.Add(p.Collateral == Collateral.None
            ? new Reason(MatchingCodes.ReasonNoCollateral)
            : new Reason(MatchingCodes.ReasonAcceptsCollateral, [TermCodes.Of(p.Collateral)]));

        if (p.IsChainRestricted)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonDesignedForChain));
        }

        reasons.Add(new Reason(MatchingCodes.ReasonCoversAmount, [new MoneyInWan(n.Amount), new MoneyInWan(p.MinAmount), new MoneyInWan(p.MaxAmount)]));
        reasons.Add(new Reason(MatchingCodes.ReasonTermFits, [n.TermDays, p.MinTermDays, p.MaxTermDays]));

        if (CoveringRegion(p, n) is { } region)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonOfferedInRegion, [n.Region, region]));
        }

        if (n.MaxRateBps is { } ceiling)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonWithinCeiling, [new RateArg(ceiling)]));
        }

        if (p.Type == ProductType.NoteDiscount)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonDiscountsNote));
        }

        if (p.RequiresConfirmedReceivable)
        {
            reasons.Add(new Reason(MatchingCodes.ReasonConfirmedReceivable));
        }

        return [.. reasons];
    }

    internal static bool Passes(EligibilityRule rule, ProductTerms p, FinancingNeed n) => rule switch
    {
        EligibilityRule.Active => p.Active,
        EligibilityRule.Amount => p.MinAmount <= n.Amount && n.Amount <= p.MaxAmount,
        EligibilityRule.Term => p.MinTermDays <= n.TermDays && n.TermDays <= p.MaxTermDays,
        EligibilityRule.Chain => !p.IsChainRestricted || p.ChainIds.Contains(n.ChainId),
        EligibilityRule.EnterpriseSize => p.EnterpriseSizes.Count == 0 || p.EnterpriseSizes.Contains(n.EnterpriseSize),
        EligibilityRule.Region => p.Regions.Count == 0 || CoveringRegion(p, n) is not null,
        EligibilityRule.ProductType => n.Accepts(p.Type),
        EligibilityRule.Rate => n.MaxRateBps is not { } ceiling || p.MinRateBps <= ceiling,
        EligibilityRule.Collateral => p.Collateral == Collateral.None || n.CollateralOffered.Contains(p.Collateral),
        EligibilityRule.NoteHeld => p.Type != ProductType.NoteDiscount || n.HoldsNote,
        EligibilityRule.ConfirmedReceivable => !p.RequiresConfirmedReceivable || n.HasConfirmedReceivable,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule."),
    };

    private static RegionCode? CoveringRegion(ProductTerms p, FinancingNeed n)
    {
        foreach (var region in p.Regions)
        {
            if (region.Covers(n.Region))
            {
                return region;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="p"/> fails <paramref name="rule"/> for <paramref name="n"/>: what would have to change.</summary>
    internal static Reason Failure(EligibilityRule rule, ProductTerms p, FinancingNeed n) => rule switch
    {
        EligibilityRule.Active => new Reason(MatchingCodes.RuleWithdrawn),
        EligibilityRule.Amount => n.Amount < p.MinAmount
            ? new Reason(MatchingCodes.RuleAmountBelowMinimum, [new MoneyInWan(n.Amount), new MoneyInWan(p.MinAmount)])
            : new Reason(MatchingCodes.RuleAmountAboveMaximum, [new MoneyInWan(n.Amount), new MoneyInWan(p.MaxAmount)]),
        EligibilityRule.Term => n.TermDays < p.MinTermDays
            ? new Reason(MatchingCodes.RuleTermTooShort, [n.TermDays, p.MinTermDays])
            : new Reason(MatchingCodes.RuleTermTooLong, [n.TermDays, p.MaxTermDays]),
        EligibilityRule.Chain => new Reason(MatchingCodes.RuleOtherChains),
        EligibilityRule.EnterpriseSize => new Reason(
            MatchingCodes.RuleSizeNotOffered,
            [TermCodes.Of(n.EnterpriseSize), new ListArg([.. p.EnterpriseSizes.Order().Select(s => (object)TermCodes.Of(s))])]),
        EligibilityRule.Region => new Reason(MatchingCodes.RuleRegionNotOffered, [n.Region, new ListArg([.. p.Regions.Select(r => (object)r)])]),
        EligibilityRule.ProductType => new Reason(MatchingCodes.RuleTypeNotAccepted, [TermCodes.Of(p.Type)]),
        EligibilityRule.Rate => new Reason(MatchingCodes.RuleRateAboveCeiling, [new RateArg(p.MinRateBps), new RateArg(n.MaxRateBps ?? 0)]),
        EligibilityRule.Collateral => new Reason(MatchingCodes.RuleCollateralNotOffered, [TermCodes.Of(p.Collateral)]),
        EligibilityRule.NoteHeld => new Reason(MatchingCodes.RuleNoteNeeded),
        EligibilityRule.ConfirmedReceivable => new Reason(MatchingCodes.RuleConfirmedReceivableNeeded),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule."),
    };

    private sealed class RankComparer(FinancingNeed need) : IComparer<ProductTerms>
    {
        public int Compare(ProductTerms? x, ProductTerms? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null)
            {
                return 1;
            }

            if (y is null)
            {
                return -1;
            }

            return Ranking.Compare(
                x.MinRateBps, need.IsLeadBank(x.InstitutionId), x.Collateral, x.IsChainRestricted, x.Id,
                y.MinRateBps, need.IsLeadBank(y.InstitutionId), y.Collateral, y.IsChainRestricted, y.Id);
        }
    }
}

/// <summary>The ranking order in one place, shared by <see cref="MatchingEngine"/> and <see cref="MatchingIndex"/>.</summary>
internal static class Ranking
{
    public static int Compare(
        int rateX, bool leadX, Collateral collateralX, bool restrictedX, string idX,
        int rateY, bool leadY, Collateral collateralY, bool restrictedY, string idY)
    {
        var c = rateX.CompareTo(rateY);
        if (c != 0)
        {
            return c;
        }

        if (leadX != leadY)
        {
            return leadX ? -1 : 1;
        }

        var noneX = collateralX == Collateral.None;
        var noneY = collateralY == Collateral.None;
        if (noneX != noneY)
        {
            return noneX ? -1 : 1;
        }

        if (restrictedX != restrictedY)
        {
            return restrictedX ? -1 : 1;
        }

        return string.CompareOrdinal(idX, idY);
    }
}
