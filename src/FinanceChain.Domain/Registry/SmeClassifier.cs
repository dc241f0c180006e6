namespace FinanceChain.Domain;

/// <summary>What an enterprise reports for its size: employees, annual revenue and total assets.</summary>
/// <param name="Employees">Number of employees.</param>
/// <param name="AnnualRevenue">Annual operating revenue.</param>
/// <param name="TotalAssets">Total assets.</param>
public readonly record struct EnterpriseFigures(int Employees, Money AnnualRevenue, Money TotalAssets);

/// <summary>
/// Enterprise size from the 2011 SME standard (工信部联企业〔2011〕300号). Thresholds are in 万元
/// (10,000 yuan) as the standard prints them. An enterprise at or above every "SME if" ceiling of its
/// row is large; an SME meeting both medium thresholds is medium, both small thresholds small, else micro.
/// </summary>
public static class SmeClassifier
{
    private enum Metric { Employees, Revenue, Assets }

    private readonly record struct Threshold(Metric Metric, long Value);

    private sealed record Row(Threshold[] SmeIfAnyBelow, Threshold[] Medium, Threshold[] Small);

    private static Threshold E(long value) => new(Metric.Employees, value);
    private static Threshold R(long wanYuan) => new(Metric.Revenue, wanYuan);
    private static Threshold A(long wanYuan) => new(Metric.Assets, wanYuan);

    private static readonly Dictionary<Industry, Row> Rows = new()
    {
        [Industry.Agriculture] = new([R(20000)], [R(500)], [R(50)]),
        [Industry.Industry] = new([E(1000), R(40000)], [E(300), R(2000)], [E(20), R(300)]),
        [Industry.Construction] = new([R(80000), A(80000)], [R(6000), A(5000)], [R(300), A(300)]),
        [Industry.Wholesale] = new([E(200), R(40000)], [E(20), R(5000)], [E(5), R(1000)]),
        [Industry.Retail] = new([E(300), R(20000)], [E(50), R(500)], [E(10), R(100)]),
        [Industry.Transport] = new([E(1000), R(30000)], [E(300), R(3000)], [E(20), R(200)]),
        [Industry.Warehousing] = new([E(200), R(30000)], [E(100), R(1000)], [E(20), R(100)]),
        [Industry.Postal] = new([E(1000), R(30000)], [E(300), R(2000)], [E(20), R(100)]),
        [Industry.Hospitality] = new([E(300), R(10000)], [E(100), R(2000)], [E(10), R(100)]),
        [Industry.Telecom] = new([E(2000), R(100000)], [E(100), R(1000)], [E(10), R(100)]),
        [Industry.Software] = new([E(300), R(10000)], [E(100), R(1000)], [E(10), R(50)]),
        [Industry.RealEstate] = new([R(200000), A(10000)], [R(1000), A(5000)], [R(100), A(2000)]),
        [Industry.PropertyManagement] = new([E(1000), R(5000)], [E(300), R(1000)], [E(100), R(500)]),
        [Industry.LeasingBusinessServices] = new([E(300), A(120000)], [E(100), A(8000)], [E(10), A(100)]),
        [Industry.Other] = new([E(300)], [E(100)], [E(10)]),
    };

    /// <summary>The size of an enterprise of <paramref name="industry"/> with <paramref name="figures"/>.</summary>
    public static EnterpriseSize Classify(Industry industry, EnterpriseFigures figures)
    {
        if (!Rows.TryGetValue(industry, out var row))
        {
            throw new ArgumentOutOfRangeException(nameof(industry), industry, "Unknown industry.");
        }

        var isSme = row.SmeIfAnyBelow.Any(t => !Meets(figures, t));
        if (!isSme)
        {
            return EnterpriseSize.Large;
        }

        if (row.Medium.All(t => Meets(figures, t)))
        {
            return EnterpriseSize.Medium;
        }

        return row.Small.All(t => Meets(figures, t)) ? EnterpriseSize.Small : EnterpriseSize.Micro;
    }

    private static bool Meets(EnterpriseFigures figures, Threshold threshold) => threshold.Metric switch
    {
        Metric.Employees => figures.Employees >= threshold.Value,
        // 1 万元 = 10,000 yuan = 1,000,000 fen; compare in fen so that no rounding is involved.
        Metric.Revenue => figures.AnnualRevenue.Fen >= threshold.Value * 1_000_000L,
        Metric.Assets => figures.TotalAssets.Fen >= threshold.Value * 1_000_000L,
        _ => throw new ArgumentOutOfRangeException(nameof(threshold)),
    };
}
