namespace FinanceChain.Domain;

/// <summary>
/// A set of sub-note units of one note, held as disjoint, ordered ranges with no two adjacent (they are merged):
/// what was presented, what is paid, what an endorser is liable for. Immutable; written <c>1-100,201-250</c>.
/// </summary>
public sealed class SubNoteRangeSet : IEquatable<SubNoteRangeSet>
{
    private readonly SubNoteRange[] _ranges;

    private SubNoteRangeSet(SubNoteRange[] ranges)
    {
        _ranges = ranges;
        Ranges = Array.AsReadOnly(ranges);
        long count = 0;
        foreach (var range in ranges)
        {
            count = checked(count + range.Count);
        }

        Count = count;
    }

    /// <summary>No units.</summary>
    public static SubNoteRangeSet Empty { get; } = new([]);

    /// <summary>The ranges, ordered, disjoint and not adjacent.</summary>
    public IReadOnlyList<SubNoteRange> Ranges { get; }

    /// <summary>How many units.</summary>
    public long Count { get; }

    /// <summary>What the units are worth: one fen each.</summary>
    public Money Amount => Money.FromFen(Count);

    /// <summary>Whether there are no units.</summary>
    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>The units of <paramref name="ranges"/>, in any order, overlapping or not.</summary>
    public static SubNoteRangeSet Of(IEnumerable<SubNoteRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var sorted = ranges.OrderBy(r => r.From).ToList();
        var merged = new List<SubNoteRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (range.From < SubNoteRange.FirstUnit)
            {
                throw new ArgumentException("A range is not valid (default value).", nameof(ranges));
            }

            if (merged.Count > 0 && (merged[^1].Overlaps(range) || merged[^1].IsFollowedBy(range)))
            {
                merged[^1] = merged[^1].Merge(range);
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged.Count == 0 ? Empty : new SubNoteRangeSet(merged.ToArray());
    }

    /// <summary>The units of <paramref name="ranges"/>.</summary>
    public static SubNoteRangeSet Of(params SubNoteRange[] ranges) => Of((IEnumerable<SubNoteRange>)ranges);

    /// <summary>Units <c>1..<paramref name="totalUnits"/></c>: a whole note.</summary>
    public static SubNoteRangeSet Whole(long totalUnits) => Of(SubNoteRange.Create(1, totalUnits));

    /// <summary>Parses <c>1-100,201-250</c> (the form of <see cref="ToString"/>); the empty string is <see cref="Empty"/>.</summary>
    public static SubNoteRangeSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Of(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SubNoteRange.Parse));
    }

    /// <summary>The units in either set.</summary>
    public SubNoteRangeSet Union(SubNoteRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsEmpty ? this : IsEmpty ? other : Of(_ranges.Concat(other._ranges));
    }

    /// <summary>The units in both sets.</summary>
    public SubNoteRangeSet Intersect(SubNoteRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<SubNoteRange>();
        int i = 0, j = 0;
        while (i < _ranges.Length && j < other._ranges.Length)
        {
            var a = _ranges[i];
            var b = other._ranges[j];
            var from = Math.Max(a.From, b.From);
            var to = Math.Min(a.To, b.To);
            if (from <= to)
            {
                result.Add(SubNoteRange.Create(from, to));
            }

            if (a.To < b.To)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result.Count == 0 ? Empty : new SubNoteRangeSet(result.ToArray());
    }

    /// <summary>The units of this set that are not in <paramref name="other"/>.</summary>
    public SubNoteRangeSet Except(SubNoteRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var result = new List<SubNoteRange>();
        var j = 0;
        foreach (var range in _ranges)
        {
            var from = range.From;
            while (j < other._ranges.Length && other._ranges[j].To < from)
            {
                j++;
            }

            var k = j;
            while (from <= range.To)
            {
                if (k >= other._ranges.Length || other._ranges[k].From > range.To)
                {
                    result.Add(SubNoteRange.Create(from, range.To));
                    break;
                }

                var cut = other._ranges[k];
                if (cut.From > from)
                {
                    result.Add(SubNoteRange.Create(from, cut.From - 1));
                }

                if (cut.To >= range.To)
                {
                    break;
                }

                from = cut.To + 1;
                k++;
            }
        }

        return result.Count == 0 ? Empty : new SubNoteRangeSet(result.ToArray());
    }

    /// <summary>The lowest-numbered <paramref name="count"/> units (at most <see cref="Count"/>, at least 1).</summary>
    public SubNoteRangeSet TakeLowest(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        var result = new List<SubNoteRange>();
        var left = count;
        foreach (var range in _ranges)
        {
            var take = Math.Min(left, range.Count);
            result.Add(SubNoteRange.OfCount(range.From, take));
            left -= take;
            if (left == 0)
            {
                break;
            }
        }

        return new SubNoteRangeSet(result.ToArray());
    }

    /// <summary>Whether every unit of <paramref name="other"/> is in this set.</summary>
    public bool Contains(SubNoteRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Except(this).IsEmpty;
    }

    /// <summary>Whether the two sets share a unit.</summary>
    public bool Overlaps(SubNoteRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return !Intersect(other).IsEmpty;
    }

    /// <inheritdoc />
    public bool Equals(SubNoteRangeSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SubNoteRangeSet other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in _ranges)
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    /// <summary>The ranges as <c>from-to</c> separated by commas, e.g. <c>1-100,201-250</c>; empty for no units.</summary>
    public override string ToString() => string.Join(',', _ranges.Select(r => r.ToString()));
}
