using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Roster;

/// <summary>
/// The texts of the roster (名录): its flags (<see cref="Domain.RosterCodes.Of"/>), the domain's
/// <see cref="Domain.RosterCodes"/> and the codes below.
/// </summary>
[Texts]
public sealed class RosterTexts;

/// <summary>Codes of the roster API's errors.</summary>
public static class RosterApiCodes
{
    /// <summary>{0} the first year, {1} the last: a period is written like 2026H1.</summary>
    public const string PeriodFormat = "periodFormat";

    /// <summary>{0} and {1} the first and last period that may be compiled now.</summary>
    public const string OutsideCompileWindow = "outsideCompileWindow";

    /// <summary>{0} the period: another request compiled it at the same time.</summary>
    public const string CompiledConcurrently = "compiledConcurrently";

    /// <summary>{0} the period: it changed while being compiled.</summary>
    public const string ChangedWhileCompiling = "changedWhileCompiling";

    /// <summary>{0} the period: it changed while being reviewed.</summary>
    public const string ChangedWhileReviewing = "changedWhileReviewing";

    /// <summary>{0} the period: compiled again since it was read (412).</summary>
    public const string RosterRecompiled = "rosterRecompiled";
}
