using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>
/// An index brought up to date change by change (<see cref="MatchingIndex.With"/>) must answer exactly as one built
/// afresh from the products as they end up, whatever the sequence of products posted, changed and withdrawn.
/// Scenarios sometimes carry a thousand more products, so that slots and regions span several chunks, and sometimes a
/// low overlay limit, so that some changes build afresh.
/// </summary>
public class IncrementalIndexPropertyTests
{
    [Property(MaxTest = 300, Arbitrary = [typeof(IncrementalIndexArbitraries)])]
    public bool AnySequenceOfChanges_AnswersAsAFreshBuild(IncrementalScenario scenario)
    {
        var index = MatchingIndex.Build(scenario.Initial);
        var products = scenario.Initial.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var ok = true;
        foreach (var step in scenario.Steps)
        {
            var before = index;
            var answersBefore = Answers(before, scenario);
            index = index.With(step, scenario.MaxOverlay);
            foreach (var product in step)
            {
                products[product.Id] = product;
            }

            // The index it was made from still answers as it did.
            ok &= Answers(before, scenario) == answersBefore;
            ok &= Answers(index, scenario) == Answers(MatchingIndex.Build(products.Values), scenario);
        }

        return ok;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(IncrementalIndexArbitraries)])]
    public bool BestProductsOfABank_AreTheFirstOfAllItsEligibleProducts(IncrementalScenario scenario)
    {
        var index = MatchingIndex.Build(scenario.Initial);
        var ok = true;
        foreach (var step in scenario.Steps.Prepend(Array.Empty<ProductTerms>()))
        {
            index = index.With(step, scenario.MaxOverlay);
            foreach (var need in scenario.Needs)
            {
                foreach (var bank in MatchingArbitraries.Banks)
                {
                    var all = index.MatchingProducts(bank, need).Select(p => p.Id).ToList();
                    foreach (var limit in new[] { 1, 2, 3, scenario.Limit, 1000 })
                    {
                        ok &= all.Take(limit).SequenceEqual(index.MatchingProducts(bank, need, limit).Select(p => p.Id));
                    }
                }
            }
        }

        return ok;
    }

    [Fact]
    public void With_ManyChanges_BuildsAfreshAndStillAnswersAsAFreshBuild()
    {
        var initial = Enumerable.Range(0, 10).Select(i => MatchingData.Product($"prd_{i:D4}", minRateBps: 300 + i)).ToList();
        var changes = Enumerable.Range(5, 4200).Select(i => MatchingData.Product($"prd_{i:D4}", minRateBps: 300 + (i % 50), active: i % 7 != 0)).ToList();

        var incremental = MatchingIndex.Build(initial).With(changes);
        var fresh = MatchingIndex.Build(initial.Where(p => string.CompareOrdinal(p.Id, "prd_0005") < 0).Concat(changes));

        Assert.Equal(fresh.Count, incremental.Count);
        Assert.Equal(
            fresh.TopMatches(MatchingData.Need(), 50).Select(m => m.ProductId),
            incremental.TopMatches(MatchingData.Need(), 50).Select(m => m.ProductId));
    }

    private static string Answers(MatchingIndex index, IncrementalScenario scenario)
    {
        var lines = new List<string> { $"count {index.Count}" };
        foreach (var id in scenario.Ids)
        {
            lines.Add(index.TryGetProduct(id, out var product) ? $"{id}: {product}" : $"{id}: -");
        }

        foreach (var need in scenario.Needs)
        {
            lines.Add("top " + string.Join(",", index.TopMatches(need, scenario.Limit).Select(m => $"{m.ProductId}/{m.Score}")));
            lines.Add("near " + string.Join(",", index.NearMisses(need).Select(n => $"{n.ProductId}/{n.Failed.Count}")));
            foreach (var bank in MatchingArbitraries.Banks)
            {
                lines.Add($"{bank} {index.AnyMatch(bank, need)} " + string.Join(",", index.MatchingProducts(bank, need).Select(p => p.Id)));
            }
        }

        foreach (var bank in MatchingArbitraries.Banks)
        {
            lines.Add($"{bank}: " + string.Join(",", index.ProductsOfInstitution(bank).Select(p => p.Id).Order(StringComparer.Ordinal)));
        }

        return string.Join("\n", lines);
    }
}

/// <summary>A first product set, then batches of changes over a small pool of ids, and the requests to compare on.</summary>
public sealed record IncrementalScenario(
    IReadOnlyList<ProductTerms> Initial, IReadOnlyList<IReadOnlyList<ProductTerms>> Steps, IReadOnlyList<FinancingNeed> Needs, int Limit, int MaxOverlay)
{
    /// <summary>Every id the scenario uses.</summary>
    public IEnumerable<string> Ids => Initial.Concat(Steps.SelectMany(s => s)).Select(p => p.Id).Distinct().Order(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        $"limit {Limit}, overlay {MaxOverlay}, {Initial.Count} initial{Environment.NewLine}initial:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Initial)
        + string.Concat(Steps.Select((s, i) => $"{Environment.NewLine}step {i}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", s)));
}

public static class IncrementalIndexArbitraries
{
    public static Arbitrary<IncrementalScenario> Scenario() => Arb.From(
        from initialCount in Gen.Choose(0, 40)
        from initial in Gen.ArrayOf(Change, initialCount)
        from fillerCount in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(Chunks<ProductTerms>.Size, 2 * Chunks<ProductTerms>.Size + 100)))
        from filler in Gen.ArrayOf(MatchingArbitraries.ProductGen, fillerCount)
        from maxOverlay in Gen.Frequency((3, Gen.Constant(int.MaxValue)), (1, Gen.Choose(0, 12)))
        from stepCount in Gen.Choose(1, 8)
        from steps in Gen.ArrayOf(Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Change, n)), stepCount)
        from needs in Gen.ArrayOf(MatchingArbitraries.NeedGen, 3)
        from limit in Gen.Choose(1, 12)
        select new IncrementalScenario(
            initial.DistinctBy(p => p.Id).Concat(filler.Select((make, i) => make($"f{i:D4}"))).ToList(),
            steps.Select(s => (IReadOnlyList<ProductTerms>)s.DistinctBy(p => p.Id).ToList()).ToList(),
            needs,
            limit,
            maxOverlay));

    // Ids from a small pool, so that changes often replace or withdraw an indexed product.
    private static Gen<ProductTerms> Change =>
        from id in Gen.Choose(0, 30)
        from make in MatchingArbitraries.ProductGen
        select make($"p{id:D3}");
}
