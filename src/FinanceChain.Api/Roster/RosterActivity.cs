using FinanceChain.Api.Database;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Roster;

internal sealed class ResultsRow
{
    public string ChainId { get; set; } = "";
    public string InstitutionId { get; set; } = "";
    public long OffersAccepted { get; set; }
    public long AmountFinancedFen { get; set; }
    public long NotesDiscounted { get; set; }
    public long EnterprisesServed { get; set; }

    public RosterResultsInput ToInput() => new(
        ChainId,
        InstitutionId,
        checked((int)OffersAccepted),
        Money.FromFen(AmountFinancedFen),
        checked((int)NotesDiscounted),
        checked((int)EnterprisesServed));
}

internal sealed class OverdueAcceptorRow
{
    public string EnterpriseId { get; set; } = "";
    public long NotesPastDue { get; set; }
    public LocalDate EarliestDueDate { get; set; }

    public RosterOverdueAcceptorInput ToInput() => new(EnterpriseId, checked((int)NotesPastDue), EarliestDueDate);
}

/// <summary>
/// <see cref="IRosterActivity"/> read from the offer, request and product tables and the note tables.
/// Read-only; each call is one query outside any transaction (compilation reads them before its own).
/// </summary>
public sealed class RosterActivity(Db db) : IRosterActivity
{
    /// <summary>
    /// Offers accepted in [@Start, @End) on requests of a chain by the institution that is the chain's lead bank
    /// now (the bank the roster lists), counting only those it had accepted while it was the chain's lead bank:
    /// a pairing of that bank and chain was in force at the offer's decision time (<c>since</c> inclusive,
    /// <c>until</c> exclusive). What a former lead bank did, and what the current one did before it was paired,
    /// do not count. The current pairing is unique per chain (<c>ux_lead_bank_current</c>), so there is one row
    /// per chain at most; EXISTS keeps each offer counted once. A note discount is an accepted offer of a
    /// <c>noteDiscount</c> product; its amount is in the sum once.
    /// </summary>
    internal const string ResultsSql = """
        SELECT r.chain_id AS ChainId, o.institution_id AS InstitutionId,
               COUNT(*) AS OffersAccepted,
               SUM(o.amount_fen) AS AmountFinancedFen,
               SUM(CASE WHEN p.type = 'noteDiscount' THEN 1 ELSE 0 END) AS NotesDiscounted,
               COUNT(DISTINCT r.enterprise_id) AS EnterprisesServed
        FROM offers o
        JOIN financing_requests r ON r.id = o.request_id
        JOIN products p ON p.id = o.product_id
        JOIN lead_bank_pairings cur ON cur.chain_id = r.chain_id AND cur.institution_id = o.institution_id AND cur.until IS NULL
        WHERE o.status = 'accepted' AND o.decided_at >= @Start AND o.decided_at < @End
          AND EXISTS (
              SELECT 1 FROM lead_bank_pairings l
              WHERE l.chain_id = r.chain_id AND l.institution_id = o.institution_id
                AND l.since <= o.decided_at AND (l.until IS NULL OR l.until > o.decided_at))
        GROUP BY r.chain_id, o.institution_id
        """;

    /// <summary>Acceptors of notes due before @Today and not settled, with how many and the earliest due date.</summary>
    internal const string OverdueAcceptorsSql = """
        SELECT acceptor_id AS EnterpriseId, COUNT(*) AS NotesPastDue, MIN(due_date) AS EarliestDueDate
        FROM notes
        WHERE status = 'outstanding' AND due_date < @Today
        GROUP BY acceptor_id
        """;

    public async Task<IReadOnlyList<RosterResultsInput>> ResultsAsync(HalfYear period, CancellationToken ct)
    {
        var rows = await db.QueryAsync<ResultsRow>(ResultsSql, new
        {
            Start = period.StartInstant(HalfYear.ShanghaiZone),
            End = period.EndInstant(HalfYear.ShanghaiZone),
        }, ct);
        return rows.Select(r => r.ToInput()).ToList();
    }

    public async Task<IReadOnlyList<RosterOverdueAcceptorInput>> OverdueAcceptorsAsync(LocalDate today, CancellationToken ct)
    {
        var rows = await db.QueryAsync<OverdueAcceptorRow>(OverdueAcceptorsSql, new { Today = today }, ct);
        return rows.Select(r => r.ToInput()).ToList();
    }
}
