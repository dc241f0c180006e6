using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Notes;

/// <summary>
/// Random histories of a note (endorsements of the lowest sub-notes, discounts, recourse payments that hand sub-notes
/// back to earlier holders), against a model that keeps every unit's chain of holders in a plain list: whatever the
/// holdings merged on the way, each holder's recourse targets are exactly the acceptor and, per unit, the holders
/// before its first appearance in that unit's chain.
/// </summary>
public class RecourseTargetProperties
{
    private const string Acceptor = "ent_acceptor";
    private static readonly string[] Parties = ["ent_payee", "ent_b", "ent_c", "ent_d", "ins_bank", Acceptor];

    /// <summary>A transfer from party <c>From</c> to party <c>To</c> of <c>Percent</c> of its balance, or (when <c>Recourse</c>) a paid recourse claim.</summary>
    public sealed record Step(bool Recourse, int From, int To, int Percent);

    public sealed record Scenario(int Units, IReadOnlyList<Step> Steps)
    {
        public override string ToString() =>
            $"{Units} units: {string.Join("; ", Steps.Select(s => $"{(s.Recourse ? "recourse " : "")}{s.From}->{s.To} {s.Percent}%"))}";
    }

    private static readonly Arbitrary<Scenario> Scenarios = Arb.From(
        from units in Gen.Choose(1, 80)
        from steps in Gen.ListOf(
            from recourse in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from sender in Gen.Frequency((10, Gen.Choose(0, Parties.Length - 2)), (1, Gen.Constant(Parties.Length - 1)))
            from receiver in Gen.Frequency((10, Gen.Choose(0, Parties.Length - 2)), (1, Gen.Constant(Parties.Length - 1)))
            from percent in Gen.Choose(1, 100)
            select new Step(recourse, sender, receiver, percent))
        select new Scenario(units, steps.ToArray()));

    [Property(MaxTest = 400)]
    public Property TargetsAreTheAcceptorAndEachUnitsEarlierHolders() => Prop.ForAll(Scenarios, scenario =>
    {
        var payee = Parties[0];
        var holdings = NoteHoldings.Issue(Money.FromFen(scenario.Units), payee);
        var provenance = NoteProvenance.Issue(scenario.Units, payee);
        var endorsements = new List<NoteEndorsement>();
        // The model: unit u (1-based) has chains[u - 1], payee first, current holder last.
        var chains = Enumerable.Range(0, scenario.Units).Select(_ => new List<string> { payee }).ToArray();

        foreach (var step in scenario.Steps)
        {
            var from = Parties[step.From];
            var held = UnitsOf(chains, from);
            if (held.Count == 0)
            {
                continue;
            }

            SubNoteRangeSet moving;
            string to;
            if (step.Recourse)
            {
                // The holder is paid by an earlier holder of its lowest unit, for units that one is liable for.
                var liable = Earlier(chains[held[0] - 1], from);
                if (liable.Count == 0)
                {
                    continue;
                }

                to = liable[step.To % liable.Count];
                var units = held.Where(u => Earlier(chains[u - 1], from).Contains(to)).ToList();
                moving = Set(units.Take(Math.Max(1, units.Count * step.Percent / 100)));
                holdings = holdings.Move(from, to, moving).After;
            }
            else
            {
                to = Parties[step.To];
                if (to == from)
                {
                    continue;
                }

                var result = holdings.Transfer(from, to, Money.FromFen(Math.Max(1, held.Count * step.Percent / 100)));
                holdings = result.After;
                moving = SubNoteRangeSet.Of(result.Moved);
            }

            var endorsement = new NoteEndorsement(from, to, moving);
            endorsements.Add(endorsement);
            provenance = provenance.Apply(endorsement);
            foreach (var unit in Units(moving))
            {
                chains[unit - 1].Add(to);
            }
        }

        // Replaying the history gives the same provenance as building it step by step.
        Assert.Equal(provenance.Segments.Select(Describe), NoteProvenance.Replay(scenario.Units, payee, endorsements).Segments.Select(Describe));

        foreach (var holder in Parties)
        {
            var held = UnitsOf(chains, holder);
            Assert.Equal(held, Units(SubNoteRangeSet.Of(holdings.RangesOf(holder))));
            if (held.Count == 0)
            {
                continue;
            }

            var targets = provenance.TargetsFor(holder, Set(held), Acceptor);

            Assert.Equal(Acceptor, targets[0].PartyId);
            Assert.Equal(RecourseTargetKind.Acceptor, targets[0].Kind);
            Assert.Equal(held, Units(targets[0].Ranges));
            var expected = held
                .SelectMany(u => Earlier(chains[u - 1], holder).Select(party => (party, u)))
                .GroupBy(x => x.party)
                .ToDictionary(g => g.Key, g => g.Select(x => x.u).Order().ToList());
            var actual = targets.Skip(1).ToDictionary(t => t.PartyId, t => Units(t.Ranges));
            Assert.All(targets.Skip(1), t => Assert.Equal(RecourseTargetKind.Endorser, t.Kind));
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (party, units) in expected)
            {
                Assert.Equal(units, actual[party]);
                Assert.Equal(units.Count, targets.Single(t => t.PartyId == party).Amount.Fen);
            }

            Assert.DoesNotContain(targets.Skip(1), t => t.PartyId == holder || t.PartyId == Acceptor);
        }
    });

    /// <summary>The holders of a unit before <paramref name="holder"/> first held it, without the acceptor (liable anyway).</summary>
    private static List<string> Earlier(List<string> chain, string holder) =>
        chain.Take(chain.IndexOf(holder)).Where(p => p != Acceptor).Distinct().ToList();

    private static List<int> UnitsOf(List<string>[] chains, string holder) =>
        Enumerable.Range(1, chains.Length).Where(u => chains[u - 1][^1] == holder).ToList();

    private static SubNoteRangeSet Set(IEnumerable<int> units) => SubNoteRangeSet.Of(units.Select(u => SubNoteRange.Create(u, u)));

    private static List<int> Units(SubNoteRangeSet set) => set.Ranges.SelectMany(r => Enumerable.Range((int)r.From, (int)r.Count)).ToList();

    private static string Describe((SubNoteRange Range, IReadOnlyList<string> Holders) segment) => $"{segment.Range}:{string.Join('>', segment.Holders)}";
}
