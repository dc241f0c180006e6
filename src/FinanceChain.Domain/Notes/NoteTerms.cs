using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace FinanceChain.Domain;

/// <summary>The rules on a note's term (付款期限).</summary>
/// <remarks>
/// Legal basis: 商业汇票承兑、贴现与再贴现管理办法 (Measures for the Administration of the Acceptance, Discount
/// and Rediscount of Commercial Drafts), order No. 4 [2022] of the People's Bank of China and the China
/// Banking and Insurance Regulatory Commission (PBoC/CBIRC order 2022 No. 4), in force since 2023-01-01.
/// It limits the term of a commercial draft, paper or electronic, to at most 6 months from the issue date,
/// replacing the former one-year limit for electronic drafts. Supply-chain notes are electronic commercial
/// drafts and follow the same limit.
/// </remarks>
public static class NoteTerms
{
    /// <summary>The longest term a note may have, in calendar months from the issue date.</summary>
    public const int MaxTermMonths = 6;

    /// <summary>
    /// The latest due date allowed for a note issued on <paramref name="issueDate"/>: the same day of the
    /// month 6 months later, clamped to the end of a shorter month (issued Aug 31 → Feb 28, or Feb 29 in a
    /// leap year; issued Mar 31 → Sep 30).
    /// </summary>
    public static LocalDate LatestDueDate(LocalDate issueDate) => issueDate.PlusMonths(MaxTermMonths);

    /// <summary>
    /// Checks a new note's due date against its issue date (the business date of issue, Asia/Shanghai):
    /// the due date must be strictly after the issue date (<c>noteDueDateNotAfterIssue</c>) and no later than
    /// <see cref="LatestDueDate"/> (inclusive; <c>noteDueDateBeyondMaxTerm</c>). Otherwise
    /// <see cref="DomainValidationException"/> on <c>dueDate</c>.
    /// </summary>
    public static void Validate(LocalDate issueDate, LocalDate dueDate)
    {
        if (!TryValidate(issueDate, dueDate, out var error))
        {
            throw error;
        }
    }

    /// <summary>As <see cref="Validate"/>, returning the error instead of throwing it.</summary>
    public static bool TryValidate(LocalDate issueDate, LocalDate dueDate, [NotNullWhen(false)] out DomainValidationException? error)
    {
        if (dueDate <= issueDate)
        {
            error = new DomainValidationException("dueDate", "noteDueDateNotAfterIssue", issueDate);
            return false;
        }

        var latest = LatestDueDate(issueDate);
        if (dueDate > latest)
        {
            error = new DomainValidationException("dueDate", "noteDueDateBeyondMaxTerm", MaxTermMonths, latest);
            return false;
        }

        error = null;
        return true;
    }
}
