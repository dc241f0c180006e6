using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>Ranking through both the engine and the index; they must give the same list.</summary>
public class RankingTests
{
    [Fact]
    public void Rank_LowerRate_RanksFirstEvenAboveLeadBank()
    {
        var matches = Top(
            Need(leadBank: LeadBank),
            Product("prd_lead", LeadBank, minRateBps: 390),
            Product("prd_other", OtherBank, minRateBps: 385));

        Assert.Equal(["prd_other", "prd_lead"], matches.Select(m => m.ProductId));
        Assert.False(matches[0].IsLeadBank);
        Assert.True(matches[1].IsLeadBank);
    }

    [Fact]
    public void Rank_EqualRate_LeadBankFirst()
    {
        var matches = Top(
            Need(leadBank: LeadBank, collateralOffered: [Collateral.Receivable]),
            Product("prd_a", OtherBank, minRateBps: 385, chainIds: [Chain]),
            Product("prd_z", LeadBank, minRateBps: 385, collateral: Collateral.Receivable));

        Assert.Equal(["prd_z", "prd_a"], matches.Select(m => m.ProductId));
    }

    [Fact]
    public void Rank_EqualRateAndLeadership_NoCollateralFirst()
    {
        var matches = Top(
            Need(collateralOffered: [Collateral.Guarantee]),
            Product("prd_a", OtherBank, minRateBps: 385, chainIds: [Chain], collateral: Collateral.Guarantee),
            Product("prd_b", OtherBank, minRateBps: 385, collateral: Collateral.None));

        Assert.Equal(["prd_b", "prd_a"], matches.Select(m => m.ProductId));
    }

    [Fact]
    public void Rank_EqualRateLeadershipAndCollateral_ChainRestrictedFirst()
    {
        var matches = Top(
            Need(),
            Product("prd_a", OtherBank, minRateBps: 385),
            Product("prd_b", OtherBank, minRateBps: 385, chainIds: [Chain, OtherChain]));

        Assert.Equal(["prd_b", "prd_a"], matches.Select(m => m.ProductId));
    }

    [Fact]
    public void Rank_AllElseEqual_OrdinalProductIdDecides()
    {
        var matches = Top(
            Need(),
            Product("prd_b", OtherBank, minRateBps: 385),
            Product("prd_a", OtherBank, minRateBps: 385),
            Product("prd_B", OtherBank, minRateBps: 385));

        Assert.Equal(["prd_B", "prd_a", "prd_b"], matches.Select(m => m.ProductId));
    }

    [Fact]
    public void Rank_ChainWithoutLeadBank_NoMatchIsLeadBank()
    {
        var matches = Top(Need(leadBank: null), Product("prd_a", LeadBank), Product("prd_b", OtherBank));

        Assert.All(matches, m => Assert.False(m.IsLeadBank));
        Assert.DoesNotContain(matches.SelectMany(m => m.Reasons), r => r.Code == MatchingCodes.ReasonLeadBank);
    }

    [Fact]
    public void Score_LeadBankWithCollateralForThisChain_IsDocumentedValue()
    {
        var product = Product(institutionId: LeadBank, minRateBps: 385, chainIds: [Chain], collateral: Collateral.Receivable);

        Assert.Equal(96.148m, MatchingEngine.Score(product, Need(leadBank: LeadBank)));
        Assert.Equal(96.144m, MatchingEngine.Score(product, Need(leadBank: OtherBank)));
    }

    [Fact]
    public void Score_NeverRisesDownTheRanking()
    {
        var products = new[]
        {
            Product("prd_1", LeadBank, minRateBps: 300, collateral: Collateral.Receivable),
            Product("prd_2", OtherBank, minRateBps: 300, chainIds: [Chain]),
            Product("prd_3", OtherBank, minRateBps: 300),
            Product("prd_4", OtherBank, minRateBps: 300, collateral: Collateral.Receivable),
            Product("prd_5", OtherBank, minRateBps: 301, chainIds: [Chain]),
            Product("prd_6", LeadBank, minRateBps: 302, chainIds: [Chain]),
            Product("prd_7", LeadBank, minRateBps: 302),
        };

        var matches = Top(Need(collateralOffered: [Collateral.Receivable]), products);

        Assert.Equal(products.Select(p => p.Id), matches.Select(m => m.ProductId));
        for (var i = 1; i < matches.Count; i++)
        {
            Assert.True(matches[i].Score < matches[i - 1].Score, $"{matches[i].ProductId} scores {matches[i].Score} after {matches[i - 1].Score}");
        }

        Assert.All(matches, m => Assert.InRange(m.Score, 0m, 100m));
    }

    [Fact]
    public void Reasons_ExplainRateLeadBankAmountAndCollateral()
    {
        var matches = Top(
            Need(amount: 500_000m, termDays: 90, collateralOffered: [Collateral.Receivable], hasConfirmedReceivable: true, maxRateBps: 500),
            Product("prd_a", LeadBank, minRateBps: 385, chainIds: [Chain], regions: ["420000"], collateral: Collateral.Receivable, requiresConfirmedReceivable: true),
            Product("prd_b", OtherBank, minRateBps: 410));

        Assert.Equal(
            [
                "reasonLowestRate (3.85 %)",
                "reasonLeadBank",
                "reasonAcceptsCollateral (collateralReceivable)",
                "reasonDesignedForChain",
                "reasonCoversAmount (500000.00, 100000.00, 5000000.00)",
                "reasonTermFits (90, 30, 180)",
                "reasonOfferedInRegion (420111, 420000)",
                "reasonWithinCeiling (5.00 %)",
                "reasonConfirmedReceivable",
            ],
            matches[0].Reasons.Select(r => r.ToString()));
        Assert.Equal("reasonRateAboveLowest (4.10 %, 0.25 %)", matches[1].Reasons[0].ToString());
        Assert.Contains(matches[1].Reasons, r => r.Code == MatchingCodes.ReasonNoCollateral);
        Assert.DoesNotContain(matches[1].Reasons, r => r.Code == MatchingCodes.ReasonLeadBank);
    }

    [Fact]
    public void Reasons_NoteDiscount_SaysTheNoteIsDiscounted()
    {
        var match = Assert.Single(Top(
            Need(holdsNote: true, collateralOffered: [Collateral.Note]),
            Product(type: ProductType.NoteDiscount, collateral: Collateral.Note)));

        Assert.Contains(match.Reasons, r => r.Code == MatchingCodes.ReasonDiscountsNote);
        Assert.Contains(match.Reasons, r => r.ToString() == "reasonAcceptsCollateral (collateralNote)");
    }

    [Fact]
    public void TopMatches_MoreEligibleThanLimit_ReturnsTheBestLimit()
    {
        var products = Enumerable.Range(0, 30).Select(i => Product($"prd_{i:D2}", OtherBank, minRateBps: 400 - i)).ToArray();

        var matches = Top(Need(), limit: 5, products);

        Assert.Equal(["prd_29", "prd_28", "prd_27", "prd_26", "prd_25"], matches.Select(m => m.ProductId));
    }

    [Fact]
    public void TopMatches_LimitBelowOne_Throws()
    {
        Assert.Equal("limit", Assert.Throws<DomainValidationException>(() => MatchingEngine.TopMatches([Product()], Need(), 0)).Field);
        Assert.Equal("limit", Assert.Throws<DomainValidationException>(() => MatchingIndex.Build([Product()]).TopMatches(Need(), 0)).Field);
    }

    [Fact]
    public void TopMatches_IneligibleProducts_AreLeftOut()
    {
        var matches = Top(
            Need(amount: 500_000m),
            Product("prd_small", minRateBps: 250, maxAmount: 400_000m),
            Product("prd_ok", minRateBps: 500));

        Assert.Equal(["prd_ok"], matches.Select(m => m.ProductId));
    }

    private static IReadOnlyList<ProductMatch> Top(FinancingNeed need, params ProductTerms[] products) =>
        Top(need, 10, products);

    private static IReadOnlyList<ProductMatch> Top(FinancingNeed need, int limit, params ProductTerms[] products)
    {
        var fromEngine = MatchingEngine.TopMatches(products, need, limit);
        var fromIndex = MatchingIndex.Build(products.Reverse()).TopMatches(need, limit);

        Assert.Equal(fromEngine.Select(m => m.ProductId), fromIndex.Select(m => m.ProductId));
        Assert.Equal(fromEngine.Select(m => m.Score), fromIndex.Select(m => m.Score));
        Assert.Equal(fromEngine.Select(m => string.Join('|', m.Reasons)), fromIndex.Select(m => string.Join('|', m.Reasons)));
        return fromIndex;
    }
}
