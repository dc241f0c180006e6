using NodaTime;

namespace FinanceChain.Domain;

/// <summary>A compiled roster before review: one entry per active chain, ordered by chain code.</summary>
/// <param name="Period">The period the roster is for.</param>
/// <param name="Entries">One entry per active chain, ordered by chain code (ordinal).</param>
public sealed record RosterDraft(HalfYear Period, IReadOnlyList<RosterEntry> Entries);

/// <summary>One chain on the roster (名录): its lead bank, its core enterprises, how the lead bank did, and what to check.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="ChainCode">The chain's code.</param>
/// <param name="ChainName">The chain's name.</param>
/// <param name="Region">The chain's 6-digit region code.</param>
/// <param name="LeadBank">The lead bank (主办行), or null when none is paired.</param>
/// <param name="CoreEnterprises">The chain's core enterprises, ordered by name then id (ordinal).</param>
/// <param name="Metrics">The lead bank's results on the chain in the previous period; zero when there is no lead bank.</param>
/// <param name="Flags">What the reviewer should look at, in <see cref="RosterFlagCode"/> order.</param>
public sealed record RosterEntry(
    string ChainId,
    string ChainCode,
    string ChainName,
    string Region,
    RosterLeadBank? LeadBank,
    IReadOnlyList<RosterCoreEnterprise> CoreEnterprises,
    RosterMetrics Metrics,
    IReadOnlyList<RosterFlag> Flags);

/// <summary>A chain's lead bank as listed on a roster.</summary>
/// <param name="InstitutionId">The institution's id.</param>
/// <param name="InstitutionName">The institution's name.</param>
/// <param name="Since">When the pairing began.</param>
public sealed record RosterLeadBank(string InstitutionId, string InstitutionName, Instant Since);

/// <summary>A core enterprise as listed on a roster.</summary>
/// <param name="EnterpriseId">The enterprise's id.</param>
/// <param name="Name">The enterprise's name.</param>
/// <param name="CreditCode">The enterprise's unified social credit code.</param>
public sealed record RosterCoreEnterprise(string EnterpriseId, string Name, string CreditCode);

/// <summary>The lead bank's results on its chain in the period before the roster's.</summary>
/// <param name="Period">The period the results cover (the one before the roster's).</param>
/// <param name="OffersAccepted">Offers accepted.</param>
/// <param name="AmountFinanced">Amount financed.</param>
/// <param name="NotesDiscounted">Notes discounted.</param>
/// <param name="EnterprisesServed">Distinct enterprises financed.</param>
/// <param name="NotesPaid">Notes of the chain's core enterprises paid in full in the period.</param>
/// <param name="NotesDishonoured">Notes of the chain's core enterprises with a presentment dishonoured in the period.</param>
public sealed record RosterMetrics(
    HalfYear Period,
    int OffersAccepted,
    Money AmountFinanced,
    int NotesDiscounted,
    int EnterprisesServed,
    int NotesPaid = 0,
    int NotesDishonoured = 0)
{
    /// <summary>No results at all for <paramref name="period"/>.</summary>
    public static RosterMetrics None(HalfYear period) => new(period, 0, Money.Zero, 0, 0);
}

/// <summary>
/// Something on a roster entry a reviewer should look at: a code and the values its sentence needs, never the
/// sentence itself (the API writes it in the reader's language, from the text of <see cref="RosterCodes.Of"/>).
/// </summary>
/// <param name="Code">What kind of problem it is.</param>
/// <param name="Args">
/// The values of its text, in order: for <see cref="RosterFlagCode.NoLeadBank"/> and <see cref="RosterFlagCode.NoCoreEnterprise"/>
/// the chain's code and name; for <see cref="RosterFlagCode.LeadBankFinancedNothing"/> the lead bank's name, the chain's code
/// and name and the period the results cover (a <see cref="HalfYear"/>); for <see cref="RosterFlagCode.CoreEnterpriseOverdueNote"/>
/// the enterprise's name and credit code, the number of notes past due (an <see cref="int"/>) and the earliest due date
/// (a <see cref="NodaTime.LocalDate"/>), kept only to read rosters stored before it was replaced; for
/// <see cref="RosterFlagCode.CoreEnterpriseDishonouredNote"/> the enterprise's name and credit code, the number of
/// presentments it dishonoured and how many of them it left unanswered (<see cref="int"/>s), the day of the first
/// (a <see cref="NodaTime.LocalDate"/>) and the period (a <see cref="HalfYear"/>). Values are strings, whole numbers, <see cref="Money"/>, dates and periods.
/// </param>
/// <param name="EnterpriseId">The enterprise concerned, for <see cref="RosterFlagCode.CoreEnterpriseDishonouredNote"/>.</param>
public sealed record RosterFlag(RosterFlagCode Code, IReadOnlyList<object?> Args, string? EnterpriseId = null)
{
    /// <summary>The code, its values and the enterprise, in no language (for logs and test output).</summary>
    public override string ToString() => $"{RosterCodes.Of(Code)} ({string.Join(", ", Args)}){(EnterpriseId is null ? "" : " " + EnterpriseId)}";
}

/// <summary>Kinds of roster flags; the JSON form is the camelCase name (<c>noLeadBank</c>).</summary>
public enum RosterFlagCode
{
    /// <summary>No lead bank is paired with the chain.</summary>
    NoLeadBank,

    /// <summary>The lead bank accepted no offers and discounted no notes on the chain in the previous period.</summary>
    LeadBankFinancedNothing,

    /// <summary>The chain has no core enterprise.</summary>
    NoCoreEnterprise,

    /// <summary>A core enterprise of the chain dishonoured (or did not answer) a presentment of a note it accepted, in the previous period.</summary>
    CoreEnterpriseDishonouredNote,

    /// <summary>
    /// Only on rosters compiled before dishonours were recorded (a core enterprise had a note past due and unpaid);
    /// no longer raised, kept so that those rosters can still be read.
    /// </summary>
    CoreEnterpriseOverdueNote,
}
