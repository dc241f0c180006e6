using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>Near misses: one rule at a time, what the index gives and what it says would have to change.</summary>
public class NearMissTests
{
    public static TheoryData<string, ProductTerms, FinancingNeed, string> OneRuleEach => new()
    {
        { "amount above", Product(maxAmount: 5_000_000m), Need(amount: 6_000_000m), "ruleAmountAboveMaximum (6000000.00, 5000000.00)" },
        { "amount below", Product(minAmount: 100_000m), Need(amount: 50_000m), "ruleAmountBelowMinimum (50000.00, 100000.00)" },
        { "term too long", Product(maxTermDays: 180), Need(termDays: 200), "ruleTermTooLong (200, 180)" },
        { "term too short", Product(minTermDays: 30), Need(termDays: 10), "ruleTermTooShort (10, 30)" },
        { "size", Product(sizes: [EnterpriseSize.Micro]), Need(size: EnterpriseSize.Small), "ruleSizeNotOffered (enterpriseSizeSmall, enterpriseSizeMicro)" },
        { "region", Product(regions: ["430000"]), Need(region: "420111"), "ruleRegionNotOffered (420111, 430000)" },
        { "type", Product(type: ProductType.Factoring), Need(acceptableTypes: [ProductType.CreditLoan]), "ruleTypeNotAccepted (productTypeFactoring)" },
        { "rate", Product(minRateBps: 420), Need(maxRateBps: 400), "ruleRateAboveCeiling (4.20 %, 4.00 %)" },
        { "collateral", Product(collateral: Collateral.Inventory), Need(), "ruleCollateralNotOffered (collateralInventory)" },
        { "note", Product(type: ProductType.NoteDiscount), Need(holdsNote: false), "ruleNoteNeeded" },
        { "receivable", Product(requiresConfirmedReceivable: true), Need(hasConfirmedReceivable: false), "ruleConfirmedReceivableNeeded" },
    };

    [Theory]
    [MemberData(nameof(OneRuleEach))]
    public void NearMisses_OneRuleFailed_SaysWhatWouldHaveToChange(string rule, ProductTerms product, FinancingNeed need, string failure)
    {
        var index = MatchingIndex.Build([product]);

        Assert.Empty(index.TopMatches(need, 10));
        var miss = Assert.Single(index.NearMisses(need));
        Assert.Equal(product.Id, miss.ProductId);
        Assert.Equal([failure], miss.Failed.Select(f => f.Failure!.ToString()));
        Assert.True(rule.Length > 0);
    }

    [Fact]
    public void NearMisses_ProductOfAnotherChain_IsNoNearMiss()
    {
        // The request's chain is not something to change in the request; those products are for other chains' members.
        var index = MatchingIndex.Build([Product(chainIds: [OtherChain])]);

        Assert.Empty(index.NearMisses(Need(chainId: Chain)));
        Assert.Equal(EligibilityRule.Chain, Assert.Single(MatchingEngine.Explain(Product(chainIds: [OtherChain]), Need()).Failed).Rule);
    }

    [Fact]
    public void NearMisses_WithdrawnProduct_IsNoNearMiss()
    {
        var withdrawn = Product(active: false);

        Assert.Empty(MatchingIndex.Build([withdrawn]).NearMisses(Need()));
        Assert.Equal("ruleWithdrawn", Assert.Single(MatchingEngine.Explain(withdrawn, Need()).Failed).Failure!.ToString());
    }

    [Fact]
    public void NearMisses_ThreeRulesFailed_IsNoNearMiss()
    {
        var far = Product(maxAmount: 1_000_000m, maxTermDays: 60, collateral: Collateral.Inventory);

        Assert.Empty(MatchingIndex.Build([far]).NearMisses(Need(amount: 2_000_000m, termDays: 90)));
    }

    [Fact]
    public void NearMisses_EligibleProduct_IsNoNearMiss() =>
        Assert.Empty(MatchingIndex.Build([Product()]).NearMisses(Need()));

    [Fact]
    public void NearMisses_ClosestFirst_FewerRulesThenLowerRate()
    {
        var index = MatchingIndex.Build(
        [
            Product("prd_two_cheap", minRateBps: 300, maxAmount: 1_000_000m, collateral: Collateral.Inventory),
            Product("prd_one_dear", minRateBps: 500, maxAmount: 1_000_000m),
            Product("prd_one_cheap", minRateBps: 400, maxAmount: 1_000_000m),
            Product("prd_one_cheap_lead", LeadBank, minRateBps: 400, maxAmount: 1_000_000m),
        ]);

        var misses = index.NearMisses(Need(amount: 2_000_000m));

        Assert.Equal(["prd_one_cheap_lead", "prd_one_cheap", "prd_one_dear", "prd_two_cheap"], misses.Select(m => m.ProductId));
        Assert.Equal(2, misses[^1].Failed.Count);
    }

    [Fact]
    public void NearMisses_AtMostTheLimit_TheBestOnes()
    {
        var products = Enumerable.Range(0, 40).Select(i => Product($"prd_{i:D2}", minRateBps: 300 + i, maxAmount: 1_000_000m)).ToList();

        var misses = MatchingIndex.Build(products).NearMisses(Need(amount: 2_000_000m));

        Assert.Equal(NearMiss.MaxCount, misses.Count);
        Assert.Equal(["prd_00", "prd_01", "prd_02", "prd_03", "prd_04"], misses.Select(m => m.ProductId));
    }

    [Fact]
    public void NearMisses_SameAsCheckingEveryCandidate()
    {
        // Against the rules applied one product at a time: the index returns the closest products of the request's
        // chain and of every chain, and none other.
        var random = new Random(11);
        var products = Enumerable.Range(0, 400).Select(i => Product(
            $"prd_{i:D3}",
            i % 7 == 0 ? LeadBank : OtherBank,
            type: (ProductType)random.Next(0, 8),
            maxAmount: random.Next(1, 20) * 500_000m,
            maxTermDays: random.Next(2, 12) * 30,
            minRateBps: random.Next(250, 600),
            chainIds: random.Next(4) switch { 0 => null, 1 => [Chain], 2 => [OtherChain], _ => [Chain, OtherChain] },
            sizes: random.Next(3) == 0 ? [EnterpriseSize.Micro] : null,
            regions: random.Next(3) == 0 ? ["430000"] : null,
            collateral: random.Next(4) == 0 ? Collateral.Inventory : Collateral.None)).ToList();
        var index = MatchingIndex.Build(products);

        foreach (var need in new[] { Need(amount: 4_000_000m, termDays: 200, maxRateBps: 400), Need(acceptableTypes: [ProductType.Factoring]), Need(amount: 50_000_000m) })
        {
            var expected = products
                .Where(p => !p.IsChainRestricted || p.ChainIds.Contains(need.ChainId))
                .Select(p => (Product: p, Failed: MatchingEngine.Explain(p, need).Failed.Count))
                .Where(x => x.Failed is 1 or 2)
                .OrderBy(x => x.Failed)
                .ThenBy(x => x.Product, MatchingEngine.RankingFor(need))
                .Take(NearMiss.MaxCount)
                .Select(x => x.Product.Id);
            Assert.Equal(expected, index.NearMisses(need).Select(m => m.ProductId));
        }
    }
}
