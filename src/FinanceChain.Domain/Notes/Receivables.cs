namespace FinanceChain.Domain;

/// <summary>Where a receivable (应收账款) stands, as on the PBoC receivables-financing platform.</summary>
public enum ReceivableStatus
{
    /// <summary>Registered by the supplier (creditor); the debtor has not confirmed it yet.</summary>
    Registered,
    /// <summary>Confirmed by the debtor (确权): good for one financing, or for notes up to what remains of it.</summary>
    Confirmed,
    /// <summary>Rejected by the debtor, with a reason. Final.</summary>
    Rejected,
    /// <summary>Cancelled by the creditor before confirmation. Final.</summary>
    Cancelled,
    /// <summary>Financed by a bank. Final: it cannot be used again.</summary>
    Financed,
    /// <summary>Wholly turned into supply-chain notes (应收账款票据化): nothing remains. Final.</summary>
    ConvertedToNote,
}

/// <summary>What remains of a receivable after part of it became a note.</summary>
/// <param name="Status"><see cref="ReceivableStatus.Confirmed"/> while something remains, else <see cref="ReceivableStatus.ConvertedToNote"/>.</param>
/// <param name="Remaining">What is left for further notes or a financing.</param>
public readonly record struct ReceivableConversion(ReceivableStatus Status, Money Remaining);

/// <summary>
/// The moves a receivable can make: registered → confirmed, rejected (by the debtor) or cancelled (by the creditor);
/// confirmed → financed, or into notes part by part until nothing remains (converted). A confirmed receivable backs
/// ONE financing, or notes that together do not exceed it, never both and never twice. Every other move is a
/// <see cref="DomainConflictException"/> (409).
/// </summary>
/// <remarks>
/// Each method returns the new state; the caller stores it with a guard on the old one
/// (<c>UPDATE … WHERE status = @old AND remaining_fen &gt;= @amount</c>) so that two concurrent uses cannot both succeed.
/// </remarks>
public static class ReceivableTransitions
{
    /// <summary>The debtor confirms the receivable (确权): only a registered one can be confirmed.</summary>
    public static ReceivableStatus Confirm(this ReceivableStatus current) => current switch
    {
        ReceivableStatus.Registered => ReceivableStatus.Confirmed,
        ReceivableStatus.Confirmed => throw new DomainConflictException("receivableAlreadyConfirmed"),
        _ => throw NotRegistered(current, "receivableActionConfirm"),
    };

    /// <summary>The debtor rejects the receivable instead of confirming it: only a registered one can be rejected.</summary>
    public static ReceivableStatus Reject(this ReceivableStatus current) =>
        current == ReceivableStatus.Registered ? ReceivableStatus.Rejected : throw NotRegistered(current, "receivableActionReject");

    /// <summary>The creditor withdraws the receivable before its debtor has confirmed it.</summary>
    public static ReceivableStatus Cancel(this ReceivableStatus current) =>
        current == ReceivableStatus.Registered ? ReceivableStatus.Cancelled : throw NotRegistered(current, "receivableActionCancel");

    /// <summary>A bank finances the receivable: it must be confirmed and not used yet.</summary>
    public static ReceivableStatus Finance(this ReceivableStatus current)
    {
        EnsureAvailable(current);
        return ReceivableStatus.Financed;
    }

    /// <summary>
    /// The debtor issues a note of <paramref name="noteAmount"/> from what remains of the receivable
    /// (<paramref name="remaining"/>): the receivable must be confirmed and not financed (conflict otherwise), and the
    /// note may not exceed what remains (<see cref="DomainValidationException"/> <c>receivableNoteExceedsRemaining</c>
    /// on <c>amount</c>). The receivable is converted once nothing remains.
    /// </summary>
    public static ReceivableConversion ConvertToNote(this ReceivableStatus current, Money remaining, Money noteAmount)
    {
        EnsureAvailable(current);
        if (noteAmount.Fen <= 0)
        {
            throw new DomainValidationException("amount", "noteAmountNotPositive");
        }

        if (noteAmount > remaining)
        {
            throw new DomainValidationException("amount", "receivableNoteExceedsRemaining", remaining);
        }

        var left = remaining - noteAmount;
        return new ReceivableConversion(left == Money.Zero ? ReceivableStatus.ConvertedToNote : ReceivableStatus.Confirmed, left);
    }

    /// <summary>Whether the receivable can still back a financing or a note: confirmed, and something remains.</summary>
    public static bool IsAvailable(this ReceivableStatus current) => current == ReceivableStatus.Confirmed;

    /// <summary>Throws <see cref="DomainConflictException"/> unless <see cref="IsAvailable"/>.</summary>
    public static void EnsureAvailable(this ReceivableStatus current)
    {
        switch (current)
        {
            case ReceivableStatus.Confirmed:
                return;
            case ReceivableStatus.Registered:
                throw new DomainConflictException("receivableNotConfirmed");
            case ReceivableStatus.Rejected:
            case ReceivableStatus.Cancelled:
                throw new DomainConflictException("receivableClosed", Describe(current));
            case ReceivableStatus.Financed:
            case ReceivableStatus.ConvertedToNote:
                throw new DomainConflictException("receivableAlreadyUsed", Describe(current));
            default:
                throw new ArgumentOutOfRangeException(nameof(current), current, "Unknown receivable status.");
        }
    }

    /// <summary>The status as a value of an error: its text is that of <c>receivableStatus…</c> (<c>receivableStatusFinanced</c>).</summary>
    public static TextRef Describe(ReceivableStatus status) =>
        Enum.IsDefined(status)
            ? new TextRef("receivableStatus" + status)
            : throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown receivable status.");

    private static DomainConflictException NotRegistered(ReceivableStatus current, string action) =>
        new("receivableNotRegistered", Describe(current), new TextRef(action));
}

/// <summary>
/// How much a bank may lend on a receivable (融资比例): at most the product's advance ratio of what remains of the
/// receivable, for a term that ends no later than the receivable's due date. Banks usually lend up to 90 %.
/// </summary>
public static class AdvanceLimit
{
    /// <summary>The ratio a product lends at when its bank names none: 90 %.</summary>
    public const int DefaultRatioBps = 9_000;

    /// <summary>The highest ratio: the whole remaining amount.</summary>
    public const int MaxRatioBps = 10_000;

    /// <summary>The most that may be lent on <paramref name="remaining"/> at <paramref name="ratioBps"/>, rounded down to the fen.</summary>
    public static Money MaxAdvance(Money remaining, int ratioBps)
    {
        CheckRatio(ratioBps);
        return Money.FromFen((long)((Int128)remaining.Fen * ratioBps / MaxRatioBps));
    }

    /// <summary>
    /// The least a receivable must still have for <paramref name="advance"/> to be within <paramref name="ratioBps"/>
    /// of it: the smallest remaining amount whose <see cref="MaxAdvance"/> is at least <paramref name="advance"/>.
    /// Used as the guard of the statement that marks a receivable financed.
    /// </summary>
    public static long MinimumRemainingFen(Money advance, int ratioBps)
    {
        CheckRatio(ratioBps);
        var numerator = (Int128)advance.Fen * MaxRatioBps;
        return (long)((numerator + ratioBps - 1) / ratioBps);
    }

    /// <summary>The last day of a financing of <paramref name="termDays"/> days starting on <paramref name="startDate"/>.</summary>
    public static NodaTime.LocalDate TermEnd(NodaTime.LocalDate startDate, int termDays) => startDate.PlusDays(termDays);

    /// <summary>
    /// Checks a financing of <paramref name="amount"/> for <paramref name="termDays"/> days from
    /// <paramref name="startDate"/> against a receivable with <paramref name="remaining"/> left, due on
    /// <paramref name="receivableDueDate"/>, at the product's <paramref name="ratioBps"/>. More than the limit is a
    /// <see cref="DomainConflictException"/> <c>advanceExceedsLimit</c>; a term ending after the due date
    /// <c>advanceTermBeyondReceivableDue</c>.
    /// </summary>
    public static void Check(Money amount, int termDays, NodaTime.LocalDate startDate, Money remaining, NodaTime.LocalDate receivableDueDate, int ratioBps)
    {
        var limit = MaxAdvance(remaining, ratioBps);
        if (amount > limit)
        {
            throw new DomainConflictException("advanceExceedsLimit", amount, limit, new RateArg(ratioBps), remaining);
        }

        var end = TermEnd(startDate, termDays);
        if (end > receivableDueDate)
        {
            throw new DomainConflictException("advanceTermBeyondReceivableDue", end, receivableDueDate);
        }
    }

    private static void CheckRatio(int ratioBps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratioBps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratioBps, MaxRatioBps);
    }
}
