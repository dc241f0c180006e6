using NodaTime;

namespace FinanceChain.Domain;

/// <summary>
/// Everything <see cref="RosterCompiler"/> needs, read from storage at compile time. Rows for chains that
/// are not in <see cref="Chains"/> (inactive chains) are ignored.
/// </summary>
/// <param name="Chains">The active chains; each gets one roster entry.</param>
/// <param name="Pairings">The current lead-bank pairing of each chain that has one (at most one per chain).</param>
/// <param name="CoreEnterprises">Core enterprises (链主) per chain (each enterprise at most once per chain).</param>
/// <param name="PreviousResults">
/// Results on each chain in the period before the one being compiled, for the institution that is lead
/// bank now, counting only what it did while it was the chain's lead bank (at most one row per chain). A row for an institution that is not the chain's current lead
/// bank is ignored; a lead bank without a row counts as having done nothing.
/// </param>
/// <param name="DishonouringAcceptors">
/// Enterprises that, as acceptors, dishonoured (or did not answer) a presentment for payment in the period before the
/// one being compiled (at most one row per enterprise).
/// </param>
/// <param name="NoteOutcomes">Per chain, the notes of its core enterprises paid and dishonoured in that period (at most one row per chain).</param>
public sealed record RosterInputs(
    IReadOnlyCollection<RosterChainInput> Chains,
    IReadOnlyCollection<RosterPairingInput> Pairings,
    IReadOnlyCollection<RosterCoreEnterpriseInput> CoreEnterprises,
    IReadOnlyCollection<RosterResultsInput> PreviousResults,
    IReadOnlyCollection<RosterDishonouringAcceptorInput> DishonouringAcceptors,
    IReadOnlyCollection<RosterNoteOutcomesInput>? NoteOutcomes = null);

/// <summary>An active industrial chain.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Code">The chain's unique code; roster entries are ordered by it.</param>
/// <param name="Name">The chain's name, e.g. 特色淡水产品(小龙虾).</param>
/// <param name="Region">The chain's 6-digit region code.</param>
public sealed record RosterChainInput(string ChainId, string Code, string Name, string Region);

/// <summary>The current lead bank (主办行) of a chain.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="InstitutionId">The lead bank's institution id.</param>
/// <param name="InstitutionName">The lead bank's name.</param>
/// <param name="Since">When the current pairing began.</param>
public sealed record RosterPairingInput(string ChainId, string InstitutionId, string InstitutionName, Instant Since);

/// <summary>A core enterprise (链主 / 核心企业) of a chain.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="EnterpriseId">The enterprise's id.</param>
/// <param name="Name">The enterprise's name.</param>
/// <param name="CreditCode">The enterprise's unified social credit code.</param>
public sealed record RosterCoreEnterpriseInput(string ChainId, string EnterpriseId, string Name, string CreditCode);

/// <summary>What a lead bank did on its chain during the previous period.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="InstitutionId">The institution these results belong to.</param>
/// <param name="OffersAccepted">Offers of the bank accepted by the chain's enterprises.</param>
/// <param name="AmountFinanced">What the bank financed on the chain: accepted offers plus notes discounted.</param>
/// <param name="NotesDiscounted">Supply-chain notes of the chain discounted at the bank.</param>
/// <param name="EnterprisesServed">Distinct enterprises of the chain the bank financed.</param>
public sealed record RosterResultsInput(
    string ChainId,
    string InstitutionId,
    int OffersAccepted,
    Money AmountFinanced,
    int NotesDiscounted,
    int EnterprisesServed);

/// <summary>An acceptor that dishonoured presentments for payment (拒付) in the period.</summary>
/// <param name="EnterpriseId">The acceptor.</param>
/// <param name="Dishonours">How many presentments it dishonoured, or left unanswered, in the period (at least 1).</param>
/// <param name="NoAnswers">How many of them it did not answer at all (dishonoured for want of an answer).</param>
/// <param name="FirstDishonouredOn">The business date of the first of them (Asia/Shanghai).</param>
public sealed record RosterDishonouringAcceptorInput(string EnterpriseId, int Dishonours, int NoAnswers, LocalDate FirstDishonouredOn);

/// <summary>What became of the notes of a chain's core enterprises in the period.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="NotesPaid">Notes accepted by its core enterprises that were paid in full (settled) in the period.</param>
/// <param name="NotesDishonoured">Notes accepted by its core enterprises with a presentment dishonoured in the period.</param>
public sealed record RosterNoteOutcomesInput(string ChainId, int NotesPaid, int NotesDishonoured);
