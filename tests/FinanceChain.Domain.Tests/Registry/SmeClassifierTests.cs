using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Registry;

/// <summary>Every industry row of 工信部联企业〔2011〕300号 at its boundaries (revenue and assets in 万元).</summary>
public sealed class SmeClassifierTests
{
    private static EnterpriseSize Size(Industry industry, int employees, long revenueWan, long assetsWan = 0) =>
        SmeClassifier.Classify(industry, new EnterpriseFigures(employees, Money.FromYuan(revenueWan * 10_000m), Money.FromYuan(assetsWan * 10_000m)));

    private static EnterpriseSize SizeFen(Industry industry, int employees, long revenueFen, long assetsFen) =>
        SmeClassifier.Classify(industry, new EnterpriseFigures(employees, Money.FromFen(revenueFen), Money.FromFen(assetsFen)));

    [Theory]
    // agriculture: SME if R<20000; medium R≥500; small R≥50
    [InlineData(Industry.Agriculture, 0, 20000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Agriculture, 0, 19999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Agriculture, 0, 500, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Agriculture, 0, 499, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Agriculture, 0, 50, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Agriculture, 0, 49, 0, EnterpriseSize.Micro)]
    // industry: SME if E<1000 or R<40000; medium E≥300 & R≥2000; small E≥20 & R≥300
    [InlineData(Industry.Industry, 1000, 40000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Industry, 999, 40000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Industry, 1000, 39999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Industry, 300, 2000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Industry, 299, 2000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Industry, 300, 1999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Industry, 20, 300, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Industry, 19, 300, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.Industry, 20, 299, 0, EnterpriseSize.Micro)]
    // construction: SME if R<80000 or A<80000; medium R≥6000 & A≥5000; small R≥300 & A≥300
    [InlineData(Industry.Construction, 0, 80000, 80000, EnterpriseSize.Large)]
    [InlineData(Industry.Construction, 0, 79999, 80000, EnterpriseSize.Medium)]
    [InlineData(Industry.Construction, 0, 80000, 79999, EnterpriseSize.Medium)]
    [InlineData(Industry.Construction, 0, 6000, 5000, EnterpriseSize.Medium)]
    [InlineData(Industry.Construction, 0, 5999, 5000, EnterpriseSize.Small)]
    [InlineData(Industry.Construction, 0, 6000, 4999, EnterpriseSize.Small)]
    [InlineData(Industry.Construction, 0, 300, 300, EnterpriseSize.Small)]
    [InlineData(Industry.Construction, 0, 299, 300, EnterpriseSize.Micro)]
    [InlineData(Industry.Construction, 0, 300, 299, EnterpriseSize.Micro)]
    // wholesale: SME if E<200 or R<40000; medium E≥20 & R≥5000; small E≥5 & R≥1000
    [InlineData(Industry.Wholesale, 200, 40000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Wholesale, 199, 40000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Wholesale, 20, 5000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Wholesale, 19, 5000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Wholesale, 20, 4999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Wholesale, 5, 1000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Wholesale, 4, 1000, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.Wholesale, 5, 999, 0, EnterpriseSize.Micro)]
    // retail: SME if E<300 or R<20000; medium E≥50 & R≥500; small E≥10 & R≥100
    [InlineData(Industry.Retail, 300, 20000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Retail, 300, 19999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Retail, 50, 500, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Retail, 49, 500, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Retail, 10, 100, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Retail, 10, 99, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.Retail, 9, 100, 0, EnterpriseSize.Micro)]
    // transport: SME if E<1000 or R<30000; medium E≥300 & R≥3000; small E≥20 & R≥200
    [InlineData(Industry.Transport, 1000, 30000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Transport, 999, 30000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Transport, 300, 3000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Transport, 300, 2999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Transport, 20, 200, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Transport, 19, 200, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.Transport, 20, 199, 0, EnterpriseSize.Micro)]
    // warehousing: SME if E<200 or R<30000; medium E≥100 & R≥1000; small E≥20 & R≥100
    [InlineData(Industry.Warehousing, 200, 30000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Warehousing, 200, 29999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Warehousing, 100, 1000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Warehousing, 99, 1000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Warehousing, 20, 100, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Warehousing, 20, 99, 0, EnterpriseSize.Micro)]
    // postal: SME if E<1000 or R<30000; medium E≥300 & R≥2000; small E≥20 & R≥100
    [InlineData(Industry.Postal, 1000, 30000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Postal, 999, 30000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Postal, 300, 2000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Postal, 300, 1999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Postal, 20, 100, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Postal, 19, 100, 0, EnterpriseSize.Micro)]
    // hospitality: SME if E<300 or R<10000; medium E≥100 & R≥2000; small E≥10 & R≥100
    [InlineData(Industry.Hospitality, 300, 10000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Hospitality, 299, 10000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Hospitality, 100, 2000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Hospitality, 100, 1999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Hospitality, 10, 100, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Hospitality, 9, 100, 0, EnterpriseSize.Micro)]
    // telecom: SME if E<2000 or R<100000; medium E≥100 & R≥1000; small E≥10 & R≥100
    [InlineData(Industry.Telecom, 2000, 100000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Telecom, 1999, 100000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Telecom, 2000, 99999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Telecom, 100, 1000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Telecom, 99, 1000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Telecom, 10, 100, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Telecom, 10, 99, 0, EnterpriseSize.Micro)]
    // software: SME if E<300 or R<10000; medium E≥100 & R≥1000; small E≥10 & R≥50
    [InlineData(Industry.Software, 300, 10000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Software, 299, 10000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Software, 100, 1000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Software, 100, 999, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Software, 10, 50, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Software, 10, 49, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.Software, 9, 50, 0, EnterpriseSize.Micro)]
    // realEstate: SME if R<200000 or A<10000; medium R≥1000 & A≥5000; small R≥100 & A≥2000
    [InlineData(Industry.RealEstate, 0, 200000, 10000, EnterpriseSize.Large)]
    [InlineData(Industry.RealEstate, 0, 199999, 10000, EnterpriseSize.Medium)]
    [InlineData(Industry.RealEstate, 0, 200000, 9999, EnterpriseSize.Medium)]
    [InlineData(Industry.RealEstate, 0, 1000, 5000, EnterpriseSize.Medium)]
    [InlineData(Industry.RealEstate, 0, 999, 5000, EnterpriseSize.Small)]
    [InlineData(Industry.RealEstate, 0, 1000, 4999, EnterpriseSize.Small)]
    [InlineData(Industry.RealEstate, 0, 100, 2000, EnterpriseSize.Small)]
    [InlineData(Industry.RealEstate, 0, 99, 2000, EnterpriseSize.Micro)]
    [InlineData(Industry.RealEstate, 0, 100, 1999, EnterpriseSize.Micro)]
    // propertyManagement: SME if E<1000 or R<5000; medium E≥300 & R≥1000; small E≥100 & R≥500
    [InlineData(Industry.PropertyManagement, 1000, 5000, 0, EnterpriseSize.Large)]
    [InlineData(Industry.PropertyManagement, 1000, 4999, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.PropertyManagement, 300, 1000, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.PropertyManagement, 299, 1000, 0, EnterpriseSize.Small)]
    [InlineData(Industry.PropertyManagement, 100, 500, 0, EnterpriseSize.Small)]
    [InlineData(Industry.PropertyManagement, 99, 500, 0, EnterpriseSize.Micro)]
    [InlineData(Industry.PropertyManagement, 100, 499, 0, EnterpriseSize.Micro)]
    // leasingBusinessServices: SME if E<300 or A<120000; medium E≥100 & A≥8000; small E≥10 & A≥100
    [InlineData(Industry.LeasingBusinessServices, 300, 0, 120000, EnterpriseSize.Large)]
    [InlineData(Industry.LeasingBusinessServices, 299, 0, 120000, EnterpriseSize.Medium)]
    [InlineData(Industry.LeasingBusinessServices, 300, 0, 119999, EnterpriseSize.Medium)]
    [InlineData(Industry.LeasingBusinessServices, 100, 0, 8000, EnterpriseSize.Medium)]
    [InlineData(Industry.LeasingBusinessServices, 100, 0, 7999, EnterpriseSize.Small)]
    [InlineData(Industry.LeasingBusinessServices, 10, 0, 100, EnterpriseSize.Small)]
    [InlineData(Industry.LeasingBusinessServices, 9, 0, 100, EnterpriseSize.Micro)]
    [InlineData(Industry.LeasingBusinessServices, 10, 0, 99, EnterpriseSize.Micro)]
    // other: SME if E<300; medium E≥100; small E≥10
    [InlineData(Industry.Other, 300, 0, 0, EnterpriseSize.Large)]
    [InlineData(Industry.Other, 299, 0, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Other, 100, 0, 0, EnterpriseSize.Medium)]
    [InlineData(Industry.Other, 99, 0, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Other, 10, 0, 0, EnterpriseSize.Small)]
    [InlineData(Industry.Other, 9, 0, 0, EnterpriseSize.Micro)]
    public void Classify_AtBoundary(Industry industry, int employees, long revenueWan, long assetsWan, EnterpriseSize expected)
    {
        Assert.Equal(expected, Size(industry, employees, revenueWan, assetsWan));
    }

    [Fact]
    public void Classify_EveryIndustryHasARow()
    {
        foreach (var industry in Enum.GetValues<Industry>())
        {
            _ = SmeClassifier.Classify(industry, new EnterpriseFigures(0, Money.Zero, Money.Zero));
        }
    }

    [Fact]
    public void Classify_OneFenBelowThreshold_IsBelow()
    {
        // 300 万元 = 3,000,000 yuan = 300,000,000 fen; one fen less is not small.
        Assert.Equal(EnterpriseSize.Small, SizeFen(Industry.Industry, 20, 300_000_000, 0));
        Assert.Equal(EnterpriseSize.Micro, SizeFen(Industry.Industry, 20, 299_999_999, 0));
    }
}
