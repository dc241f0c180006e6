using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Roster;

/// <summary>Background jobs: the <c>Hangfire</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Hangfire";
    public const string DefaultSqliteFileName = "hangfire.db";

    /// <summary>
    /// Where Hangfire keeps its jobs: <c>sqlite</c> (a file beside the main SQLite database), <c>sqlserver</c>
    /// (the main SQL Server database, schema <c>HangFire</c>) or <c>inMemory</c> (lost at exit; for tests).
    /// Default: the same kind as <c>Database:Provider</c>.
    /// </summary>
    public string? Storage { get; set; }

    /// <summary>Whether this instance processes background jobs (default true).</summary>
    public bool Server { get; set; } = true;

    /// <summary>Whether this instance makes up a missed roster-republish run at start-up (default true).</summary>
    public bool CatchUp { get; set; } = true;

    /// <summary>The SQLite storage file; default <c>hangfire.db</c> in the main SQLite database's folder.</summary>
    public string? SqliteFile { get; set; }

    /// <summary>Jobs processed at once by this instance.</summary>
    public int WorkerCount { get; set; } = 2;
}

/// <summary>Hangfire for the roster: storage, the recurring job, catch-up at start-up and the dashboard.</summary>
public static class RosterJobs
{
    public const string DashboardPath = "/hangfire";

    public static IServiceCollection AddRosterJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        services.AddSingleton(options);

        // Storage and activator come from this container, not from Hangfire's static JobStorage.Current, so
        // that several service instances in one process (as in tests) never share them.
        services.AddSingleton<JobStorage>(sp => CreateStorage(options, sp.GetRequiredService<Db>()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));

        services.AddTransient<RosterRepublishJob>();
        // Registered before the Hangfire server so that the schedule and the catch-up are done before it starts.
        services.AddHostedService<RosterJobStartup>();
        if (options.Server)
        {
            services.AddHangfireServer(o => o.WorkerCount = Math.Max(1, options.WorkerCount));
        }

        return services;
    }

    /// <summary>
    /// The dashboard at <c>/hangfire</c>: full for admin, read-only for the regulator (no trigger, delete or requeue in
    /// the page, and its command routes refused by <see cref="JobsDashboardAccess"/>), closed to other roles. It opens
    /// with a signed-in session or an <c>X-Api-Key</c> header.
    /// </summary>
    public static IEndpointConventionBuilder MapRosterJobsDashboard(this IEndpointRouteBuilder routes) =>
        routes.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            // Replaces Hangfire's local-requests-only filter with the service's own sessions, keys and roles.
            Authorization = [],
            AsyncAuthorization = [new DashboardAuthorization()],
            IsReadOnlyFunc = context => !JobsDashboardAccess.MayChangeJobs(context.GetHttpContext().User),
            DisplayStorageConnectionString = false,
            DashboardTitle = "FinanceChain jobs",
            AppPath = "/",
        });

    /// <summary>The job storage that <paramref name="options"/> name.</summary>
    public static JobStorage CreateStorage(JobOptions options, Db db)
    {
        var kind = string.IsNullOrWhiteSpace(options.Storage) ? db.Dialect.Provider : options.Storage.Trim();
        return kind.ToLowerInvariant() switch
        {
            "inmemory" => new InMemoryStorage(),
            "sqlite" => new SQLiteStorage(SqliteFile(options, db), new SQLiteStorageOptions()),
            "sqlserver" when db.Dialect == SqlDialect.SqlServer => new SqlServerStorage(
                () => new SqlConnection(db.ConnectionString),
                new SqlServerStorageOptions { PrepareSchemaIfNecessary = true }),
            "sqlserver" => throw new InvalidOperationException("Hangfire:Storage 'sqlserver' keeps jobs in the main database and needs Database:Provider 'sqlserver'."),
            _ => throw new InvalidOperationException($"Hangfire:Storage '{kind}' is not supported; use 'sqlite', 'sqlserver' or 'inMemory'."),
        };
    }

    /// <summary>The SQLite storage file: <c>Hangfire:SqliteFile</c>, or <c>hangfire.db</c> beside the main database.</summary>
    public static string SqliteFile(JobOptions options, Db db)
    {
        string file;
        if (!string.IsNullOrWhiteSpace(options.SqliteFile))
        {
            file = Path.GetFullPath(options.SqliteFile);
        }
        else
        {
            var dataSource = db.Dialect == SqlDialect.Sqlite ? new SqliteConnectionStringBuilder(db.ConnectionString).DataSource : "";
            if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Set Hangfire:SqliteFile: the main database is not a SQLite file beside which the job storage could live.");
            }

            file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource))!, JobOptions.DefaultSqliteFileName);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return file;
    }

    /// <summary>The schedule's options: the cron is read in Asia/Shanghai.</summary>
    public static RecurringJobOptions ScheduleOptions() =>
        new() { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(RosterSchedule.TimeZoneId) };

    /// <summary>
    /// The job's schedule as the job storage has it: a job removed in the dashboard is not registered and has no next
    /// run, whatever the cron would say. The next run of a registered job is computed from the injected clock.
    /// </summary>
    public static async Task<RosterScheduleResponse> ScheduleAsync(JobStorage storage, RosterRepublishJob job, IClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(clock);
        bool registered;
        using (var connection = storage.GetConnection())
        {
            var stored = connection.GetRecurringJobs([RosterSchedule.JobId]).SingleOrDefault();
            registered = stored is { Removed: false } && stored.Cron == RosterSchedule.Cron;
        }

        return new RosterScheduleResponse(
            RosterSchedule.JobId,
            RosterSchedule.Cron,
            RosterSchedule.TimeZoneId,
            registered,
            registered ? RosterSchedule.NextRun(clock.GetCurrentInstant()) : null,
            await job.LatestRunAsync(cancellationToken));
    }

    /// <summary>Creates or updates the <c>roster-republish</c> recurring job.</summary>
    public static void RegisterSchedule(IRecurringJobManagerV2 recurringJobs)
    {
        ArgumentNullException.ThrowIfNull(recurringJobs);
        recurringJobs.AddOrUpdate<RosterRepublishJob>(
            RosterSchedule.JobId,
            job => job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None),
            RosterSchedule.Cron,
            ScheduleOptions());
    }
}

/// <summary>A feature's own recurring job, registered at start-up beside the roster's (e.g. the notes feature's no-answer job).</summary>
public interface IRecurringJobSchedule
{
    /// <summary>Creates or updates the feature's recurring job through the injected manager.</summary>
    void Register(IRecurringJobManagerV2 recurringJobs);
}

/// <summary>
/// At start-up: registers the recurring job (and the other features' <see cref="IRecurringJobSchedule"/>s), then, when the latest scheduled start (1 January or 1 July,
/// 00:00 Shanghai) has no run recorded, runs the job once for it (<see cref="RosterSchedule.PeriodToCatchUp"/>).
/// Instances starting at once take turns under a lock on the database (<see cref="DistributedLock"/>), so the
/// run is made up once and the others find it made.
/// </summary>
public sealed class RosterJobStartup(
    IRecurringJobManagerV2 recurringJobs, IServiceScopeFactory scopes, Db db, JobOptions options, IClock clock, ILogger<RosterJobStartup> logger,
    IEnumerable<IRecurringJobSchedule> schedules) : IHostedService
{
    /// <summary>The lock the catch-up runs under.</summary>
    public const string CatchUpLock = "roster-catch-up";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RosterJobs.RegisterSchedule(recurringJobs);
        foreach (var schedule in schedules)
        {
            schedule.Register(recurringJobs);
        }

        if (options.CatchUp)
        {
            await CatchUpAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the job once when the latest scheduled start was missed; null when nothing was missed.</summary>
    public async Task<RosterJobResult?> CatchUpAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<RosterRepublishJob>();
        try
        {
            await using var turn = await DistributedLock.AcquireAsync(db, CatchUpLock, TimeSpan.FromMinutes(2), cancellationToken);
            var due = RosterSchedule.PeriodToCatchUp(await job.LatestRunPeriodAsync(cancellationToken), clock.GetCurrentInstant());
            if (due is null)
            {
                return null;
            }

            logger.LogInformation("The roster-republish run for {Period} was missed; running it now.", due);
            return await job.RunAsync(RosterJobTrigger.CatchUp, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The service still starts; the next start tries again, since no run was recorded.
            logger.LogError(e, "The roster-republish catch-up failed.");
            return null;
        }
    }
}

/// <summary>
/// Hangfire keeps its log provider in static state. When a host stops (a restart in the same process, or
/// tests) its logger factory is disposed while Hangfire may still ask it for loggers: answer with a silent
/// logger then instead of failing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggerFactory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return new SilentLog();
        }
    }

    private sealed class SilentLog : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
