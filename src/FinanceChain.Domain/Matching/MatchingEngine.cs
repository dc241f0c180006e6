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
    /// Checks every rule for one product against one request and says in words why each is met or
    /// not: the answer to a bank's "why (not) this request".
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
            outcomes[i] = new RuleOutcome(rule, met, Detail(rule, met, product, need));
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
            throw new DomainValidationException("limit", "The limit must be at least 1.");
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

    private static string[] Reasons(ProductTerms p, FinancingNeed n, bool isLead, int lowestRate)
    {
        var reasons = new List<string>(8)
        {
            p.MinRateBps == lowestRate
                ? $"Rate from {MatchingText.Rate(p.MinRateBps)}, the lowest among eligible products"
                : $"Rate from {MatchingText.Rate(p.MinRateBps)}, {MatchingText.Rate(p.MinRateBps - lowestRate)} above the lowest eligible rate",
        };

        if (isLead)
        {
            reasons.Add("Lead bank (一链一行) of this chain");
        }

        reasons.Add(p.Collateral == Collateral.None
            ? "No collateral required"
            : $"Accepts your collateral: {MatchingText.Name(p.Collateral)}");

        if (p.IsChainRestricted)
        {
            reasons.Add("Designed for this chain");
        }

        reasons.Add($"Covers your amount {n.Amount} yuan within {p.MinAmount}–{p.MaxAmount}");
        reasons.Add($"Term of {MatchingText.Days(n.TermDays)} days fits {MatchingText.Days(p.MinTermDays)}–{MatchingText.Days(p.MaxTermDays)} days");

        if (p.Regions.Count > 0)
        {
            reasons.Add($"Offered in your region {n.Region}");
        }

        if (n.MaxRateBps is { } ceiling)
        {
            reasons.Add($"Within your rate ceiling of {MatchingText.Rate(ceiling)}");
        }

        if (p.Type == ProductType.NoteDiscount)
        {
            reasons.Add("Discounts the supply-chain note you hold");
        }

        if (p.RequiresConfirmedReceivable)
        {
            reasons.Add("Finances your receivable confirmed by the debtor");
        }

        return [.. reasons];
    }

    private static bool Passes(EligibilityRule rule, ProductTerms p, FinancingNeed n) => rule switch
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

    private static string Detail(EligibilityRule rule, bool met, ProductTerms p, FinancingNeed n)
    {
        switch (rule)
        {
            case EligibilityRule.Active:
                return met ? "The product is open for new financing" : "The product has been withdrawn by its bank";

            case EligibilityRule.Amount:
                if (met)
                {
                    return $"Amount {n.Amount} yuan lies within {p.MinAmount}–{p.MaxAmount} yuan";
                }

                return n.Amount < p.MinAmount
                    ? $"Amount {n.Amount} yuan is below the product's minimum of {p.MinAmount} yuan"
                    : $"Amount {n.Amount} yuan is above the product's maximum of {p.MaxAmount} yuan";

            case EligibilityRule.Term:
                if (met)
                {
                    return $"Term of {MatchingText.Days(n.TermDays)} days lies within {MatchingText.Days(p.MinTermDays)}–{MatchingText.Days(p.MaxTermDays)} days";
                }

                return n.TermDays < p.MinTermDays
                    ? $"Term of {MatchingText.Days(n.TermDays)} days is shorter than the product's minimum of {MatchingText.Days(p.MinTermDays)} days"
                    : $"Term of {MatchingText.Days(n.TermDays)} days is longer than the product's maximum of {MatchingText.Days(p.MaxTermDays)} days";

            case EligibilityRule.Chain:
                if (!p.IsChainRestricted)
                {
                    return "Offered to every chain";
                }

                return met ? $"Offered to chain {n.ChainId}" : $"Not offered to chain {n.ChainId}";

            case EligibilityRule.EnterpriseSize:
                if (p.EnterpriseSizes.Count == 0)
                {
                    return "Offered to enterprises of every size";
                }

                return met
                    ? $"Offered to {MatchingText.Name(n.EnterpriseSize)} enterprises"
                    : $"Not offered to {MatchingText.Name(n.EnterpriseSize)} enterprises (only {string.Join(", ", p.EnterpriseSizes.Order().Select(MatchingText.Name))})";

            case EligibilityRule.Region:
                if (p.Regions.Count == 0)
                {
                    return "Offered in every region";
                }

                return met
                    ? $"Offered in region {n.Region} (within {CoveringRegion(p, n)})"
                    : $"Not offered in region {n.Region} (only {string.Join(", ", p.Regions)})";

            case EligibilityRule.ProductType:
                if (n.AcceptableTypes.Count == 0)
                {
                    return "You accept any type of product";
                }

                return met
                    ? $"{MatchingText.Capitalised(MatchingText.Name(p.Type))} is one of the types you accept"
                    : $"{MatchingText.Capitalised(MatchingText.Name(p.Type))} is not one of the types you accept";

            case EligibilityRule.Rate:
                if (n.MaxRateBps is not { } ceiling)
                {
                    return "You set no rate ceiling";
                }

                return met
                    ? $"Rate from {MatchingText.Rate(p.MinRateBps)} is within your ceiling of {MatchingText.Rate(ceiling)}"
                    : $"Rate from {MatchingText.Rate(p.MinRateBps)} is above your ceiling of {MatchingText.Rate(ceiling)}";

            case EligibilityRule.Collateral:
                if (p.Collateral == Collateral.None)
                {
                    return "No collateral required";
                }

                return met
                    ? $"Accepts your collateral: {MatchingText.Name(p.Collateral)}"
                    : $"Requires collateral you did not offer: {MatchingText.Name(p.Collateral)}";

            case EligibilityRule.NoteHeld:
                if (p.Type != ProductType.NoteDiscount)
                {
                    return "No supply-chain note needed";
                }

                return met ? "You hold a supply-chain note to discount" : "Note discount needs a supply-chain note you hold";

            case EligibilityRule.ConfirmedReceivable:
                if (!p.RequiresConfirmedReceivable)
                {
                    return "No confirmed receivable needed";
                }

                return met
                    ? "Your receivable is confirmed by its debtor"
                    : "Requires a receivable confirmed by its debtor (确权)";

            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule.");
        }
    }

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
