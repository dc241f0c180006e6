using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Roster;

internal sealed class RosterJobRunRow
{
    public string Period { get; set; } = "";
    public Instant RanAt { get; set; }
    public string TriggerKind { get; set; } = "";
    public string Outcome { get; set; } = "";

    public RosterJobRunResponse ToResponse() =>
        new(Period, RanAt, EnumText.Parse<RosterJobTrigger>(TriggerKind), EnumText.Parse<RosterJobOutcome>(Outcome));
}

/// <summary>What one run of the job did.</summary>
/// <param name="Period">The half-year it was for.</param>
/// <param name="Outcome">compiled, alreadyCompiled or published (camelCase, as stored).</param>
public sealed record RosterJobResult(string Period, string Outcome);

/// <summary>
/// The <c>roster-republish</c> job: compiles the draft of the half-year under way (at its scheduled run,
/// 00:00 Asia/Shanghai on 1 January and 1 July, the one that starts that day). Idempotent per period: when
/// an earlier run compiled the period, or its roster is published, it changes nothing. Every run is recorded
/// in <c>roster_job_runs</c> and audited with actor <c>roster-republish</c>, role <c>system</c>, in the same
/// transaction as the compile.
/// </summary>
public sealed class RosterRepublishJob(Db db, RosterStore rosters, AuditLog audit, IClock clock, ILogger<RosterRepublishJob> logger)
{
    internal const string CompiledByJobSql = "SELECT COUNT(*) FROM roster_job_runs WHERE period = @Period AND outcome = 'compiled'";
    internal const string LatestRunPeriodSql = "SELECT MAX(period) FROM roster_job_runs";

    internal const string LatestRunSql = """
        SELECT period, ran_at AS RanAt, trigger_kind AS TriggerKind, outcome
        FROM roster_job_runs
        ORDER BY ran_at DESC, id DESC {limit}
        """;

    internal const string InsertRunSql = """
        INSERT INTO roster_job_runs (id, period, ran_at, trigger_kind, outcome)
        VALUES (@Id, @Period, @RanAt, @TriggerKind, @Outcome)
        """;

    /// <summary>
    /// Runs the job once for the half-year under way; a scheduled run at most
    /// <see cref="RosterSchedule.EarlyRunTolerance"/> before a start runs for the half-year that starts then.
    /// </summary>
    /// <param name="trigger">What started the run; recorded with it.</param>
    /// <param name="cancellationToken">Hangfire passes its shutdown token.</param>
    public async Task<RosterJobResult> RunAsync(RosterJobTrigger trigger, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();

        // A scheduled run (Hangfire's, or the dashboard's "Trigger now") fired a few minutes before a start, by an
        // instance whose clock runs ahead, is for the period that starts then, not for the one ending.
        var period = trigger == RosterJobTrigger.Scheduled ? RosterSchedule.PeriodForScheduledRun(now) : RosterSchedule.LastScheduledStart(now);

        // The activity figures come from other features; read them only when the run may compile.
        var skip = await SkipReasonAsync(period, cancellationToken);
        var snapshot = skip is null ? await rosters.ReadActivityAsync(period, cancellationToken) : null;

        var outcome = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var outcome = await connection.ExecuteScalarAsync<long>(CompiledByJobSql, new { Period = period.ToString() }, transaction) > 0
                ? RosterJobOutcome.AlreadyCompiled
                : (await RosterStore.GetAsync(connection, transaction, period))?.Roster.Status == RosterStatus.Published
                    ? RosterJobOutcome.Published
                    : RosterJobOutcome.Compiled;

            if (outcome == RosterJobOutcome.Compiled)
            {
                // A period skipped before the transaction stays skipped (runs and publication are final).
                var figures = snapshot ?? throw new InvalidOperationException($"The {period} run was skipped, then found compilable.");
                await rosters.CompileAsync(connection, transaction, period, RosterActor.Job, figures);
            }

            await connection.ExecuteAsync(InsertRunSql, new
            {
                Id = Ids.New("rjr"),
                Period = period.ToString(),
                RanAt = now,
                TriggerKind = EnumText.Of(trigger),
                Outcome = EnumText.Of(outcome),
            }, transaction);
            await audit.AppendAsync(transaction, RosterActor.Job.Id, RosterActor.Job.Role, "roster.jobRun", "roster", period.ToString(), new
            {
                trigger = EnumText.Of(trigger),
                outcome = EnumText.Of(outcome),
            });
            return outcome;
        }, cancellationToken);

        logger.LogInformation("Roster job ({Trigger}) for {Period}: {Outcome}", trigger, period, outcome);
        return new RosterJobResult(period.ToString(), EnumText.Of(outcome));
    }

    /// <summary>The period of the job's latest run, or null when it never ran (the catch-up rule's input).</summary>
    public async Task<HalfYear?> LatestRunPeriodAsync(CancellationToken cancellationToken)
    {
        var period = await db.QuerySingleOrDefaultAsync<string?>(LatestRunPeriodSql, null, cancellationToken);
        return period is null ? null : HalfYear.Parse(period.Trim());
    }

    /// <summary>The job's most recent run, or null.</summary>
    public async Task<RosterJobRunResponse?> LatestRunAsync(CancellationToken cancellationToken) =>
        (await db.QueryAsync<RosterJobRunRow>(LatestRunSql, new { limit = 1 }, cancellationToken)).SingleOrDefault()?.ToResponse();

    private async Task<RosterJobOutcome?> SkipReasonAsync(HalfYear period, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<long>(CompiledByJobSql, new { Period = period.ToString() }, cancellationToken) > 0)
        {
            return RosterJobOutcome.AlreadyCompiled;
        }

        return (await rosters.GetAsync(period, cancellationToken))?.Roster.Status == RosterStatus.Published ? RosterJobOutcome.Published : null;
    }
}
