using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>
/// The index must give exactly what a plain filter-and-sort gives. Random markets are kept small and
/// crowded (few chains, banks, regions and rates) so that ties and near misses are common.
/// </summary>
public class MatchingIndexPropertyTests
{
    [Property(MaxTest = 500, Arbitrary = [typeof(MatchingArbitraries)])]
    public bool Index_TopMatches_EqualsBruteForceFilterAndSort(MatchingScenario scenario)
    {
        var need = scenario.Need;
        var expected = scenario.Products
            .Where(p => MatchingEngine.Explain(p, need).IsEligible)
            .OrderBy(p => p.MinRateBps)
            .ThenBy(p => need.IsLeadBank(p.InstitutionId) ? 0 : 1)
            .ThenBy(p => p.Collateral == Collateral.None ? 0 : 1)
            .ThenBy(p => p.ChainIds.Count > 0 ? 0 : 1)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(scenario.Limit)
            .Select(p => p.Id)
            .ToList();

        var fromIndex = MatchingIndex.Build(scenario.Products).TopMatches(need, scenario.Limit);
        var fromEngine = MatchingEngine.TopMatches(scenario.Products, need, scenario.Limit);

        var scoresNeverRise = fromIndex.Zip(fromIndex.Skip(1), (a, b) => b.Score <= a.Score).All(ok => ok);
        return expected.SequenceEqual(fromIndex.Select(m => m.ProductId))
            && expected.SequenceEqual(fromEngine.Select(m => m.ProductId))
            && scoresNeverRise
            && fromIndex.All(m => m.IsLeadBank == need.IsLeadBank(m.InstitutionId) && m.Reasons.Count > 0);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(MatchingArbitraries)])]
    public bool Index_AnyMatch_EqualsBruteForce(MatchingScenario scenario)
    {
        var index = MatchingIndex.Build(scenario.Products);
        return MatchingArbitraries.Banks.All(bank =>
            index.AnyMatch(bank, scenario.Need)
            == scenario.Products.Any(p => p.InstitutionId == bank && MatchingEngine.IsEligible(p, scenario.Need)));
    }
}

/// <summary>A random market, one request and a limit.</summary>
public sealed record MatchingScenario(IReadOnlyList<ProductTerms> Products, FinancingNeed Need, int Limit)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"limit {Limit}, need {Need}{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Products);
}

public static class MatchingArbitraries
{
    public static readonly string[] Banks = ["b1", "b2", "b3"];
    private static readonly string[] Chains = ["c1", "c2", "c3"];
    private static readonly string[] Regions = ["420000", "420100", "420111", "430000", "430100", "430111"];

    public static Arbitrary<MatchingScenario> Scenario() => Arb.From(
        from count in Gen.Choose(0, 80)
        from specs in Gen.ArrayOf(ProductGen, count)
        from need in NeedGen
        from limit in Gen.Choose(1, 12)
        select new MatchingScenario(specs.Select((make, i) => make($"p{(i * 7919) % 1000:D3}_{i}")).ToList(), need, limit));

    private static Gen<bool> Bool => Gen.Elements(true, false);

    internal static Gen<Func<string, ProductTerms>> ProductGen =>
        from bank in Gen.Elements(Banks)
        from type in Gen.Elements(Enum.GetValues<ProductType>())
        from minTenThousands in Gen.Choose(1, 30)
        from spanTenThousands in Gen.Choose(0, 100)
        from minTerm in Gen.Choose(1, 60)
        from termSpan in Gen.Choose(0, 200)
        from minRate in Gen.Choose(300, 304)
        from rateSpan in Gen.Choose(0, 5)
        from chains in Gen.Frequency((2, Gen.Constant(Array.Empty<string>())), (3, Gen.SubListOf(Chains).Select(l => l.ToArray())))
        from sizes in Gen.Frequency((2, Gen.Constant(Array.Empty<EnterpriseSize>())), (1, Gen.SubListOf(Enum.GetValues<EnterpriseSize>()).Select(l => l.ToArray())))
        from regions in Gen.Frequency((2, Gen.Constant(Array.Empty<string>())), (1, Gen.SubListOf(Regions).Select(l => l.ToArray())))
        from collateral in Gen.Frequency((3, Gen.Constant(Collateral.None)), (4, Gen.Elements(Enum.GetValues<Collateral>())))
        from requiresConfirmed in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from active in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
        select (Func<string, ProductTerms>)(id => ProductTerms.Create(
            id,
            bank,
            type,
            Money.FromYuan(minTenThousands * 10_000m),
            Money.FromYuan((minTenThousands + spanTenThousands) * 10_000m),
            minTerm,
            minTerm + termSpan,
            minRate,
            minRate + rateSpan,
            chains,
            sizes,
            regions.Select(RegionCode.Parse),
            collateral,
            requiresConfirmed,
            active));

    internal static Gen<FinancingNeed> NeedGen =>
        from chain in Gen.Elements([.. Chains, "c4"])
        from size in Gen.Elements(Enum.GetValues<EnterpriseSize>())
        from region in Gen.Elements([.. Regions, "440100"])
        from tenThousands in Gen.Choose(1, 80)
        from term in Gen.Choose(1, 120)
        from types in Gen.Frequency((3, Gen.Constant(Array.Empty<ProductType>())), (1, Gen.SubListOf(Enum.GetValues<ProductType>()).Select(l => l.ToArray())))
        from offered in Gen.Frequency((2, Gen.Constant(Enum.GetValues<Collateral>())), (1, Gen.SubListOf(Enum.GetValues<Collateral>()).Select(l => l.ToArray())))
        from hasCeiling in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from ceiling in Gen.Choose(299, 306)
        from holdsNote in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from confirmed in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from lead in Gen.Elements<string?>([.. Banks, null])
        select FinancingNeed.Create(
            chain,
            size,
            RegionCode.Parse(region),
            Money.FromYuan(tenThousands * 10_000m),
            term,
            types,
            offered,
            hasCeiling ? ceiling : null,
            holdsNote,
            confirmed,
            lead);
}
