using System.Globalization;

namespace FinanceChain.Domain;

/// <summary>
/// An inclusive range of sub-note unit numbers (子票区间) of one note. Each unit is 0.01 yuan and the units
/// of a note of N fen are numbered <c>1..N</c>, so a range of <c>Count</c> units is worth <c>Count</c> fen.
/// Written <c>from-to</c>, e.g. <c>1-15000025</c>.
/// </summary>
/// <remarks>
/// Build one with <see cref="Create"/>; <c>default(SubNoteRange)</c> (<c>0-0</c>) is not a valid range and
/// is never produced by this type.
/// </remarks>
public readonly record struct SubNoteRange
{
    /// <summary>The lowest unit number there is.</summary>
    public const long FirstUnit = 1;

    /// <summary>The highest unit number there can be: a note of the largest accepted amount (1e13 yuan).</summary>
    public static readonly long MaxUnit = Money.MaxValue.Fen;

    private SubNoteRange(long from, long to)
    {
        From = from;
        To = to;
    }

    /// <summary>The first unit number of the range (1-based, inclusive).</summary>
    public long From { get; }

    /// <summary>The last unit number of the range (inclusive).</summary>
    public long To { get; }

    /// <summary>How many units the range holds.</summary>
    public long Count => To - From + 1;

    /// <summary>What the range is worth: one fen per unit.</summary>
    public Money Amount => Money.FromFen(Count);

    /// <summary>
    /// Builds the range <c>from..to</c>. <paramref name="from"/> must be at least 1, <paramref name="to"/> at
    /// least <paramref name="from"/> and at most <see cref="MaxUnit"/>; otherwise
    /// <see cref="DomainValidationException"/>.
    /// </summary>
    public static SubNoteRange Create(long from, long to)
    {
        if (from < FirstUnit)
        {
            throw new DomainValidationException("from", "subNoteRangeFromBelowOne");
        }

        if (to < from)
        {
            throw new DomainValidationException("to", "subNoteRangeToBelowFrom");
        }

        if (to > MaxUnit)
        {
            throw new DomainValidationException("to", "subNoteRangeToTooHigh", MaxUnit);
        }

        return new SubNoteRange(from, to);
    }

    /// <summary>The <paramref name="count"/> units starting at <paramref name="from"/>.</summary>
    public static SubNoteRange OfCount(long from, long count)
    {
        if (count < 1)
        {
            throw new DomainValidationException("count", "subNoteRangeCountBelowOne");
        }

        return Create(from, checked(from + count - 1));
    }

    /// <summary>Parses the <c>from-to</c> form written by <see cref="ToString"/>.</summary>
    public static SubNoteRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            throw new FormatException($"'{text}' is not a sub-note range such as 1-100.");
        }

        return Create(from, to);
    }

    /// <summary>Whether <paramref name="unit"/> lies in the range.</summary>
    public bool Contains(long unit) => unit >= From && unit <= To;

    /// <summary>Whether the two ranges share at least one unit.</summary>
    public bool Overlaps(SubNoteRange other) => From <= other.To && other.From <= To;

    /// <summary>Whether <paramref name="next"/> starts right after this range ends (no gap, no overlap).</summary>
    public bool IsFollowedBy(SubNoteRange next) => To != long.MaxValue && To + 1 == next.From;

    /// <summary>Whether the two ranges touch end to start, in either order, without overlapping.</summary>
    public bool IsAdjacentTo(SubNoteRange other) => IsFollowedBy(other) || other.IsFollowedBy(this);

    /// <summary>
    /// The single range covering this one and <paramref name="other"/>, which must overlap or be adjacent;
    /// otherwise <see cref="ArgumentException"/>.
    /// </summary>
    public SubNoteRange Merge(SubNoteRange other)
    {
        if (!Overlaps(other) && !IsAdjacentTo(other))
        {
            throw new ArgumentException($"{this} and {other} neither overlap nor touch.", nameof(other));
        }

        return new SubNoteRange(Math.Min(From, other.From), Math.Max(To, other.To));
    }

    /// <summary>The range as <c>from-to</c>, e.g. <c>1-15000025</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{From}-{To}");
}
