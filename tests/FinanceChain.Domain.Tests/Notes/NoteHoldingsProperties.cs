using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Notes;

/// <summary>Random sequences of transfers among a few holders, checked against a simple model of balances.</summary>
public class NoteHoldingsProperties
{
    private static readonly string[] Holders = ["ent_a", "ent_b", "ent_c", "ins_d"];

    /// <summary>
    /// One attempted transfer. The amount is chosen when it is applied, from what the sender then holds:
    /// <c>Percent</c> 0-100 takes that share of it (at least one fen), above 100 asks for that many fen more
    /// than it holds, so refusals are tried as often as successes.
    /// </summary>
    public sealed record Step(int From, int To, int Percent);

    public sealed record Scenario(long TotalUnits, IReadOnlyList<Step> Steps)
    {
        public override string ToString() =>
            $"{TotalUnits} units: {string.Join("; ", Steps.Select(s => $"{s.From}->{s.To} {s.Percent}%"))}";
    }

    private static readonly Gen<long> TotalUnits = Gen.OneOf(
        Gen.Choose(1, 40).Select(n => (long)n),
        Gen.Choose(1, 10_000_000).Select(n => (long)n),
        Gen.Choose(0, 1_000_000).Select(n => Money.MaxValue.Fen - n));

    private static readonly Gen<Step> Steps =
        from sender in Gen.Choose(0, Holders.Length - 1)
        from receiver in Gen.Choose(0, Holders.Length - 1)
        from percent in Gen.Frequency((6, Gen.Choose(0, 100)), (1, Gen.Choose(101, 103)), (1, Gen.Constant(100)))
        select new Step(sender, receiver, percent);

    private static readonly Arbitrary<Scenario> Scenarios = Arb.From(
        from total in TotalUnits
        from steps in Gen.ListOf(Steps)
        select new Scenario(total, steps.ToArray()));

    [Property(MaxTest = 300)]
    public Property RandomTransfers_KeepPartitionSumAndModelBalances() => Prop.ForAll(Scenarios, scenario =>
    {
        var holdings = NoteHoldings.Issue(Money.FromFen(scenario.TotalUnits), Holders[0]);
        var model = Holders.ToDictionary(h => h, _ => 0L);
        model[Holders[0]] = scenario.TotalUnits;

        foreach (var step in scenario.Steps)
        {
            var from = Holders[step.From];
            var to = Holders[step.To];
            var held = model[from];
            var amount = step.Percent <= 100
                ? Math.Max(1, (long)((Int128)held * step.Percent / 100))
                : held + step.Percent - 100;
            var before = holdings.Ranges.ToArray();
            var fromRangesBefore = holdings.RangesOf(from);

            if (from == to)
            {
                Assert.Throws<DomainValidationException>(() => holdings.Transfer(from, to, Money.FromFen(amount)));
                Assert.Equal(before, holdings.Ranges);
                continue;
            }

            if (amount > held)
            {
                Assert.Throws<DomainConflictException>(() => holdings.Transfer(from, to, Money.FromFen(amount)));
                Assert.Equal(before, holdings.Ranges);
                continue;
            }

            var result = holdings.Transfer(from, to, Money.FromFen(amount));
            model[from] -= amount;
            model[to] += amount;

            Assert.Equal(before, holdings.Ranges);
            Assert.Equal(amount, result.Amount.Fen);
            Assert.Equal(LowestUnits(fromRangesBefore, amount), result.Moved);
            Assert.All(result.Moved, moved => Assert.Contains(result.After.RangesOf(to), r => r.From <= moved.From && moved.To <= r.To));

            holdings = result.After;
            AssertPartition(holdings, scenario.TotalUnits);
            foreach (var holder in Holders)
            {
                Assert.Equal(model[holder], holdings.Held(holder).Fen);
            }
        }

        var reloaded = NoteHoldings.FromRanges(scenario.TotalUnits, holdings.Ranges.Reverse());
        Assert.Equal(holdings.Ranges, reloaded.Ranges);
    });

    [Property(MaxTest = 200)]
    public Property FromRanges_AnySplitOfOneToN_IsAccepted_AndAnyGapOrOverlapIsRefused() => Prop.ForAll(
        Arb.From(
            from total in Gen.Choose(2, 1_000)
            from cuts in Gen.ListOf(Gen.Choose(1, total - 1))
            from owners in Gen.ArrayOf(Gen.Choose(0, Holders.Length - 1), cuts.Count + 1)
            from broken in Gen.Choose(0, 2)
            select (total, cuts: cuts.Distinct().Order().ToArray(), owners, broken)),
        input =>
        {
            // Split 1..total after each cut.
            var ranges = new List<NoteHolding>();
            long start = 1;
            for (var i = 0; i <= input.cuts.Length; i++)
            {
                long end = i < input.cuts.Length ? input.cuts[i] : input.total;
                ranges.Add(new NoteHolding(Holders[input.owners[i]], SubNoteRange.Create(start, end)));
                start = end + 1;
            }

            var good = NoteHoldings.FromRanges(input.total, ranges);
            AssertPartition(good, input.total);

            var last = ranges[^1];
            switch (input.broken)
            {
                case 0 when last.Range.Count > 1:
                    // Drop the last unit: a gap at the end.
                    ranges[^1] = last with { Range = SubNoteRange.Create(last.Range.From, last.Range.To - 1) };
                    break;
                case 0:
                    // The last range is one unit: dropping it leaves a gap at the end.
                    ranges.RemoveAt(ranges.Count - 1);
                    break;
                case 1:
                    // Claim unit 1 a second time: an overlap.
                    ranges.Add(new NoteHolding(Holders[0], SubNoteRange.Create(1, 1)));
                    break;
                default:
                    // Remove the first range: a gap at the start.
                    ranges.RemoveAt(0);
                    break;
            }

            Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(input.total, ranges));
        });

    private static void AssertPartition(NoteHoldings holdings, long totalUnits)
    {
        holdings.CheckInvariant();
        long next = 1;
        string? previous = null;
        foreach (var holding in holdings.Ranges)
        {
            Assert.Equal(next, holding.Range.From);
            Assert.NotEqual(previous, holding.HolderId);
            next = holding.Range.To + 1;
            previous = holding.HolderId;
        }

        Assert.Equal(totalUnits, next - 1);
        Assert.Equal(totalUnits, holdings.Ranges.Sum(r => r.Range.Count));
        Assert.Equal(totalUnits, holdings.Balances().Sum(b => b.Amount.Fen));
    }

    private static List<SubNoteRange> LowestUnits(IReadOnlyList<SubNoteRange> ranges, long amount)
    {
        var taken = new List<SubNoteRange>();
        foreach (var range in ranges)
        {
            if (amount == 0)
            {
                break;
            }

            var take = Math.Min(amount, range.Count);
            taken.Add(SubNoteRange.OfCount(range.From, take));
            amount -= take;
        }

        return taken;
    }
}
