using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Roster;

/// <summary>
/// What banks and enterprises did, as roster compilation needs it: the lead banks' results on their chains,
/// the acceptors that dishonoured presentments and what became of the chains' notes. The figures come from offers and supply-chain notes, which
/// live in other features; this seam keeps roster compilation independent of their tables.
/// </summary>
public interface IRosterActivity
{
    /// <summary>
    /// Each chain's results during <paramref name="period"/> (the half-year just ended, when compiling the one
    /// after it) for the institution that is the chain's lead bank now, counting only what it did while it was
    /// the chain's lead bank (by the decision time of each offer): at most one row per chain. A chain whose lead
    /// bank did nothing may be left out.
    /// </summary>
    Task<IReadOnlyList<RosterResultsInput>> ResultsAsync(HalfYear period, CancellationToken ct);

    /// <summary>
    /// Acceptors that dishonoured, or did not answer, a presentment for payment during <paramref name="period"/> (by
    /// the instant it was dishonoured): at most one row per enterprise.
    /// </summary>
    Task<IReadOnlyList<RosterDishonouringAcceptorInput>> DishonouringAcceptorsAsync(HalfYear period, CancellationToken ct);

    /// <summary>
    /// Per chain, the notes accepted by its core enterprises that were settled during <paramref name="period"/>, and those
    /// with a presentment dishonoured during it: at most one row per chain; a chain with neither may be left out.
    /// </summary>
    Task<IReadOnlyList<RosterNoteOutcomesInput>> NoteOutcomesAsync(HalfYear period, CancellationToken ct);
}
