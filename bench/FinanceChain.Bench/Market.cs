using System.Globalization;
using FinanceChain.Domain;

namespace FinanceChain.Bench;

/// <summary>
/// A made-up but realistic market: 26 chains, 30 banks, every product type, SME sizes, regions across
/// Hubei (42xxxx) and Hunan (43xxxx), rates 250–600 bps, a fifth of products open to every chain.
/// The same seed always gives the same market.
/// </summary>
public static class Market
{
    public const int ChainCount = 26;
    public const int BankCount = 30;

    private static readonly string[] Provinces = ["420000", "430000"];

    private static readonly string[] Cities =
    [
        "420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900", "421000", "421100",
        "421200", "421300", "422800", "430100", "430200", "430300", "430400", "430500", "430600", "430700",
        "430800", "430900", "431000", "431100", "431200", "431300", "433100",
    ];

    private static readonly string[] Districts = ["420102", "420106", "420111", "420115", "430102", "430104", "430111", "430121"];

    private static readonly (ProductType Type, int Weight)[] TypeWeights =
    [
        (ProductType.ReceivablesFinancing, 20), (ProductType.Factoring, 12), (ProductType.OrderFinancing, 12),
        (ProductType.InventoryPledge, 10), (ProductType.WarehouseReceiptPledge, 8), (ProductType.PrepaymentFinancing, 10),
        (ProductType.NoteDiscount, 13), (ProductType.CreditLoan, 15),
    ];

    private static readonly long[] MinAmountsYuan = [10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
    private static readonly int[] AmountSpans = [10, 20, 50, 100, 200];

    public static string Chain(int i) => "chn_" + i.ToString("D2", CultureInfo.InvariantCulture);

    public static string Bank(int i) => "ins_" + i.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The demo lead bank of chain <paramref name="chain"/> (1-based): one of the eight large banks.</summary>
    public static string LeadBankOf(int chain) => Bank(((chain - 1) % 8) + 1);

    public static List<ProductTerms> Products(int count, int seed = 42)
    {
        var random = new Random(seed);
        var products = new List<ProductTerms>(count);
        for (var i = 0; i < count; i++)
        {
            products.Add(Product(random, "prd_" + i.ToString("D7", CultureInfo.InvariantCulture)));
        }

        return products;
    }

    /// <summary>Requests as SMEs of the chains would post them.</summary>
    public static List<FinancingNeed> Needs(int count, int seed = 7)
    {
        var random = new Random(seed);
        var needs = new List<FinancingNeed>(count);
        for (var i = 0; i < count; i++)
        {
            var chain = random.Next(1, ChainCount + 1);
            var holdsNote = random.NextDouble() < 0.3;
            var confirmed = random.NextDouble() < 0.5;
            var offered = new List<Collateral>();
            if (confirmed || random.NextDouble() < 0.3)
            {
                offered.Add(Collateral.Receivable);
            }

            if (holdsNote)
            {
                offered.Add(Collateral.Note);
            }

            foreach (var extra in new[] { Collateral.Inventory, Collateral.WarehouseReceipt, Collateral.Guarantee, Collateral.RealEstate })
            {
                if (random.NextDouble() < 0.2)
                {
                    offered.Add(extra);
                }
            }

            var types = random.NextDouble() < 0.6
                ? []
                : Enum.GetValues<ProductType>().Where(_ => random.NextDouble() < 0.35).ToArray();
            needs.Add(FinancingNeed.Create(
                Chain(chain),
                (EnterpriseSize)random.Next(1, 4),
                RegionCode.Parse(Pick(random, random.NextDouble() < 0.3 ? Districts : Cities)),
                Money.FromYuan(random.Next(5, 500) * 10_000m),
                random.Next(1, 12) * 30,
                types,
                offered,
                random.NextDouble() < 0.3 ? random.Next(350, 601) : null,
                holdsNote,
                confirmed,
                LeadBankOf(chain)));
        }

        return needs;
    }

    /// <summary>A small supplier in Wuhan's auto chain asking 500,000 yuan for 90 days, any product.</summary>
    public static FinancingNeed TypicalNeed() => FinancingNeed.Create(
        Chain(7),
        EnterpriseSize.Small,
        RegionCode.Parse("420111"),
        Money.FromYuan(500_000m),
        90,
        collateralOffered: [Collateral.Receivable, Collateral.Guarantee],
        hasConfirmedReceivable: true,
        leadBankInstitutionId: LeadBankOf(7));

    /// <summary>A micro enterprise in Changsha wanting only to discount a note, at 3.80 %/yr at most.</summary>
    public static FinancingNeed NoteDiscountNeed() => FinancingNeed.Create(
        Chain(15),
        EnterpriseSize.Micro,
        RegionCode.Parse("430104"),
        Money.FromYuan(200_000m),
        60,
        acceptableTypes: [ProductType.NoteDiscount],
        collateralOffered: [Collateral.Note],
        maxRateBps: 380,
        holdsNote: true,
        leadBankInstitutionId: LeadBankOf(15));

    /// <summary>A request no product can serve (5 billion yuan): the index must read its buckets to the end.</summary>
    public static FinancingNeed UnmatchableNeed() => FinancingNeed.Create(
        Chain(3),
        EnterpriseSize.Medium,
        RegionCode.Parse("420500"),
        Money.FromYuan(5_000_000_000m),
        90,
        collateralOffered: Enum.GetValues<Collateral>(),
        holdsNote: true,
        hasConfirmedReceivable: true,
        leadBankInstitutionId: LeadBankOf(3));

    /// <summary>
    /// A large enterprise in Beijing asking 5 billion yuan for ten years, offering nothing: every product fails at least
    /// three rules (amount, term, region or size or collateral), so no near miss exists and the scan reads to the end.
    /// </summary>
    public static FinancingNeed FarNeed() => FinancingNeed.Create(
        Chain(3),
        EnterpriseSize.Large,
        RegionCode.Parse("110101"),
        Money.FromYuan(5_000_000_000m),
        3650,
        maxRateBps: 100,
        leadBankInstitutionId: LeadBankOf(3));

    private static ProductTerms Product(Random random, string id)
    {
        var type = PickType(random);
        var minAmount = Pick(random, MinAmountsYuan);
        var maxAmount = minAmount * Pick(random, AmountSpans);
        var (minTerm, maxTerm) = Terms(random, type);
        var minRate = random.Next(250, 601);
        return ProductTerms.Create(
            id,
            Bank(random.Next(1, BankCount + 1)),
            type,
            Money.FromYuan(minAmount),
            Money.FromYuan(maxAmount),
            minTerm,
            maxTerm,
            minRate,
            minRate + random.Next(0, 151),
            Chains(random),
            Sizes(random),
            Regions(random).Select(RegionCode.Parse),
            CollateralFor(random, type),
            type is ProductType.ReceivablesFinancing or ProductType.Factoring && random.NextDouble() < 0.7);
    }

    private static ProductType PickType(Random random)
    {
        var roll = random.Next(TypeWeights.Sum(t => t.Weight));
        foreach (var (type, weight) in TypeWeights)
        {
            if (roll < weight)
            {
                return type;
            }

            roll -= weight;
        }

        return ProductType.CreditLoan;
    }

    private static (int Min, int Max) Terms(Random random, ProductType type) => type switch
    {
        ProductType.NoteDiscount => (7, 180),
        ProductType.ReceivablesFinancing or ProductType.Factoring => (Pick(random, new[] { 15, 30 }), Pick(random, new[] { 90, 180, 360 })),
        ProductType.CreditLoan => (30, Pick(random, new[] { 365, 730, 1095 })),
        ProductType.InventoryPledge or ProductType.WarehouseReceiptPledge => (30, Pick(random, new[] { 180, 360 })),
        _ => (30, 180),
    };

    private static string[] Chains(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.2)
        {
            return [];
        }

        var count = roll < 0.8 ? 1 : random.Next(2, 4);
        return Enumerable.Range(0, count).Select(_ => Chain(random.Next(1, ChainCount + 1))).ToArray();
    }

    private static EnterpriseSize[] Sizes(Random random) => random.Next(10) switch
    {
        < 6 => [],
        6 => [EnterpriseSize.Small, EnterpriseSize.Micro],
        7 => [EnterpriseSize.Medium, EnterpriseSize.Small, EnterpriseSize.Micro],
        8 => [EnterpriseSize.Medium, EnterpriseSize.Small],
        _ => [EnterpriseSize.Large, EnterpriseSize.Medium],
    };

    private static string[] Regions(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.35)
        {
            return [];
        }

        if (roll < 0.75)
        {
            return [Pick(random, Provinces)];
        }

        return Enumerable.Range(0, random.Next(1, 4))
            .Select(_ => random.NextDouble() < 0.7 ? Pick(random, Cities) : Pick(random, Districts))
            .ToArray();
    }

    private static Collateral CollateralFor(Random random, ProductType type) => type switch
    {
        ProductType.ReceivablesFinancing => random.NextDouble() < 0.8 ? Collateral.Receivable : Collateral.None,
        ProductType.Factoring => Collateral.Receivable,
        ProductType.OrderFinancing => random.NextDouble() < 0.5 ? Collateral.None : Collateral.Guarantee,
        ProductType.InventoryPledge => Collateral.Inventory,
        ProductType.WarehouseReceiptPledge => Collateral.WarehouseReceipt,
        ProductType.PrepaymentFinancing => random.NextDouble() < 0.5 ? Collateral.Inventory : Collateral.Guarantee,
        ProductType.NoteDiscount => Collateral.Note,
        _ => random.Next(10) switch
        {
            < 7 => Collateral.None,
            < 9 => Collateral.Guarantee,
            _ => Collateral.RealEstate,
        },
    };

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
