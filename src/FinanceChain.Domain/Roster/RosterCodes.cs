namespace FinanceChain.Domain;

/// <summary>
/// The codes of what the roster (名录) says: its reviewer flags (by <see cref="RosterFlagCode"/>, as camelCase) and
/// why a roster cannot be compiled, approved or returned. The API's resource files give each a text in every
/// language it speaks.
/// </summary>
public static class RosterCodes
{
    /// <summary>{0} the period: its roster is published and final.</summary>
    public const string RosterPublished = "rosterPublished";

    /// <summary>{0} the period: its roster was returned and must be compiled again before approval.</summary>
    public const string RosterReturned = "rosterReturned";

    /// <summary>{0} the period, {1} its first day, {2} the period before it: it has not started, so it cannot be approved.</summary>
    public const string RosterNotStarted = "rosterNotStarted";

    /// <summary>{0} the period: its roster has already been returned.</summary>
    public const string RosterAlreadyReturned = "rosterAlreadyReturned";

    /// <summary>A returned roster needs a comment saying why.</summary>
    public const string CommentRequired = "commentRequired";

    /// <summary>{0} the longest comment allowed, in characters.</summary>
    public const string CommentTooLong = "commentTooLong";

    /// <summary>{0} the earliest period: a roster needs a previous period.</summary>
    public const string PeriodTooEarly = "periodTooEarly";

    /// <summary>The text code of a flag: its <see cref="RosterFlagCode"/> in camelCase (<c>noLeadBank</c>).</summary>
    public static string Of(RosterFlagCode flag)
    {
        var name = flag.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
