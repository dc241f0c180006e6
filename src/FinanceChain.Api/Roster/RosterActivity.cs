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

internal sealed class DishonouringAcceptorRow
{
    public string EnterpriseId { get; set; } = "";
    public long Dishonours { get; set; }
    public long NoAnswers { get; set; }
    public Instant FirstAt { get; set; }

    public RosterDishonouringAcceptorInput ToInput() =>
        new(EnterpriseId, checked((int)Dishonours), checked((int)NoAnswers), FirstAt.InZone(HalfYear.ShanghaiZone).Date);
}

internal sealed class NoteOutcomesRow
{
    public string ChainId { get; set; } = "";
    public long NotesPaid { get; set; }
    public long NotesDishonoured { get; set; }

    public RosterNoteOutcomesInput ToInput() => new(ChainId, checked((int)NotesPaid), checked((int)NotesDishonoured));
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

    /// <summary>Acceptors of presentments dishonoured in [@Start, @End) (by the acceptor, or for want of an answer), with counts and the first instant.</summary>
    internal const string DishonouringAcceptorsSql = """
        SELECT n.acceptor_id AS EnterpriseId, COUNT(*) AS Dishonours,
               SUM(CASE WHEN p.reason = @NoAnswer THEN 1 ELSE 0 END) AS NoAnswers,
               MIN(p.answered_at) AS FirstAt
        FROM note_presentments p
        JOIN notes n ON n.id = p.note_id
        WHERE p.status = 'dishonoured' AND p.answered_at >= @Start AND p.answered_at < @End
        GROUP BY n.acceptor_id
        """;

    /// <summary>
    /// Per chain, the notes of its core enterprises settled in [@Start, @End), and those with a presentment dishonoured
    /// then (each note once per chain).
    /// </summary>
    internal const string NoteOutcomesSql = """
        SELECT m.chain_id AS ChainId,
               SUM(CASE WHEN n.status = 'settled' AND n.settled_at >= @Start AND n.settled_at < @End THEN 1 ELSE 0 END) AS NotesPaid,
               SUM(CASE WHEN d.note_id IS NOT NULL THEN 1 ELSE 0 END) AS NotesDishonoured
        FROM chain_members m
        JOIN notes n ON n.acceptor_id = m.enterprise_id
        LEFT JOIN (
            SELECT DISTINCT note_id FROM note_presentments
            WHERE status = 'dishonoured' AND answered_at >= @Start AND answered_at < @End
        ) d ON d.note_id = n.id
        WHERE m.role = 'core'
        GROUP BY m.chain_id
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

    public async Task<IReadOnlyList<RosterDishonouringAcceptorInput>> DishonouringAcceptorsAsync(HalfYear period, CancellationToken ct)
    {
        var rows = await db.QueryAsync<DishonouringAcceptorRow>(DishonouringAcceptorsSql, new
        {
            Start = period.StartInstant(HalfYear.ShanghaiZone),
            End = period.EndInstant(HalfYear.ShanghaiZone),
            NoAnswer = MaturingNote.NoAnswerReason,
        }, ct);
        return rows.Select(r => r.ToInput()).ToList();
    }

    public async Task<IReadOnlyList<RosterNoteOutcomesInput>> NoteOutcomesAsync(HalfYear period, CancellationToken ct)
    {
        var rows = await db.QueryAsync<NoteOutcomesRow>(NoteOutcomesSql, new
        {
            Start = period.StartInstant(HalfYear.ShanghaiZone),
            End = period.EndInstant(HalfYear.ShanghaiZone),
        }, ct);
        return rows.Select(r => r.ToInput()).ToList();
    }
}
