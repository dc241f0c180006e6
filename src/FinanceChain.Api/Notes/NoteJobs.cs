using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using Hangfire;
using NodaTime;

namespace FinanceChain.Api.Notes;

/// <summary>The notes feature's services at maturity and its recurring job.</summary>
public static class NoteJobs
{
    /// <summary>The recurring job that dishonours presentments nobody answered in time.</summary>
    public const string AnswerJobId = NoteMaturityStore.AnswerJobActor;

    /// <summary>
    /// Every hour at five past, Asia/Shanghai: an unanswered presentment is dishonoured once its answer due date has
    /// ended, so the run at 00:05 does it; the other runs make up for one missed while the service was down.
    /// </summary>
    public const string AnswerJobCron = "5 * * * *";

    /// <summary>The maturity store, its options (<c>Notes:AnswerBusinessDays</c>, 1–10) and the no-answer job.</summary>
    public static IServiceCollection AddNoteMaturity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NoteOptions>().Bind(configuration.GetSection(NoteOptions.Section))
            .Validate(o => o.AnswerBusinessDays is >= 1 and <= 10, "Notes:AnswerBusinessDays must lie between 1 and 10.")
            .ValidateOnStart();
        services.AddBusinessCalendar();
        services.AddSingleton<NoteMaturityStore>();
        services.AddTransient<PresentmentAnswerJob>();
        services.AddSingleton<IRecurringJobSchedule, PresentmentAnswerSchedule>();
        services.AddTransient<NoteDueSoonJob>();
        services.AddSingleton<IRecurringJobSchedule, NoteDueSoonSchedule>();
        return services;
    }
}

/// <summary>Registers <see cref="PresentmentAnswerJob"/> with the injected recurring-job manager.</summary>
public sealed class PresentmentAnswerSchedule : IRecurringJobSchedule
{
    public void Register(IRecurringJobManagerV2 recurringJobs)
    {
        ArgumentNullException.ThrowIfNull(recurringJobs);
        recurringJobs.AddOrUpdate<PresentmentAnswerJob>(
            NoteJobs.AnswerJobId,
            job => job.RunAsync(CancellationToken.None),
            NoteJobs.AnswerJobCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(RosterSchedule.TimeZoneId) });
    }
}

/// <summary>
/// The <c>note-presentment-answers</c> job: every presentment still unanswered after its answer due date (Shanghai
/// business date) is dishonoured with reason <c>noAnswer</c>, each under its note's lock, in its own transaction, with
/// its history event and audit entry (actor <c>note-presentment-answers</c>, role <c>system</c>). Idempotent: a
/// presentment answered meanwhile, or already dishonoured, is left alone.
/// </summary>
public sealed class PresentmentAnswerJob(NoteMaturityStore store, IClock clock, ILogger<PresentmentAnswerJob> logger)
{
    /// <summary>Presentments read at a time.</summary>
    public const int BatchSize = 200;

    /// <summary>Dishonours every presentment whose answer window has ended; returns how many.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var actor = NoteActor.Job(NoteJobs.AnswerJobId);
        var dishonoured = 0;
        while (true)
        {
            var batch = await store.UnansweredAsync(today, BatchSize, cancellationToken);
            var done = 0;
            foreach (var (presentmentId, noteId) in batch)
            {
                if (await store.DishonourUnansweredAsync(noteId, presentmentId, actor, cancellationToken))
                {
                    done++;
                }
            }

            dishonoured += done;
            if (batch.Count < BatchSize || done == 0)
            {
                break;
            }
        }

        if (dishonoured > 0)
        {
            logger.LogInformation("Dishonoured {Count} presentments not answered by their due date (today {Today}).", dishonoured, today);
        }

        return dishonoured;
    }
}

/// <summary>Registers <see cref="NoteDueSoonJob"/> with the injected recurring-job manager.</summary>
public sealed class NoteDueSoonSchedule : IRecurringJobSchedule
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = "note-due-soon";

    /// <summary>
    /// Every hour at ten past, Asia/Shanghai: the run at 00:10 tells of the notes that came within reach that day; the
    /// others make up for one missed while the service was down.
    /// </summary>
    public const string Cron = "10 * * * *";

    /// <inheritdoc />
    public void Register(IRecurringJobManagerV2 recurringJobs)
    {
        ArgumentNullException.ThrowIfNull(recurringJobs);
        recurringJobs.AddOrUpdate<NoteDueSoonJob>(
            JobId,
            job => job.RunAsync(CancellationToken.None),
            Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(RosterSchedule.TimeZoneId) });
    }
}

/// <summary>
/// The <c>note-due-soon</c> job: records <c>note.dueSoon</c> for every outstanding note due within
/// <see cref="NoteStore.DueSoonDays"/> days (Shanghai date), to its current holders and its acceptor, once per note:
/// each is claimed by a conditional update of its marker, so overlapping runs or instances record it once.
/// </summary>
public sealed class NoteDueSoonJob(NoteStore notes, IClock clock, ILogger<NoteDueSoonJob> logger)
{
    /// <summary>Notes read at a time.</summary>
    public const int BatchSize = 200;

    /// <summary>Records every <c>note.dueSoon</c> now due; returns how many this run recorded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var recorded = 0;
        while (true)
        {
            var batch = await notes.DueSoonAsync(today, BatchSize, cancellationToken);
            var done = 0;
            foreach (var id in batch)
            {
                if (await notes.RecordDueSoonAsync(id, today, cancellationToken))
                {
                    done++;
                }
            }

            recorded += done;
            if (batch.Count < BatchSize || done == 0)
            {
                break;
            }
        }

        if (recorded > 0)
        {
            logger.LogInformation("Told the holders and acceptors of {Count} notes falling due within {Days} days (today {Today}).", recorded, NoteStore.DueSoonDays, today);
        }

        return recorded;
    }
}
