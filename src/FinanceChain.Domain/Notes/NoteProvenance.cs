using System.Collections.Immutable;

namespace FinanceChain.Domain;

/// <summary>Units passing from one holder to the next: an endorsement (背书), a discount, or a paid recourse claim.</summary>
/// <param name="FromId">Who held the units.</param>
/// <param name="ToId">Who holds them afterwards.</param>
/// <param name="Ranges">The units.</param>
public sealed record NoteEndorsement(string FromId, string ToId, SubNoteRangeSet Ranges);

/// <summary>Whom a holder of dishonoured sub-notes may pursue.</summary>
public enum RecourseTargetKind
{
    /// <summary>The acceptor (承兑人), liable for every unit.</summary>
    Acceptor,
    /// <summary>An earlier endorser (前手), liable for the units it passed on towards the holder.</summary>
    Endorser,
}

/// <summary>A party a holder may pursue (追索), for exactly these units.</summary>
/// <param name="PartyId">The acceptor or the earlier endorser.</param>
/// <param name="Kind">Which of the two it is.</param>
/// <param name="Ranges">The units it is liable for.</param>
public sealed record RecourseTarget(string PartyId, RecourseTargetKind Kind, SubNoteRangeSet Ranges)
{
    /// <summary>What it is liable for: the face amount of <see cref="Ranges"/>.</summary>
    public Money Amount => Ranges.Amount;
}

/// <summary>
/// Who held which units of a note, in order, from the payee on: each unit's own chain of holders. Adjacent ranges of
/// one holder are merged in <see cref="NoteHoldings"/>, but units that reached it by different paths have different
/// chains, so recourse targets are computed here, per range, never from the merged holdings. Immutable; built by
/// replaying a note's history (<see cref="Replay"/>).
/// </summary>
public sealed class NoteProvenance
{
    private readonly ImmutableArray<Segment> _segments;

    private NoteProvenance(long totalUnits, ImmutableArray<Segment> segments)
    {
        TotalUnits = totalUnits;
        _segments = segments;
    }

    /// <summary>N, the number of units.</summary>
    public long TotalUnits { get; }

    /// <summary>Ranges with their chains of holders (payee first, current holder last), ordered, covering <c>1..N</c>.</summary>
    public IReadOnlyList<(SubNoteRange Range, IReadOnlyList<string> Holders)> Segments =>
        _segments.Select(s => (s.Range, (IReadOnlyList<string>)s.Holders)).ToArray();

    /// <summary>A new note: every unit held by the payee, who received it from the acceptor.</summary>
    public static NoteProvenance Issue(long totalUnits, string payeeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payeeId);
        return new NoteProvenance(totalUnits, [new Segment(SubNoteRange.Create(1, totalUnits), [payeeId])]);
    }

    /// <summary>The note's provenance after <paramref name="endorsements"/> in order, from its issue to the payee.</summary>
    public static NoteProvenance Replay(long totalUnits, string payeeId, IEnumerable<NoteEndorsement> endorsements)
    {
        ArgumentNullException.ThrowIfNull(endorsements);
        return endorsements.Aggregate(Issue(totalUnits, payeeId), (provenance, e) => provenance.Apply(e));
    }

    /// <summary>
    /// The units of <paramref name="endorsement"/> pass to its new holder. Each must be held by its
    /// <see cref="NoteEndorsement.FromId"/>: otherwise the history is inconsistent, an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public NoteProvenance Apply(NoteEndorsement endorsement)
    {
        ArgumentNullException.ThrowIfNull(endorsement);
        var moving = endorsement.Ranges;
        var result = ImmutableArray.CreateBuilder<Segment>(_segments.Length + 2);
        foreach (var segment in _segments)
        {
            var whole = SubNoteRangeSet.Of(segment.Range);
            var moved = whole.Intersect(moving);
            if (moved.IsEmpty)
            {
                result.Add(segment);
                continue;
            }

            if (segment.Holders[^1] != endorsement.FromId)
            {
                throw new InvalidOperationException(
                    $"Units {moved} are held by {segment.Holders[^1]}, not by {endorsement.FromId} who passes them on.");
            }

            var kept = whole.Except(moved);
            var pieces = moved.Ranges.Select(r => new Segment(r, segment.Holders.Add(endorsement.ToId)))
                .Concat(kept.Ranges.Select(r => new Segment(r, segment.Holders)))
                .OrderBy(s => s.Range.From);
            result.AddRange(pieces);
        }

        if (SubNoteRangeSet.Of(_segments.Select(s => s.Range)).Intersect(moving).Count != moving.Count)
        {
            throw new InvalidOperationException($"Units {moving} are not all units of the note.");
        }

        return new NoteProvenance(TotalUnits, Merge(result.ToImmutable()));
    }

    /// <summary>Who holds each of <paramref name="ranges"/> now (the last of its chain).</summary>
    public IReadOnlyDictionary<string, SubNoteRangeSet> HoldersOf(SubNoteRangeSet ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var byHolder = new Dictionary<string, List<SubNoteRange>>(StringComparer.Ordinal);
        foreach (var segment in _segments)
        {
            foreach (var range in SubNoteRangeSet.Of(segment.Range).Intersect(ranges).Ranges)
            {
                (byHolder.TryGetValue(segment.Holders[^1], out var list) ? list : byHolder[segment.Holders[^1]] = []).Add(range);
            }
        }

        return byHolder.ToDictionary(e => e.Key, e => SubNoteRangeSet.Of(e.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// Whom <paramref name="holderId"/> may pursue for <paramref name="ranges"/>, which it must hold: the acceptor for
    /// all of them, and for each unit every holder before the holder's first appearance in that unit's chain (票据法
    /// art. 68, 69: a holder who was itself an earlier endorser of a unit has no recourse against those who held it
    /// after it). The acceptor comes first, then the endorsers in the order they first held the units, each with
    /// exactly the units it is liable for.
    /// </summary>
    public IReadOnlyList<RecourseTarget> TargetsFor(string holderId, SubNoteRangeSet ranges, string acceptorId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holderId);
        ArgumentNullException.ThrowIfNull(ranges);
        var liable = new Dictionary<string, List<SubNoteRange>>(StringComparer.Ordinal);
        var order = new Dictionary<string, (int Position, long Unit)>(StringComparer.Ordinal);
        foreach (var segment in _segments)
        {
            var covered = SubNoteRangeSet.Of(segment.Range).Intersect(ranges);
            if (covered.IsEmpty)
            {
                continue;
            }

            if (segment.Holders[^1] != holderId)
            {
                throw new InvalidOperationException($"Units {covered} are held by {segment.Holders[^1]}, not by {holderId}.");
            }

            var first = segment.Holders.IndexOf(holderId);
            for (var i = 0; i < first; i++)
            {
                var party = segment.Holders[i];
                if (party == acceptorId)
                {
                    continue;
                }

                (liable.TryGetValue(party, out var list) ? list : liable[party] = []).AddRange(covered.Ranges);
                var position = (i, covered.Ranges[0].From);
                if (!order.TryGetValue(party, out var known) || position.CompareTo(known) < 0)
                {
                    order[party] = position;
                }
            }
        }

        var targets = new List<RecourseTarget> { new(acceptorId, RecourseTargetKind.Acceptor, ranges) };
        targets.AddRange(liable.Keys
            .OrderBy(p => order[p].Position).ThenBy(p => order[p].Unit).ThenBy(p => p, StringComparer.Ordinal)
            .Select(p => new RecourseTarget(p, RecourseTargetKind.Endorser, SubNoteRangeSet.Of(liable[p]))));
        return targets;
    }

    private static ImmutableArray<Segment> Merge(ImmutableArray<Segment> ordered)
    {
        var merged = ImmutableArray.CreateBuilder<Segment>(ordered.Length);
        foreach (var segment in ordered)
        {
            if (merged.Count > 0 && merged[^1].Range.IsFollowedBy(segment.Range) && merged[^1].Holders.SequenceEqual(segment.Holders, StringComparer.Ordinal))
            {
                merged[^1] = merged[^1] with { Range = merged[^1].Range.Merge(segment.Range) };
            }
            else
            {
                merged.Add(segment);
            }
        }

        return merged.ToImmutable();
    }

    private sealed record Segment(SubNoteRange Range, ImmutableList<string> Holders);
}
