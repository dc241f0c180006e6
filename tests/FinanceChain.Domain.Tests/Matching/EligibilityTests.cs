using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>
/// Each rule in and out: the default product and need match, and every test changes one thing. Both the
/// engine and an index over the single product must agree.
/// </summary>
public class EligibilityTests
{
    [Fact]
    public void Match_DefaultProductAndNeed_IsEligible()
    {
        var eligibility = AssertEligible(Product(), Need());

        Assert.Equal(Enum.GetValues<EligibilityRule>(), eligibility.Outcomes.Select(o => o.Rule));
        Assert.All(eligibility.Outcomes, o => Assert.Equal(o.Met, o.Failure is null));
        Assert.Empty(eligibility.Failed);
    }

    [Fact]
    public void Match_WithdrawnProduct_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Active, Product(active: false), Need());

        Assert.Equal("ruleWithdrawn", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_AmountEqualToMin_IsEligible() =>
        AssertEligible(Product(minAmount: 100_000m), Need(amount: 100_000m));

    [Fact]
    public void Match_AmountOneFenBelowMin_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Amount, Product(minAmount: 100_000m), Need(amount: 99_999.99m));

        Assert.Equal("ruleAmountBelowMinimum (99999.99, 100000.00)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_AmountEqualToMax_IsEligible() =>
        AssertEligible(Product(maxAmount: 5_000_000m), Need(amount: 5_000_000m));

    [Fact]
    public void Match_AmountOneFenAboveMax_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Amount, Product(maxAmount: 5_000_000m), Need(amount: 5_000_000.01m));

        Assert.Equal("ruleAmountAboveMaximum (5000000.01, 5000000.00)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_TermEqualToMin_IsEligible() =>
        AssertEligible(Product(minTermDays: 30), Need(termDays: 30));

    [Fact]
    public void Match_TermOneDayBelowMin_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Term, Product(minTermDays: 30), Need(termDays: 29));

        Assert.Equal(MatchingCodes.RuleTermTooShort, failed.Failure!.Code);
        Assert.Equal(30, failed.Failure.Args[1]);
    }

    [Fact]
    public void Match_TermEqualToMax_IsEligible() =>
        AssertEligible(Product(maxTermDays: 180), Need(termDays: 180));

    [Fact]
    public void Match_TermOneDayAboveMax_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Term, Product(maxTermDays: 180), Need(termDays: 181));

        Assert.Equal(MatchingCodes.RuleTermTooLong, failed.Failure!.Code);
        Assert.Equal(180, failed.Failure.Args[1]);
    }

    [Fact]
    public void Match_ProductOpenToEveryChain_IsEligible() =>
        AssertEligible(Product(chainIds: []), Need(chainId: OtherChain));

    [Fact]
    public void Match_ProductForTheRequestsChain_IsEligible() =>
        AssertEligible(Product(chainIds: [OtherChain, Chain]), Need(chainId: Chain));

    [Fact]
    public void Match_ProductForOtherChainsOnly_IsNotEligible() =>
        AssertFailsOnly(EligibilityRule.Chain, Product(chainIds: [OtherChain]), Need(chainId: Chain));

    [Fact]
    public void Match_SizeAllowed_IsEligible() =>
        AssertEligible(Product(sizes: [EnterpriseSize.Small, EnterpriseSize.Micro]), Need(size: EnterpriseSize.Micro));

    [Fact]
    public void Match_SizeNotAllowed_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.EnterpriseSize, Product(sizes: [EnterpriseSize.Small, EnterpriseSize.Micro]), Need(size: EnterpriseSize.Medium));

        Assert.Equal("ruleSizeNotOffered (enterpriseSizeMedium, enterpriseSizeSmall, enterpriseSizeMicro)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_RegionCoveredByProvince_IsEligible() =>
        AssertEligible(Product(regions: ["420000"]), Need(region: "420111"));

    [Fact]
    public void Match_RegionOutsideEveryProductRegion_IsNotEligible() =>
        AssertFailsOnly(EligibilityRule.Region, Product(regions: ["420100", "430200"]), Need(region: "430100"));

    [Fact]
    public void Match_TypeAccepted_IsEligible() =>
        AssertEligible(Product(type: ProductType.Factoring), Need(acceptableTypes: [ProductType.Factoring, ProductType.CreditLoan]));

    [Fact]
    public void Match_AnyTypeAccepted_IsEligible() =>
        AssertEligible(Product(type: ProductType.PrepaymentFinancing), Need(acceptableTypes: []));

    [Fact]
    public void Match_TypeNotAccepted_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.ProductType, Product(type: ProductType.OrderFinancing), Need(acceptableTypes: [ProductType.Factoring]));

        Assert.Equal("ruleTypeNotAccepted (productTypeOrderFinancing)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_RateEqualToCeiling_IsEligible() =>
        AssertEligible(Product(minRateBps: 385), Need(maxRateBps: 385));

    [Fact]
    public void Match_RateOneBpAboveCeiling_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Rate, Product(minRateBps: 386), Need(maxRateBps: 385));

        Assert.Equal("ruleRateAboveCeiling (3.86 %, 3.85 %)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_MaxRateAboveCeilingButMinRateBelow_IsEligible() =>
        AssertEligible(Product(minRateBps: 380, maxRateBps: 600), Need(maxRateBps: 400));

    [Fact]
    public void Match_NoCeilingAndHighRate_IsEligible() =>
        AssertEligible(Product(minRateBps: 9_000, maxRateBps: 10_000), Need(maxRateBps: null));

    [Fact]
    public void Match_NoCollateralNeededAndNoneOffered_IsEligible() =>
        AssertEligible(Product(collateral: Collateral.None), Need(collateralOffered: []));

    [Fact]
    public void Match_CollateralOffered_IsEligible() =>
        AssertEligible(Product(collateral: Collateral.Receivable), Need(collateralOffered: [Collateral.Guarantee, Collateral.Receivable]));

    [Fact]
    public void Match_CollateralNotOffered_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.Collateral, Product(collateral: Collateral.WarehouseReceipt), Need(collateralOffered: [Collateral.Inventory]));

        Assert.Equal("ruleCollateralNotOffered (collateralWarehouseReceipt)", failed.Failure!.ToString());
    }

    [Fact]
    public void Match_NoteDiscountWithNoteHeld_IsEligible() =>
        AssertEligible(Product(type: ProductType.NoteDiscount, collateral: Collateral.Note), Need(collateralOffered: [Collateral.Note], holdsNote: true));

    [Fact]
    public void Match_NoteDiscountWithoutNote_IsNotEligible() =>
        AssertFailsOnly(EligibilityRule.NoteHeld, Product(type: ProductType.NoteDiscount, collateral: Collateral.Note), Need(collateralOffered: [Collateral.Note], holdsNote: false));

    [Fact]
    public void Match_OtherTypeWithoutNote_IsEligible() =>
        AssertEligible(Product(type: ProductType.CreditLoan), Need(holdsNote: false));

    [Fact]
    public void Match_ConfirmedReceivableRequiredAndHeld_IsEligible() =>
        AssertEligible(Product(requiresConfirmedReceivable: true), Need(hasConfirmedReceivable: true));

    [Fact]
    public void Match_ConfirmedReceivableRequiredButMissing_IsNotEligible()
    {
        var failed = AssertFailsOnly(EligibilityRule.ConfirmedReceivable, Product(requiresConfirmedReceivable: true), Need(hasConfirmedReceivable: false));

        Assert.Equal(MatchingCodes.RuleConfirmedReceivableNeeded, failed.Failure!.Code);
    }

    [Fact]
    public void Explain_SeveralRulesBroken_ListsEachInRuleOrder()
    {
        var eligibility = MatchingEngine.Explain(
            Product(maxAmount: 1_000_000m, chainIds: [OtherChain], collateral: Collateral.RealEstate, active: false),
            Need(amount: 2_000_000m));

        Assert.False(eligibility.IsEligible);
        Assert.Equal(
            [EligibilityRule.Active, EligibilityRule.Amount, EligibilityRule.Chain, EligibilityRule.Collateral],
            eligibility.Failed.Select(f => f.Rule));
    }

    private static Eligibility AssertEligible(ProductTerms product, FinancingNeed need)
    {
        var eligibility = MatchingEngine.Explain(product, need);

        Assert.True(eligibility.IsEligible, string.Join("; ", eligibility.Failed.Select(f => f.Failure)));
        Assert.True(MatchingEngine.IsEligible(product, need));
        Assert.Single(MatchingIndex.Build([product]).TopMatches(need, 10));
        return eligibility;
    }

    private static RuleOutcome AssertFailsOnly(EligibilityRule rule, ProductTerms product, FinancingNeed need)
    {
        var eligibility = MatchingEngine.Explain(product, need);

        var failed = Assert.Single(eligibility.Failed);
        Assert.Equal(rule, failed.Rule);
        Assert.False(failed.Met);
        Assert.False(eligibility.IsEligible);
        Assert.False(MatchingEngine.IsEligible(product, need));
        Assert.Empty(MatchingIndex.Build([product]).TopMatches(need, 10));
        return failed;
    }
}
