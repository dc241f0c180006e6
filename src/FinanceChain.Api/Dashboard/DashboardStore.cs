using FinanceChain.Api.Database;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Dashboard;

/// <summary>One figure of a chart: a half-year, what it is about (a chain, a bank, a kind of note event) and the numbers.</summary>
public sealed class DashboardRow
{
    public string Period { get; set; } = "";

    /// <summary>The chain or institution id, or the note event type.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>The chain's or institution's name; the event type for notes.</summary>
    public string Name { get; set; } = "";

    /// <summary>How many: offers accepted, SMEs served, note events, requests matched.</summary>
    public long Count { get; set; }

    /// <summary>Fen: amount financed or amount of the note events; for requests, how many went unmatched.</summary>
    public long Amount { get; set; }
}

/// <summary>Everything the dashboard shows, for <see cref="Periods"/> (oldest first).</summary>
public sealed record DashboardFigures(
    IReadOnlyList<HalfYear> Periods,
    IReadOnlyList<DashboardRow> FinancedByChain,
    IReadOnlyList<DashboardRow> FinancedByLeadBank,
    IReadOnlyList<DashboardRow> SmesServedByChain,
    IReadOnlyList<DashboardRow> NoteEvents,
    IReadOnlyList<DashboardRow> RequestsByChain);

/// <summary>
/// The central-bank branch's dashboard, by chain and half-year. One read-only query per chart, grouped in the
/// database; portable SQL for SQLite and SQL Server. The half-years are given as a small table of parameters
/// (<see cref="PeriodsTable"/>): period id, first instant and end instant (exclusive) at midnight in Shanghai, so that
/// no date function of either database is needed.
/// </summary>
public sealed class DashboardStore(Db db, IClock clock)
{
    /// <summary>How many half-years the dashboard covers: the one under way and the three before it.</summary>
    public const int PeriodCount = 4;

    /// <summary>
    /// The note series shown, in order. The first four count note events; <see cref="NoteEventType.Dishonoured"/>
    /// counts notes as the roster's <c>notesDishonoured</c> does (<see cref="NotesDishonouredSql"/>).
    /// </summary>
    public static readonly IReadOnlyList<NoteEventType> NoteSeries =
        [NoteEventType.Issued, NoteEventType.Transferred, NoteEventType.Discounted, NoteEventType.Paid, NoteEventType.Dishonoured];

    /// <summary>The series read from the note events themselves.</summary>
    private static readonly IReadOnlyList<NoteEventType> EventSeries = [.. NoteSeries.Where(t => t != NoteEventType.Dishonoured)];

    private const string PeriodsTable = """
        (SELECT @Period0 AS period, @Start0 AS start_at, @End0 AS end_at
         UNION ALL SELECT @Period1, @Start1, @End1
         UNION ALL SELECT @Period2, @Start2, @End2
         UNION ALL SELECT @Period3, @Start3, @End3)
        """;

    /// <summary>Offers accepted and amount financed, per chain of the request and half-year of acceptance.</summary>
    internal const string FinancedByChainSql = """
        SELECT hy.period AS Period, r.chain_id AS KeyId, c.name AS Name, COUNT(*) AS Count, SUM(o.amount_fen) AS Amount
        FROM offers o
        JOIN financing_requests r ON r.id = o.request_id
        JOIN chains c ON c.id = r.chain_id
        JOIN
        """ + PeriodsTable + """
         hy ON o.decided_at >= hy.start_at AND o.decided_at < hy.end_at
        WHERE o.status = 'accepted'
        GROUP BY hy.period, r.chain_id, c.name
        """;

    /// <summary>
    /// The same per lead bank: offers a bank had accepted on a chain while it was that chain's lead bank (a pairing in
    /// force at the decision time, as the roster counts them).
    /// </summary>
    internal const string FinancedByLeadBankSql = """
        SELECT hy.period AS Period, o.institution_id AS KeyId, i.name AS Name, COUNT(*) AS Count, SUM(o.amount_fen) AS Amount
        FROM offers o
        JOIN financing_requests r ON r.id = o.request_id
        JOIN institutions i ON i.id = o.institution_id
        JOIN
        """ + PeriodsTable + """
         hy ON o.decided_at >= hy.start_at AND o.decided_at < hy.end_at
        WHERE o.status = 'accepted'
          AND EXISTS (
              SELECT 1 FROM lead_bank_pairings l
              WHERE l.chain_id = r.chain_id AND l.institution_id = o.institution_id
                AND l.since <= o.decided_at AND (l.until IS NULL OR l.until > o.decided_at))
        GROUP BY hy.period, o.institution_id, i.name
        """;

    /// <summary>Distinct small and medium-sized enterprises (medium, small, micro) financed, per chain and half-year.</summary>
    internal const string SmesServedByChainSql = """
        SELECT hy.period AS Period, r.chain_id AS KeyId, c.name AS Name, COUNT(DISTINCT r.enterprise_id) AS Count, 0 AS Amount
        FROM offers o
        JOIN financing_requests r ON r.id = o.request_id
        JOIN enterprises e ON e.id = r.enterprise_id
        JOIN chains c ON c.id = r.chain_id
        JOIN
        """ + PeriodsTable + """
         hy ON o.decided_at >= hy.start_at AND o.decided_at < hy.end_at
        WHERE o.status = 'accepted' AND e.size IN ('medium', 'small', 'micro')
        GROUP BY hy.period, r.chain_id, c.name
        """;

    /// <summary>Supply-chain note events (issued, passed on, discounted, paid) per half-year: how many and their amount.</summary>
    internal const string NoteEventsSql = """
        SELECT hy.period AS Period, ev.type AS KeyId, ev.type AS Name, COUNT(*) AS Count, SUM(ev.amount_fen) AS Amount
        FROM note_events ev
        JOIN
        """ + PeriodsTable + """
         hy ON ev.at >= hy.start_at AND ev.at < hy.end_at
        WHERE ev.type IN @Types
        GROUP BY hy.period, ev.type
        """;

    /// <summary>
    /// Notes with a presentment dishonoured (by the acceptor, or for want of an answer) in each half-year, each note
    /// once, as the roster's <c>notesDishonoured</c> counts them; the amount is that of the dishonoured presentments.
    /// </summary>
    internal const string NotesDishonouredSql = """
        SELECT hy.period AS Period, 'dishonoured' AS KeyId, 'dishonoured' AS Name, COUNT(DISTINCT p.note_id) AS Count, SUM(p.amount_fen) AS Amount
        FROM note_presentments p
        JOIN
        """ + PeriodsTable + """
         hy ON p.answered_at >= hy.start_at AND p.answered_at < hy.end_at
        WHERE p.status = 'dishonoured'
        GROUP BY hy.period
        """;

    /// <summary>
    /// Financing requests made in each half-year per chain: matched (a bank answered with at least one offer) in
    /// <c>Count</c>, unmatched in <c>Amount</c>.
    /// </summary>
    internal const string RequestsByChainSql = """
        SELECT hy.period AS Period, r.chain_id AS KeyId, c.name AS Name,
               SUM(CASE WHEN answered.request_id IS NULL THEN 0 ELSE 1 END) AS Count,
               SUM(CASE WHEN answered.request_id IS NULL THEN 1 ELSE 0 END) AS Amount
        FROM financing_requests r
        JOIN chains c ON c.id = r.chain_id
        LEFT JOIN (SELECT DISTINCT request_id FROM offers) answered ON answered.request_id = r.id
        JOIN
        """ + PeriodsTable + """
         hy ON r.created_at >= hy.start_at AND r.created_at < hy.end_at
        GROUP BY hy.period, r.chain_id, c.name
        """;

    /// <summary>The half-years shown at <paramref name="now"/>, oldest first, ending with the one under way.</summary>
    public static IReadOnlyList<HalfYear> PeriodsAt(Instant now)
    {
        var periods = new List<HalfYear> { RosterSchedule.LastScheduledStart(now) };
        while (periods.Count < PeriodCount && periods[0] > HalfYear.MinValue)
        {
            periods.Insert(0, periods[0].Previous);
        }

        while (periods.Count < PeriodCount)
        {
            // Only near the year 2000 are there fewer half-years before; repeat the first so the SQL keeps its shape.
            periods.Insert(0, periods[0]);
        }

        return periods;
    }

    public async Task<DashboardFigures> ReadAsync(CancellationToken cancellationToken)
    {
        var periods = PeriodsAt(clock.GetCurrentInstant());
        var parameters = new Dapper.DynamicParameters();
        for (var i = 0; i < periods.Count; i++)
        {
            parameters.Add("Period" + i, periods[i].ToString());
            parameters.Add("Start" + i, periods[i].StartInstant(Formats.Shanghai));
            parameters.Add("End" + i, periods[i].EndInstant(Formats.Shanghai));
        }

        var byChain = await db.QueryAsync<DashboardRow>(FinancedByChainSql, parameters, cancellationToken);
        var byBank = await db.QueryAsync<DashboardRow>(FinancedByLeadBankSql, parameters, cancellationToken);
        var smes = await db.QueryAsync<DashboardRow>(SmesServedByChainSql, parameters, cancellationToken);
        parameters.Add("Types", EventSeries.Select(EnumText.Of).ToArray());
        var notes = (await db.QueryAsync<DashboardRow>(NoteEventsSql, parameters, cancellationToken))
            .Concat(await db.QueryAsync<DashboardRow>(NotesDishonouredSql, parameters, cancellationToken))
            .ToList();
        var requests = await db.QueryAsync<DashboardRow>(RequestsByChainSql, parameters, cancellationToken);
        return new DashboardFigures(periods.Distinct().ToList(), byChain, byBank, smes, notes, requests);
    }
}
