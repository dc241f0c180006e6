using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

public class MatchingIndexTests
{
    [Fact]
    public void TopMatches_LimitReachedInsideEqualRateGroup_StillPutsLeadBankFirst()
    {
        // The lead bank's product comes last in both buckets' scan order; the index must finish the
        // whole 3.85 % group before it stops.
        var products = Enumerable.Range(0, 20)
            .Select(i => Product($"prd_{i:D2}", OtherBank, minRateBps: 385, chainIds: i % 2 == 0 ? [Chain] : null))
            .Append(Product("prd_zz", LeadBank, minRateBps: 385))
            .Append(Product("prd_cheaper_elsewhere", LeadBank, minRateBps: 380, chainIds: [OtherChain]))
            .ToList();

        var matches = MatchingIndex.Build(products).TopMatches(Need(leadBank: LeadBank), 1);

        var best = Assert.Single(matches);
        Assert.Equal("prd_zz", best.ProductId);
        Assert.True(best.IsLeadBank);
    }

    [Fact]
    public void TopMatches_RateCeiling_StopsBeforeDearerProducts()
    {
        var index = MatchingIndex.Build([Product("prd_a", minRateBps: 300), Product("prd_b", minRateBps: 301)]);

        Assert.Equal(["prd_a"], index.TopMatches(Need(maxRateBps: 300), 10).Select(m => m.ProductId));
    }

    [Fact]
    public void TopMatches_ProductForSeveralChains_FoundFromEachChainOnce()
    {
        var index = MatchingIndex.Build([Product("prd_a", chainIds: [Chain, OtherChain]), Product("prd_b", chainIds: ["chn_other"])]);

        Assert.Equal(["prd_a"], index.TopMatches(Need(chainId: Chain), 10).Select(m => m.ProductId));
        Assert.Equal(["prd_a"], index.TopMatches(Need(chainId: OtherChain), 10).Select(m => m.ProductId));
        Assert.Empty(index.TopMatches(Need(chainId: "chn_unknown"), 10));
    }

    [Fact]
    public void TopMatches_OnlyAcceptableTypesAreRead()
    {
        var index = MatchingIndex.Build(
        [
            Product("prd_loan", type: ProductType.CreditLoan, minRateBps: 300),
            Product("prd_factoring", type: ProductType.Factoring, minRateBps: 400),
        ]);

        Assert.Equal(["prd_factoring"], index.TopMatches(Need(acceptableTypes: [ProductType.Factoring]), 10).Select(m => m.ProductId));
    }

    [Fact]
    public void Build_WithdrawnProducts_AreLeftOut()
    {
        var index = MatchingIndex.Build([Product("prd_a"), Product("prd_b", active: false)]);

        Assert.Equal(1, index.Count);
        Assert.True(index.TryGetProduct("prd_a", out var product));
        Assert.Equal("prd_a", product.Id);
        Assert.False(index.TryGetProduct("prd_b", out _));
        Assert.Equal(["prd_a"], index.TopMatches(Need(), 10).Select(m => m.ProductId));
    }

    [Fact]
    public void Build_DuplicateProductId_Throws() =>
        Assert.Throws<ArgumentException>(() => MatchingIndex.Build([Product("prd_a"), Product("prd_a")]));

    [Fact]
    public void Empty_MatchesNothing()
    {
        Assert.Equal(0, MatchingIndex.Empty.Count);
        Assert.Empty(MatchingIndex.Empty.TopMatches(Need(), 10));
        Assert.False(MatchingIndex.Empty.AnyMatch(OtherBank, Need()));
    }

    [Fact]
    public void AnyMatch_InstitutionWithAnEligibleProduct_IsTrue()
    {
        var index = MatchingIndex.Build(
        [
            Product("prd_big", OtherBank, minAmount: 10_000_000m, maxAmount: 50_000_000m),
            Product("prd_fits", OtherBank),
            Product("prd_lead", LeadBank, chainIds: [OtherChain]),
        ]);

        Assert.True(index.AnyMatch(OtherBank, Need()));
        Assert.False(index.AnyMatch(LeadBank, Need()));
        Assert.False(index.AnyMatch("ins_unknown", Need()));
        Assert.Equal(["prd_fits"], index.MatchingProducts(OtherBank, Need()).Select(p => p.Id));
    }

    [Fact]
    public void MatchingProducts_ComeInRankingOrder()
    {
        var index = MatchingIndex.Build(
        [
            Product("prd_c", OtherBank, minRateBps: 420),
            Product("prd_a", OtherBank, minRateBps: 390),
            Product("prd_b", OtherBank, minRateBps: 390, chainIds: [Chain]),
        ]);

        Assert.Equal(["prd_b", "prd_a", "prd_c"], index.MatchingProducts(OtherBank, Need()).Select(p => p.Id));
    }

    [Fact]
    public void MatchingNeeds_ReturnsKeysOfNeedsAnyProductOfTheBankMatches()
    {
        var index = MatchingIndex.Build(
        [
            Product("prd_small", OtherBank, maxAmount: 1_000_000m),
            Product("prd_note", OtherBank, type: ProductType.NoteDiscount, collateral: Collateral.Note),
            Product("prd_lead", LeadBank, minAmount: 2_000_000m, maxAmount: 9_000_000m),
        ]);
        var needs = new (string Key, FinancingNeed Need)[]
        {
            ("req_1", Need(amount: 500_000m)),
            ("req_2", Need(amount: 3_000_000m)),
            ("req_3", Need(amount: 3_000_000m, holdsNote: true, collateralOffered: [Collateral.Note])),
        };

        Assert.Equal(["req_1", "req_3"], index.MatchingNeeds(OtherBank, needs));
        Assert.Equal(["req_2", "req_3"], index.MatchingNeeds(LeadBank, needs));
        Assert.Empty(index.MatchingNeeds("ins_unknown", needs));
    }

    [Fact]
    public async Task TopMatches_ManyReadersAtOnce_AgreeWithOneReader()
    {
        var products = Enumerable.Range(0, 500)
            .Select(i => Product($"prd_{i:D3}", i % 7 == 0 ? LeadBank : OtherBank, minRateBps: 300 + (i % 13), chainIds: i % 3 == 0 ? [Chain] : null))
            .ToList();
        var index = MatchingIndex.Build(products);
        var expected = index.TopMatches(Need(), 10).Select(m => m.ProductId).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 200).Select(_ => index.TopMatches(Need(), 10).Select(m => m.ProductId).ToList()).ToList())));

        Assert.All(results.SelectMany(r => r), ids => Assert.Equal(expected, ids));
    }
}
