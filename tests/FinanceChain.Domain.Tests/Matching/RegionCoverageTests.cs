using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

public class RegionCoverageTests
{
    [Theory]
    [InlineData("420000", "420100", true)]
    [InlineData("420000", "420111", true)]
    [InlineData("420000", "420000", true)]
    [InlineData("420100", "420111", true)]
    [InlineData("420100", "420100", true)]
    [InlineData("420100", "430100", false)]
    [InlineData("420100", "420200", false)]
    [InlineData("420100", "420000", false)]
    [InlineData("420000", "430100", false)]
    [InlineData("420111", "420111", true)]
    [InlineData("420111", "420112", false)]
    public void Covers_ComparesSignificantPrefix(string product, string enterprise, bool covered) =>
        Assert.Equal(covered, RegionCode.Parse(product).Covers(RegionCode.Parse(enterprise)));

    [Theory]
    [InlineData("420000", "420100", true)]
    [InlineData("420000", "420111", true)]
    [InlineData("420100", "430100", false)]
    [InlineData("430000", "430100", true)]
    [InlineData("430100", "430111", true)]
    [InlineData("420111", "420112", false)]
    public void Match_ProductRegion_CoversByPrefix(string productRegion, string enterpriseRegion, bool eligible)
    {
        var product = Product(regions: [productRegion]);
        var need = Need(region: enterpriseRegion);

        Assert.Equal(eligible, MatchingEngine.IsEligible(product, need));
        Assert.Equal(eligible ? 1 : 0, MatchingIndex.Build([product]).TopMatches(need, 10).Count);
    }

    [Fact]
    public void Match_OneOfSeveralRegionsCovers_IsEligible()
    {
        var product = Product(regions: ["430100", "420500", "420100"]);

        Assert.True(MatchingEngine.IsEligible(product, Need(region: "420106")));
        Assert.Single(MatchingIndex.Build([product]).TopMatches(Need(region: "420106"), 10));
    }

    [Fact]
    public void Reasons_RegionCovered_NameTheCoveringRegion()
    {
        var match = Assert.Single(MatchingIndex.Build([Product(regions: ["430000", "420000"])]).TopMatches(Need(region: "420111"), 10));

        Assert.Contains(match.Reasons, r => r.ToString() == "reasonOfferedInRegion (420111, 420000)");
    }

    [Fact]
    public void Explain_RegionNotCovered_NamesTheProductsRegions()
    {
        var outcome = MatchingEngine.Explain(Product(regions: ["430000", "420100"]), Need(region: "420200"))
            .Outcomes.Single(o => o.Rule == EligibilityRule.Region);

        Assert.Equal("ruleRegionNotOffered (420200, 430000, 420100)", outcome.Failure!.ToString());
    }
}
