using FinanceChain.Domain;
using static FinanceChain.Domain.Tests.Matching.MatchingData;

namespace FinanceChain.Domain.Tests.Matching;

public class ProductTermsTests
{
    [Fact]
    public void Create_ConsistentTerms_KeepsEveryField()
    {
        var product = Product(
            chainIds: [Chain, Chain, OtherChain],
            sizes: [EnterpriseSize.Small, EnterpriseSize.Micro],
            regions: ["420000", "430100", "420000"],
            collateral: Collateral.Receivable,
            requiresConfirmedReceivable: true);

        Assert.Equal("prd_a", product.Id);
        Assert.Equal(OtherBank, product.InstitutionId);
        Assert.Equal(ProductType.ReceivablesFinancing, product.Type);
        Assert.Equal(Money.FromYuan(100_000m), product.MinAmount);
        Assert.Equal(Money.FromYuan(5_000_000m), product.MaxAmount);
        Assert.Equal((30, 180), (product.MinTermDays, product.MaxTermDays));
        Assert.Equal((385, 450), (product.MinRateBps, product.MaxRateBps));
        Assert.Equal(2, product.ChainIds.Count);
        Assert.True(product.IsChainRestricted);
        Assert.Equal(2, product.EnterpriseSizes.Count);
        Assert.Equal(["420000", "430100"], product.Regions.Select(r => r.Value));
        Assert.Equal(Collateral.Receivable, product.Collateral);
        Assert.True(product.RequiresConfirmedReceivable);
        Assert.True(product.Active);
    }

    [Fact]
    public void Create_NoRestrictions_HasEmptySets()
    {
        var product = Product();

        Assert.Empty(product.ChainIds);
        Assert.False(product.IsChainRestricted);
        Assert.Empty(product.EnterpriseSizes);
        Assert.Empty(product.Regions);
    }

    [Fact]
    public void Create_SingleAmountTermAndRate_IsAllowed()
    {
        var product = Product(minAmount: 1_000m, maxAmount: 1_000m, minTermDays: 90, maxTermDays: 90, minRateBps: 0, maxRateBps: 0);

        Assert.Equal(product.MinAmount, product.MaxAmount);
    }

    [Fact]
    public void Create_LongestTermAndHighestRate_AreAllowed()
    {
        var product = Product(maxTermDays: ProductTerms.MaxTermDaysLimit, maxRateBps: ProductTerms.MaxRateBpsLimit);

        Assert.Equal(3650, product.MaxTermDays);
        Assert.Equal(10_000, product.MaxRateBps);
    }

    public static TheoryData<string, Func<ProductTerms>> Invalid => new()
    {
        { "id", () => Product(id: " ") },
        { "institutionId", () => Product(institutionId: "") },
        { "type", () => Product(type: (ProductType)99) },
        { "minAmount", () => Product(minAmount: 0m) },
        { "maxAmount", () => Product(minAmount: 1_000m, maxAmount: 999.99m) },
        { "minTermDays", () => Product(minTermDays: 0) },
        { "minTermDays", () => Product(minTermDays: -5) },
        { "maxTermDays", () => Product(minTermDays: 90, maxTermDays: 89) },
        { "maxTermDays", () => Product(maxTermDays: 3651) },
        { "minRateBps", () => Product(minRateBps: -1) },
        { "maxRateBps", () => Product(minRateBps: 400, maxRateBps: 399) },
        { "maxRateBps", () => Product(maxRateBps: 10_001) },
        { "collateral", () => Product(collateral: (Collateral)42) },
        { "chainIds", () => Product(chainIds: [Chain, ""]) },
        { "enterpriseSizes", () => Product(sizes: [(EnterpriseSize)7]) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Create_InconsistentTerms_ThrowsForTheField(string field, Func<ProductTerms> create)
    {
        var error = Assert.Throws<DomainValidationException>(create);

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Create_DefaultRegion_ThrowsForRegions()
    {
        var error = Assert.Throws<DomainValidationException>(() => ProductTerms.Create(
            "prd_a", OtherBank, ProductType.CreditLoan, Money.FromYuan(1m), Money.FromYuan(2m), 1, 2, 300, 400,
            regions: [default]));

        Assert.Equal("regions", error.Field);
    }
}
