using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>
/// The reverse index must give exactly what checking every live request against every product gives, after any
/// sequence of requests added, changed and removed.
/// </summary>
public class RequestIndexPropertyTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 0, 0);

    [Property(MaxTest = 300, Arbitrary = [typeof(RequestIndexArbitraries)])]
    public bool Matching_EqualsScanOfEveryRequest(RequestIndexScenario scenario)
    {
        var index = RequestIndex.Build(scenario.Initial);
        var live = scenario.Initial.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var step in scenario.Steps)
        {
            index = index.With(step.Added, step.Removed);
            foreach (var id in step.Removed)
            {
                live.Remove(id);
            }

            foreach (var request in step.Added)
            {
                live[request.Id] = request;
            }

            if (!Same(index, live.Values, scenario))
            {
                return false;
            }
        }

        return Same(index, live.Values, scenario) && index.Count == live.Count;
    }

    [Fact]
    public void Matching_ExpiredRequest_IsLeftOut()
    {
        var product = MatchingData.Product("prd_a");
        var index = RequestIndex.Build(
        [
            new IndexedRequest("frq_1", MatchingData.Need(), Now),
            new IndexedRequest("frq_2", MatchingData.Need(), Now + Duration.FromSeconds(1)),
        ]);

        Assert.Equal(["frq_2"], index.Matching([product], null, 10, Now));
    }

    [Fact]
    public void With_NewerRequests_AppendsAndKeepsTheOldIndexAsItWas()
    {
        var product = MatchingData.Product("prd_a");
        var first = RequestIndex.Build([new IndexedRequest("frq_1", MatchingData.Need(), Now + Duration.FromDays(1))]);

        var second = first.With([new IndexedRequest("frq_2", MatchingData.Need(), Now + Duration.FromDays(1))], ["frq_1"]);

        Assert.Equal(["frq_1"], first.Matching([product], null, 10, Now));
        Assert.Equal(["frq_2"], second.Matching([product], null, 10, Now));
    }

    private static bool Same(RequestIndex index, IEnumerable<IndexedRequest> live, RequestIndexScenario scenario)
    {
        var requests = live.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        foreach (var bank in MatchingArbitraries.Banks)
        {
            var products = scenario.Products.Where(p => p.InstitutionId == bank).ToList();
            var expected = requests
                .Where(r => string.CompareOrdinal(r.Id, scenario.After) > 0 && r.ExpiresAt > Now)
                .Where(r => products.Any(p => MatchingEngine.IsEligible(p, r.Need)))
                .Select(r => r.Id)
                .Take(scenario.Limit)
                .ToList();
            if (!expected.SequenceEqual(index.Matching(products, scenario.After, scenario.Limit, Now)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One batch of changes to the live requests.</summary>
public sealed record RequestChange(IReadOnlyList<IndexedRequest> Added, IReadOnlyList<string> Removed)
{
    /// <inheritdoc />
    public override string ToString() => $"+[{string.Join(", ", Added.Select(a => a.Id))}] -[{string.Join(", ", Removed)}]";
}

/// <summary>Products, the first live requests, later changes, and the page asked for.</summary>
public sealed record RequestIndexScenario(
    IReadOnlyList<ProductTerms> Products, IReadOnlyList<IndexedRequest> Initial, IReadOnlyList<RequestChange> Steps, string? After, int Limit)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"after {After}, limit {Limit}; initial {string.Join(", ", Initial.Select(r => r.Id))}; steps {string.Join("; ", Steps)}";
}

public static class RequestIndexArbitraries
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 0, 0);

    public static Arbitrary<RequestIndexScenario> Scenario() => Arb.From(
        from productCount in Gen.Choose(0, 30)
        from specs in Gen.ArrayOf(MatchingArbitraries.ProductGen, productCount)
        from initialCount in Gen.Choose(0, 60)
        from initial in Gen.ArrayOf(RequestGen, initialCount)
        from stepCount in Gen.Choose(0, 6)
        from steps in Gen.ArrayOf(StepGen, stepCount)
        from after in Gen.Frequency((2, Gen.Constant<string?>(null)), (1, Gen.Choose(0, 999).Select(i => (string?)$"frq_{i:D3}")))
        from limit in Gen.Choose(1, 12)
        select new RequestIndexScenario(
            specs.Select((make, i) => make($"p{i:D3}")).ToList(),
            initial.DistinctBy(r => r.Id).ToList(),
            steps,
            after,
            limit));

    // Ids from a small range, so that added requests land before, among and after the indexed ones and often replace one.
    private static Gen<IndexedRequest> RequestGen =>
        from number in Gen.Choose(0, 999)
        from need in MatchingArbitraries.NeedGen
        from expiresInHours in Gen.Frequency((6, Gen.Choose(1, 100)), (1, Gen.Choose(-5, 0)))
        select new IndexedRequest($"frq_{number:D3}", need, Now + Duration.FromHours(expiresInHours));

    private static Gen<RequestChange> StepGen =>
        from addCount in Gen.Frequency((1, Gen.Choose(0, 0)), (3, Gen.Choose(1, 5)))
        from added in Gen.ArrayOf(Gen.Frequency((1, RequestGen), (2, RequestGen.Select(r => r with { Id = "frq_z" + r.Id[4..] }))), addCount)
        from removeCount in Gen.Choose(0, 5)
        from removed in Gen.ArrayOf(Gen.Choose(0, 999).Select(i => $"frq_{i:D3}"), removeCount)
        select new RequestChange(added.DistinctBy(r => r.Id).ToList(), removed);
}
