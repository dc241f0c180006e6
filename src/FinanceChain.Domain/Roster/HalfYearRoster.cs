using System.Globalization;
using NodaTime;

namespace FinanceChain.Domain;

/// <summary>Where a roster stands in review.</summary>
public enum RosterStatus
{
    /// <summary>Compiled and waiting for the central-bank branch.</summary>
    Draft,

    /// <summary>Sent back with a comment; compiling the period again makes a new draft.</summary>
    Returned,

    /// <summary>Approved and public; it never changes again.</summary>
    Published,
}

/// <summary>
/// The roster (名录) of one half-year period and its review. Immutable: each move returns a new value,
/// and a rejected move throws <see cref="DomainConflictException"/> or <see cref="DomainValidationException"/>.
/// </summary>
/// <remarks>
/// <code>
/// (none) ──compile──▶ Draft ──approve──▶ Published   (final)
///                      │  ▲
///               return │  │ compile (replaces the entries)
///                      ▼  │
///                    Returned
/// </code>
/// Compiling a Draft again replaces it as well.
/// </remarks>
public sealed class HalfYearRoster
{
    /// <summary>The longest review comment, in UTF-16 code units (as an <c>nvarchar(2000)</c> column holds).</summary>
    public const int MaxCommentLength = 2000;

    private HalfYearRoster(HalfYear period, RosterStatus status, IReadOnlyList<RosterEntry> entries, Instant compiledAt, Instant? reviewedAt, string? reviewComment)
    {
        Period = period;
        Status = status;
        Entries = entries;
        CompiledAt = compiledAt;
        ReviewedAt = reviewedAt;
        ReviewComment = reviewComment;
    }

    /// <summary>The period the roster is for.</summary>
    public HalfYear Period { get; }

    /// <summary>Where the roster stands in review.</summary>
    public RosterStatus Status { get; }

    /// <summary>One entry per chain, ordered by chain code.</summary>
    public IReadOnlyList<RosterEntry> Entries { get; }

    /// <summary>When the entries were compiled.</summary>
    public Instant CompiledAt { get; }

    /// <summary>When the roster was approved or returned; null for a draft.</summary>
    public Instant? ReviewedAt { get; }

    /// <summary>The reviewer's comment: required when returned, optional when approved, null for a draft.</summary>
    public string? ReviewComment { get; }

    /// <summary>
    /// Throws unless a period whose roster is in <paramref name="current"/> state (null: no roster yet)
    /// may be compiled. Call it before reading the inputs, and let <see cref="Compile"/> check again.
    /// </summary>
    /// <exception cref="DomainConflictException">The period's roster is published.</exception>
    public static void EnsureCanCompile(HalfYear period, RosterStatus? current)
    {
        if (current == RosterStatus.Published)
        {
            throw new DomainConflictException(RosterCodes.RosterPublished, period);
        }
    }

    /// <summary>
    /// A new draft from <paramref name="draft"/>. Allowed when the period has no roster yet or its roster
    /// is a draft or was returned; the new draft replaces it and clears the review.
    /// </summary>
    /// <param name="existing">The period's current roster, or null.</param>
    /// <param name="draft">The freshly compiled entries.</param>
    /// <param name="compiledAt">When it was compiled.</param>
    /// <exception cref="DomainConflictException"><paramref name="existing"/> is published.</exception>
    /// <exception cref="ArgumentException"><paramref name="existing"/> is for another period.</exception>
    public static HalfYearRoster Compile(HalfYearRoster? existing, RosterDraft draft, Instant compiledAt)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(draft.Entries);
        if (existing is not null && existing.Period != draft.Period)
        {
            throw new ArgumentException($"The existing roster is for {existing.Period}, the draft for {draft.Period}.", nameof(existing));
        }

        EnsureCanCompile(draft.Period, existing?.Status);
        return new HalfYearRoster(draft.Period, RosterStatus.Draft, draft.Entries, compiledAt, null, null);
    }

    /// <summary>Rebuilds a roster read from storage, checking that its review fields fit its status.</summary>
    /// <exception cref="ArgumentException">The fields do not fit the status.</exception>
    public static HalfYearRoster Restore(
        HalfYear period,
        RosterStatus status,
        IReadOnlyList<RosterEntry> entries,
        Instant compiledAt,
        Instant? reviewedAt,
        string? reviewComment)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fits = status switch
        {
            RosterStatus.Draft => reviewedAt is null && reviewComment is null,
            RosterStatus.Returned => reviewedAt is not null && !string.IsNullOrWhiteSpace(reviewComment),
            RosterStatus.Published => reviewedAt is not null,
            _ => false,
        };

        if (!fits)
        {
            throw new ArgumentException($"A {status} roster cannot have review time {reviewedAt?.ToString() ?? "none"} and comment {(reviewComment is null ? "none" : "given")}.", nameof(status));
        }

        return new HalfYearRoster(period, status, entries, compiledAt, reviewedAt, reviewComment);
    }

    /// <summary>
    /// Approves a draft, which publishes it. The comment is optional. A period can be approved only once it has
    /// started (00:00 Asia/Shanghai on its first day): before that its metrics cover a half-year not yet over.
    /// </summary>
    /// <exception cref="DomainValidationException">The comment is too long (field <c>comment</c>).</exception>
    /// <exception cref="DomainConflictException">The roster is not a draft, or its period has not started at <paramref name="at"/>.</exception>
    public HalfYearRoster Approve(string? comment, Instant at)
    {
        var normalised = string.IsNullOrWhiteSpace(comment) ? null : comment;
        CheckLength(normalised);
        switch (Status)
        {
            case RosterStatus.Returned:
                throw new DomainConflictException(RosterCodes.RosterReturned, Period);
            case RosterStatus.Published:
                throw new DomainConflictException(RosterCodes.RosterPublished, Period);
        }

        var start = Period.StartInstant(HalfYear.ShanghaiZone);
        if (at < start)
        {
            throw new DomainConflictException(RosterCodes.RosterNotStarted, Period, Period.Start, Period.Previous);
        }

        return new HalfYearRoster(Period, RosterStatus.Published, Entries, CompiledAt, at, normalised);
    }

    /// <summary>Returns a draft to be compiled again, with a comment saying why.</summary>
    /// <exception cref="DomainValidationException">The comment is empty or too long (field <c>comment</c>).</exception>
    /// <exception cref="DomainConflictException">The roster is not a draft.</exception>
    public HalfYearRoster Return(string? comment, Instant at)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new DomainValidationException("comment", RosterCodes.CommentRequired);
        }

        CheckLength(comment);
        switch (Status)
        {
            case RosterStatus.Returned:
                throw new DomainConflictException(RosterCodes.RosterAlreadyReturned, Period);
            case RosterStatus.Published:
                throw new DomainConflictException(RosterCodes.RosterPublished, Period);
        }

        return new HalfYearRoster(Period, RosterStatus.Returned, Entries, CompiledAt, at, comment);
    }

    private static void CheckLength(string? comment)
    {
        if (comment is not null && comment.Length > MaxCommentLength)
        {
            throw new DomainValidationException("comment", RosterCodes.CommentTooLong, MaxCommentLength);
        }
    }
}
