using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

public class FinancingNeedTests
{
    [Fact]
    public void Create_EmptyAcceptableTypes_AcceptsEveryType()
    {
        var need = Need();

        Assert.All(Enum.GetValues<ProductType>(), type => Assert.True(need.Accepts(type)));
    }

    [Fact]
    public void Create_SomeAcceptableTypes_AcceptsOnlyThose()
    {
        var need = Need(acceptableTypes: [ProductType.Factoring]);

        Assert.True(need.Accepts(ProductType.Factoring));
        Assert.False(need.Accepts(ProductType.CreditLoan));
    }

    [Fact]
    public void IsLeadBank_ComparesInstitutionIds()
    {
        Assert.True(Need(leadBank: LeadBank).IsLeadBank(LeadBank));
        Assert.False(Need(leadBank: LeadBank).IsLeadBank(OtherBank));
        Assert.False(Need(leadBank: null).IsLeadBank(LeadBank));
    }

    public static TheoryData<string, Func<FinancingNeed>> Invalid => new()
    {
        { "chainId", () => Need(chainId: "") },
        { "enterpriseSize", () => Need(size: (EnterpriseSize)9) },
        { "amount", () => Need(amount: 0m) },
        { "termDays", () => Need(termDays: 0) },
        { "maxRateBps", () => Need(maxRateBps: -1) },
        { "maxRateBps", () => Need(maxRateBps: 10_001) },
        { "acceptableTypes", () => Need(acceptableTypes: [(ProductType)20]) },
        { "collateralOffered", () => Need(collateralOffered: [(Collateral)20]) },
        { "region", () => FinancingNeed.Create(Chain, EnterpriseSize.Small, default, Money.FromYuan(1m), 30) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Create_InvalidNeed_ThrowsForTheField(string field, Func<FinancingNeed> create)
    {
        var error = Assert.Throws<DomainValidationException>(create);

        Assert.Equal(field, error.Field);
    }
}
