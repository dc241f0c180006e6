using NodaTime;

namespace FinanceChain.Domain;

/// <summary>
/// The stored state of a note, derived from its parts (<see cref="MaturingNote.Status"/>) whenever they change.
/// Whether it is overdue depends on the date and is computed.
/// </summary>
public enum NoteStatus
{
    /// <summary>Issued and accepted, not yet paid: it can be passed on and discounted until its due date, then presented.</summary>
    Outstanding,
    /// <summary>A presented part was dishonoured (拒付) and is not paid yet: its holders pursue recourse (追索).</summary>
    Dishonoured,
    /// <summary>Every sub-note is paid. Final.</summary>
    Settled,
}

/// <summary>The state of a note as shown on a given day.</summary>
public enum NoteStatusView
{
    /// <summary>Not paid, and the due date has not passed.</summary>
    Outstanding,
    /// <summary>Not paid, and the due date has passed.</summary>
    Overdue,
    /// <summary>A presented part was dishonoured and is not paid yet.</summary>
    Dishonoured,
    /// <summary>Paid.</summary>
    Settled,
}

/// <summary>
/// What may happen to a note when. Only <see cref="NoteStatus"/> is stored; "overdue" is computed from the
/// due date and today's business date (Asia/Shanghai), so it never goes stale.
/// </summary>
public static class NoteLifecycle
{
    /// <summary>
    /// The note's state as seen on <paramref name="today"/>: an unpaid note is overdue from the day after
    /// its due date (on the due date itself it is due, not overdue), unless a part of it was dishonoured.
    /// </summary>
    public static NoteStatusView View(NoteStatus status, LocalDate dueDate, LocalDate today) => status switch
    {
        NoteStatus.Settled => NoteStatusView.Settled,
        NoteStatus.Dishonoured => NoteStatusView.Dishonoured,
        NoteStatus.Outstanding when today > dueDate => NoteStatusView.Overdue,
        NoteStatus.Outstanding => NoteStatusView.Outstanding,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown note status."),
    };

    /// <summary>Whether the note is unpaid, not dishonoured, and past its due date on <paramref name="today"/>.</summary>
    public static bool IsOverdue(NoteStatus status, LocalDate dueDate, LocalDate today) =>
        View(status, dueDate, today) == NoteStatusView.Overdue;

    /// <summary>
    /// Checks that sub-notes can be passed on (endorsed) or discounted on <paramref name="today"/>: the
    /// note must not be settled (<c>noteSettled</c>) and <paramref name="today"/> before the due date
    /// (<c>noteDueNoTransfer</c>). From the due date on, a note is presented for payment, not passed on.
    /// Otherwise <see cref="DomainConflictException"/>.
    /// </summary>
    public static void EnsureCanTransfer(NoteStatus status, LocalDate dueDate, LocalDate today)
    {
        if (status == NoteStatus.Settled)
        {
            throw new DomainConflictException("noteSettled");
        }

        if (today >= dueDate)
        {
            throw new DomainConflictException("noteDueNoTransfer", dueDate);
        }
    }
}
