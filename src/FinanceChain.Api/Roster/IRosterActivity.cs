using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Roster;

/// <summary>
/// What banks and enterprises did, as roster compilation needs it: the lead banks' results on their chains
/// and the core enterprises with notes past due. The figures come from offers and supply-chain notes, which
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
    /// Enterprises that accepted a note which on <paramref name="today"/> (a business date in Asia/Shanghai) is
    /// past its due date and not settled: at most one row per enterprise.
    /// </summary>
    Task<IReadOnlyList<RosterOverdueAcceptorInput>> OverdueAcceptorsAsync(LocalDate today, CancellationToken ct);
}
