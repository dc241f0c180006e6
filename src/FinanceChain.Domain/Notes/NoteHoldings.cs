using System.Text;

namespace FinanceChain.Domain;

/// <summary>One holder's sub-note range of a note.</summary>
/// <param name="HolderId">The enterprise or institution holding the range.</param>
/// <param name="Range">The units held.</param>
public readonly record struct NoteHolding(string HolderId, SubNoteRange Range)
{
    /// <summary>What the range is worth.</summary>
    public Money Amount => Range.Amount;
}

/// <summary>What one holder holds of a note in total.</summary>
/// <param name="HolderId">The enterprise or institution.</param>
/// <param name="Amount">The sum of its ranges.</param>
public readonly record struct HolderBalance(string HolderId, Money Amount);

/// <summary>The outcome of <see cref="NoteHoldings.Transfer"/>.</summary>
/// <param name="After">The holdings after the transfer.</param>
/// <param name="Moved">The ranges that changed hands, lowest first (for the note's history).</param>
public sealed record TransferResult(NoteHoldings After, IReadOnlyList<SubNoteRange> Moved)
{
    /// <summary>The amount moved: the sum of <see cref="Moved"/>.</summary>
    public Money Amount => Money.FromFen(Moved.Sum(r => r.Count));
}

/// <summary>
/// Who holds which sub-notes of one note of N units (N = the amount in fen). Immutable.
/// </summary>
/// <remarks>
/// Invariant, checked whenever an instance is built: the ranges are ordered by <c>From</c>, disjoint, cover
/// <c>1..N</c> exactly (so they sum to the note's amount), and two adjacent ranges never have the same
/// holder (they are merged).
/// </remarks>
public sealed class NoteHoldings
{
    private readonly NoteHolding[] _ranges;

    private NoteHoldings(long totalUnits, NoteHolding[] ranges)
    {
        TotalUnits = totalUnits;
        _ranges = ranges;
        Ranges = Array.AsReadOnly(ranges);
        CheckInvariant();
    }

    /// <summary>N: the number of 0.01-yuan units of the note.</summary>
    public long TotalUnits { get; }

    /// <summary>The note's face amount.</summary>
    public Money Amount => Money.FromFen(TotalUnits);

    /// <summary>Every range with its holder, ordered by <c>From</c>.</summary>
    public IReadOnlyList<NoteHolding> Ranges { get; }

    /// <summary>
    /// The holdings of a new note: the payee holds every unit, <c>1..N</c>. The amount must be above zero
    /// (<see cref="DomainValidationException"/> on <c>amount</c>); an empty payee id is an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public static NoteHoldings Issue(Money amount, string payeeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payeeId);
        if (amount.Fen <= 0)
        {
            throw new DomainValidationException("amount", "noteAmountNotPositive");
        }

        return new NoteHoldings(amount.Fen, [new NoteHolding(payeeId, SubNoteRange.Create(1, amount.Fen))]);
    }

    /// <summary>
    /// Rebuilds holdings from stored ranges in any order, merging adjacent ranges of the same holder.
    /// Ranges that overlap, leave a gap, run past <paramref name="totalUnits"/> or lack a holder break the
    /// invariant: that is a fault in stored data, not a client error, and fails with
    /// <see cref="InvalidOperationException"/> naming the first problem.
    /// </summary>
    public static NoteHoldings FromRanges(long totalUnits, IEnumerable<NoteHolding> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (totalUnits < 1 || totalUnits > SubNoteRange.MaxUnit)
        {
            throw new InvalidOperationException($"A note of {totalUnits} units cannot exist.");
        }

        var sorted = ranges.OrderBy(r => r.Range.From).ThenBy(r => r.Range.To).ToArray();
        foreach (var holding in sorted)
        {
            if (string.IsNullOrWhiteSpace(holding.HolderId))
            {
                throw new InvalidOperationException($"Range {holding.Range} has no holder.");
            }

            if (holding.Range.From < SubNoteRange.FirstUnit)
            {
                throw new InvalidOperationException("A range is not valid (default value).");
            }
        }

        // Report gaps and overlaps here with a precise message; the constructor checks everything again.
        var expectedFrom = SubNoteRange.FirstUnit;
        foreach (var holding in sorted)
        {
            if (holding.Range.From > expectedFrom)
            {
                throw new InvalidOperationException(
                    $"Holdings leave units {expectedFrom}-{holding.Range.From - 1} without a holder.");
            }

            if (holding.Range.From < expectedFrom)
            {
                throw new InvalidOperationException(
                    $"Range {holding.Range} overlaps units held by another range.");
            }

            expectedFrom = holding.Range.To + 1;
        }

        if (expectedFrom - 1 != totalUnits)
        {
            throw new InvalidOperationException(expectedFrom - 1 < totalUnits
                ? $"Holdings leave units {expectedFrom}-{totalUnits} without a holder."
                : $"Holdings run to unit {expectedFrom - 1}, past the note's {totalUnits} units.");
        }

        return new NoteHoldings(totalUnits, MergeAdjacent(sorted));
    }

    /// <summary>What <paramref name="holderId"/> holds in total (zero if it holds nothing).</summary>
    public Money Held(string holderId)
    {
        long fen = 0;
        foreach (var holding in _ranges)
        {
            if (IsHolder(holding, holderId))
            {
                fen = checked(fen + holding.Range.Count);
            }
        }

        return Money.FromFen(fen);
    }

    /// <summary>The ranges <paramref name="holderId"/> holds, lowest first.</summary>
    public IReadOnlyList<SubNoteRange> RangesOf(string holderId) =>
        _ranges.Where(h => IsHolder(h, holderId)).Select(h => h.Range).ToArray();

    /// <summary>Every holder with its total, ordered by the lowest unit each holds.</summary>
    public IReadOnlyList<HolderBalance> Balances()
    {
        var order = new List<string>();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var holding in _ranges)
        {
            if (totals.TryGetValue(holding.HolderId, out var sum))
            {
                totals[holding.HolderId] = checked(sum + holding.Range.Count);
            }
            else
            {
                order.Add(holding.HolderId);
                totals[holding.HolderId] = holding.Range.Count;
            }
        }

        return order.Select(id => new HolderBalance(id, Money.FromFen(totals[id]))).ToArray();
    }

    /// <summary>
    /// Moves <paramref name="amount"/> from one holder to another, taking the LOWEST-numbered sub-notes the
    /// sender holds: this may take several of its ranges and split the last one. Returns new holdings; this
    /// instance never changes, so a refused transfer changes nothing.
    /// </summary>
    /// <remarks>
    /// The amount is whole fen by construction of <see cref="Money"/> and must be above zero
    /// (<see cref="DomainValidationException"/> on <c>amount</c>); sending to oneself is a
    /// <see cref="DomainValidationException"/> on <c>toEnterpriseId</c>; more than the sender holds (including
    /// a sender that holds nothing) is a <see cref="DomainConflictException"/> <c>noteBalanceInsufficient</c> with what it
    /// holds and what was asked.
    /// </remarks>
    public TransferResult Transfer(string fromHolderId, string toHolderId, Money amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromHolderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(toHolderId);
        if (string.Equals(fromHolderId, toHolderId, StringComparison.Ordinal))
        {
            throw new DomainValidationException("toEnterpriseId", "noteTransferToSelf");
        }

        if (amount.Fen <= 0)
        {
            throw new DomainValidationException("amount", "noteAmountNotPositive");
        }

        var held = Held(fromHolderId);
        if (amount > held)
        {
            throw new DomainConflictException("noteBalanceInsufficient", held, amount);
        }

        var remaining = amount.Fen;
        var moved = new List<SubNoteRange>();
        var next = new List<NoteHolding>(_ranges.Length + 2);
        foreach (var holding in _ranges)
        {
            if (remaining == 0 || !IsHolder(holding, fromHolderId))
            {
                next.Add(holding);
                continue;
            }

            var range = holding.Range;
            var take = Math.Min(remaining, range.Count);
            var taken = SubNoteRange.OfCount(range.From, take);
            moved.Add(taken);
            next.Add(new NoteHolding(toHolderId, taken));
            if (take < range.Count)
            {
                next.Add(new NoteHolding(fromHolderId, SubNoteRange.Create(taken.To + 1, range.To)));
            }

            remaining -= take;
        }

        return new TransferResult(new NoteHoldings(TotalUnits, MergeAdjacent(next)), moved.AsReadOnly());
    }

    /// <summary>
    /// Moves exactly <paramref name="ranges"/> from one holder to another (a paid recourse claim: the endorser who paid
    /// takes the claimant's sub-notes). Every unit must be held by <paramref name="fromHolderId"/>
    /// (<see cref="DomainConflictException"/> <c>noteRangesNotHeld</c> otherwise); moving to oneself is a
    /// <see cref="DomainValidationException"/>. Returns new holdings; this instance never changes.
    /// </summary>
    public TransferResult Move(string fromHolderId, string toHolderId, SubNoteRangeSet ranges)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromHolderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(toHolderId);
        ArgumentNullException.ThrowIfNull(ranges);
        if (string.Equals(fromHolderId, toHolderId, StringComparison.Ordinal))
        {
            throw new DomainValidationException("toEnterpriseId", "noteTransferToSelf");
        }

        if (ranges.IsEmpty || !SubNoteRangeSet.Of(RangesOf(fromHolderId)).Contains(ranges))
        {
            throw new DomainConflictException("noteRangesNotHeld", ranges.ToString());
        }

        var next = new List<NoteHolding>(_ranges.Length + 2 * ranges.Ranges.Count);
        foreach (var holding in _ranges)
        {
            if (!IsHolder(holding, fromHolderId))
            {
                next.Add(holding);
                continue;
            }

            var own = SubNoteRangeSet.Of(holding.Range);
            next.AddRange(own.Intersect(ranges).Ranges.Select(r => new NoteHolding(toHolderId, r)));
            next.AddRange(own.Except(ranges).Ranges.Select(r => new NoteHolding(fromHolderId, r)));
        }

        var ordered = next.OrderBy(h => h.Range.From).ToArray();
        return new TransferResult(new NoteHoldings(TotalUnits, MergeAdjacent(ordered)), ranges.Ranges);
    }

    /// <summary>
    /// Checks the invariant (ordered, disjoint, covering <c>1..N</c>, adjacent ranges of one holder merged)
    /// and throws <see cref="InvalidOperationException"/> if it is broken. Every instance is checked when
    /// built; this is for callers that want to assert it again.
    /// </summary>
    public void CheckInvariant()
    {
        if (_ranges.Length == 0)
        {
            throw new InvalidOperationException("A note must have at least one holding.");
        }

        var expectedFrom = SubNoteRange.FirstUnit;
        string? previousHolder = null;
        foreach (var holding in _ranges)
        {
            if (string.IsNullOrWhiteSpace(holding.HolderId))
            {
                throw new InvalidOperationException($"Range {holding.Range} has no holder.");
            }

            if (holding.Range.From != expectedFrom || holding.Range.To < holding.Range.From)
            {
                throw new InvalidOperationException(
                    $"Range {holding.Range} should start at unit {expectedFrom}: holdings must be ordered, disjoint and without gaps.");
            }

            if (string.Equals(previousHolder, holding.HolderId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Range {holding.Range} of {holding.HolderId} should be merged with the range before it.");
            }

            previousHolder = holding.HolderId;
            expectedFrom = holding.Range.To + 1;
        }

        if (expectedFrom - 1 != TotalUnits)
        {
            throw new InvalidOperationException(
                $"Holdings cover 1-{expectedFrom - 1} but the note has {TotalUnits} units.");
        }
    }

    /// <summary>The holdings as <c>holder:from-to</c> pairs, e.g. <c>a:1-100, b:101-250</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var holding in _ranges)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(holding.HolderId).Append(':').Append(holding.Range.ToString());
        }

        return text.ToString();
    }

    private static bool IsHolder(NoteHolding holding, string holderId) =>
        string.Equals(holding.HolderId, holderId, StringComparison.Ordinal);

    private static NoteHolding[] MergeAdjacent(IEnumerable<NoteHolding> ordered)
    {
        var merged = new List<NoteHolding>();
        foreach (var holding in ordered)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (IsHolder(last, holding.HolderId) && last.Range.IsFollowedBy(holding.Range))
                {
                    merged[^1] = last with { Range = last.Range.Merge(holding.Range) };
                    continue;
                }
            }

            merged.Add(holding);
        }

        return merged.ToArray();
    }
}
