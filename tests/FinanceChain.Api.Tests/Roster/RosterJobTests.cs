using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using NSubstitute;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>The roster-republish job: its schedule, idempotency, catch-up at start-up, storage and dashboard.</summary>
public sealed class RosterJobTests
{
    // 00:00 on 1 July 2026 in Shanghai.
    private static readonly Instant H2Start = Instant.FromUtc(2026, 6, 30, 16, 0);

    private static Dictionary<string, string?> CatchUpOn() => new() { ["Hangfire:CatchUp"] = "true" };

    internal static async Task<long> RunCountAsync(FinanceChainApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM roster_job_runs");
    }

    [Fact]
    public void Startup_RegistersTheRecurringJob_WithCronAndShanghaiTimeZone()
    {
        using var app = new FinanceChainApp();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == RosterSchedule.JobId);

        Assert.Equal("roster-republish", job.Id);
        Assert.Equal("0 0 1 1,7 *", job.Cron);
        Assert.Equal("Asia/Shanghai", job.TimeZoneId);
        Assert.Equal(typeof(RosterRepublishJob), job.Job.Type);
        Assert.Equal(nameof(RosterRepublishJob.RunAsync), job.Job.Method.Name);
        Assert.Equal(RosterJobTrigger.Scheduled, job.Job.Args[0]);
        Assert.Null(job.Error);
    }

    [Fact]
    public void RegisterSchedule_GoesThroughTheInjectedManager()
    {
        var manager = Substitute.For<IRecurringJobManagerV2>();

        RosterJobs.RegisterSchedule(manager);

        manager.Received(1).AddOrUpdate(
            "roster-republish",
            Arg.Is<Job>(j => j.Type == typeof(RosterRepublishJob) && j.Method.Name == "RunAsync"),
            "0 0 1 1,7 *",
            Arg.Is<RecurringJobOptions>(o => o.TimeZone.Id == "Asia/Shanghai"));
    }

    public static TheoryData<string> Instants() =>
    [
        "2025-12-31T15:59:59.999Z", // a millisecond before 1 January 2026 in Shanghai
        "2025-12-31T16:00:01Z",
        "2026-03-16T02:00:00Z",
        "2026-06-30T15:59:59Z",
        "2026-06-30T16:00:01Z",
        "2026-06-30T23:59:59Z", // 1 July 07:59 in Shanghai, still 30 June in UTC
        "2026-12-31T17:00:00Z", // 1 January 2027 01:00 in Shanghai, still 2026 in UTC
        "2028-02-29T12:00:00Z",
    ];

    [Theory]
    [MemberData(nameof(Instants))]
    public void HangfireCron_AgreesWithRosterScheduleNextRun(string at)
    {
        var now = NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value;
        using var storage = new InMemoryStorage();
        var manager = new RecurringJobManager(storage, JobFilterProviders.Providers, new DefaultTimeZoneResolver(), () => now.ToDateTimeUtc());

        RosterJobs.RegisterSchedule(manager);

        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs().Single().NextExecution;
        Assert.Equal(RosterSchedule.NextRun(now).ToDateTimeUtc(), next);
    }

    /// <summary>
    /// Within the second of a scheduled start Hangfire still fires that start (it reads the schedule to the
    /// second, inclusive), while <see cref="RosterSchedule.NextRun"/> is strictly later: the run Hangfire fires
    /// is the one <see cref="RosterSchedule.LastScheduledStart"/> names, the period that starts then.
    /// </summary>
    [Theory]
    [InlineData("2025-12-31T16:00:00Z")]
    [InlineData("2025-12-31T16:00:00.500Z")]
    [InlineData("2026-06-30T16:00:00Z")]
    public void HangfireCron_InTheSecondOfAStart_FiresThePeriodThatStartsThen(string at)
    {
        var now = NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value;
        using var storage = new InMemoryStorage();
        var manager = new RecurringJobManager(storage, JobFilterProviders.Providers, new DefaultTimeZoneResolver(), () => now.ToDateTimeUtc());

        RosterJobs.RegisterSchedule(manager);

        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs().Single().NextExecution;
        Assert.Equal(RosterSchedule.LastScheduledStart(now).StartInstant(HalfYear.ShanghaiZone).ToDateTimeUtc(), next);
    }

    [Fact]
    public async Task ScheduledRun_AMomentBeforeMidnightOnJuly1InShanghai_CompilesTheHalfYearThatStarts()
    {
        // 23:58 on 30 June in Shanghai: an instance whose clock runs ahead, or the dashboard's "Trigger now".
        using var app = new FinanceChainApp(clock: new FakeClock(H2Start - Duration.FromMinutes(2)));
        var admin = await app.ClientAsync(Role.Admin);
        var regulator = await app.ClientAsync(Role.Regulator);
        await admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        var job = app.Services.GetRequiredService<RosterRepublishJob>();

        Assert.Equal(new RosterJobResult("2026H2", "compiled"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));

        var draft = await (await regulator.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026H1", draft["entries"]![0]!["metrics"]!["period"]!.GetValue<string>());
        await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The on-time run at 00:00 finds the period compiled.
        app.Clock.Reset(H2Start);
        Assert.Equal(new RosterJobResult("2026H2", "alreadyCompiled"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));
    }

    [Fact]
    public async Task Job_IsIdempotentPerPeriod_AndAuditedAsSystem()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var regulator = await app.ClientAsync(Role.Regulator);
        await admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        var job = app.Services.GetRequiredService<RosterRepublishJob>();

        var first = await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None);
        var compiled = await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        var second = await job.RunAsync(RosterJobTrigger.Manual, CancellationToken.None);
        var after = await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(new RosterJobResult("2026H1", "compiled"), first);
        Assert.Equal(new RosterJobResult("2026H1", "alreadyCompiled"), second);
        Assert.Equal("draft", compiled["status"]!.GetValue<string>());
        Assert.Equal(compiled.ToJsonString(), after.ToJsonString());
        Assert.Equal(2, await RunCountAsync(app));

        var trail = (await (await regulator.GetAsync("/api/v1/audit?entityId=2026H1")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(["roster.compiled", "roster.jobRun", "roster.jobRun"], trail.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(trail, e => Assert.Equal("roster-republish", e!["actor"]!.GetValue<string>()));
        Assert.All(trail, e => Assert.Equal("system", e!["role"]!.GetValue<string>()));
        Assert.Equal("alreadyCompiled", trail[2]!["details"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Job_SkipsAPublishedPeriod_AndCompilesThePeriodThatStartsOnItsDay()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var regulator = await app.ClientAsync(Role.Regulator);
        await admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        await admin.CompileAsync("2026H1");
        var published = await regulator.ApproveAsync("2026H1");
        var job = app.Services.GetRequiredService<RosterRepublishJob>();

        Assert.Equal(new RosterJobResult("2026H1", "published"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));
        var after = await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(published.ToJsonString(), after.ToJsonString());

        app.Clock.Reset(H2Start);
        Assert.Equal(new RosterJobResult("2026H2", "compiled"), await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None));
        var draft = await (await regulator.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026H1", draft["entries"]![0]!["metrics"]!["period"]!.GetValue<string>());
    }

    [Fact]
    public async Task Job_ReplacesAnEarlierHumanDraft_ButNotAfterItsOwnRun()
    {
        using var app = new FinanceChainApp(clock: new FakeClock(Instant.FromUtc(2026, 6, 20, 0, 0)));
        var admin = await app.ClientAsync(Role.Admin);
        await admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");
        await admin.CompileAsync("2026H2"); // prepared ahead, in June
        var chain = await admin.CreateNamedChainAsync("HB-02", "蔬菜(香菇)");
        var job = app.Services.GetRequiredService<RosterRepublishJob>();

        app.Clock.Reset(H2Start);
        await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None);
        var byJob = await (await admin.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(byJob.Entry(chain));

        // A person compiling after the job run is not undone by another run.
        await admin.CreateNamedChainAsync("HB-03", "茶叶(青砖茶)");
        var human = await admin.CompileAsync("2026H2");
        await job.RunAsync(RosterJobTrigger.Scheduled, CancellationToken.None);
        var after = await (await admin.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(human["compiledAt"]!.GetValue<string>(), after["compiledAt"]!.GetValue<string>());
        Assert.Equal(3, after["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task CatchUp_AtStartup_RunsOnce_NotAgainOnASecondStart()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var clock = new FakeClock(FinanceChainApp.DefaultNow);
        using (var first = new FinanceChainApp(file, clock, settings: CatchUpOn()))
        {
            var admin = await first.ClientAsync(Role.Admin);
            var schedule = await (await admin.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("2026H1", schedule["lastRun"]!["period"]!.GetValue<string>());
            Assert.Equal("catchUp", schedule["lastRun"]!["trigger"]!.GetValue<string>());
            Assert.Equal("compiled", schedule["lastRun"]!["outcome"]!.GetValue<string>());
            await (await admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(1, await RunCountAsync(first));
        }

        clock.Advance(Duration.FromDays(30));
        using (var second = new FinanceChainApp(file, clock, settings: CatchUpOn()))
        {
            _ = second.Services;
            Assert.Equal(1, await RunCountAsync(second));
        }

        // Down over 1 July: the next start makes up the H2 run, once.
        clock.Reset(H2Start + Duration.FromDays(3));
        using (var third = new FinanceChainApp(file, clock, settings: CatchUpOn()))
        {
            var admin = await third.ClientAsync(Role.Admin);
            Assert.Equal(2, await RunCountAsync(third));
            var roster = await (await admin.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("draft", roster["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task CatchUp_Off_RunsNothing()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        Assert.Equal(0, await RunCountAsync(app));
        await (await admin.GetAsync("/api/v1/rosters/2026H1")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Schedule_GivesCronTimeZoneAndNextRun()
    {
        using var app = new FinanceChainApp();
        var regulator = await app.ClientAsync(Role.Regulator);

        var schedule = await (await regulator.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("roster-republish", schedule["jobId"]!.GetValue<string>());
        Assert.Equal("0 0 1 1,7 *", schedule["cron"]!.GetValue<string>());
        Assert.Equal("Asia/Shanghai", schedule["timeZone"]!.GetValue<string>());
        Assert.Equal("2026-06-30T16:00:00Z", schedule["nextRun"]!.GetValue<string>());
        Assert.Null(schedule["lastRun"]);

        app.Clock.Reset(H2Start);
        var later = await (await regulator.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026-12-31T16:00:00Z", later["nextRun"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dashboard_ForAdminAndRegulatorOnly()
    {
        using var app = new FinanceChainApp();
        var bank = await app.ClientAsync(Role.Bank, institutionId: await (await app.ClientAsync(Role.Admin)).CreateInstitutionAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(null).GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey("fc_not-a-key").GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bank.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bank.GetAsync("/hangfire/recurring")).StatusCode);

        foreach (var role in new[] { Role.Regulator, Role.Admin })
        {
            var client = await app.ClientAsync(role);
            var page = await client.GetAsync("/hangfire/recurring");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("roster-republish", await page.Content.ReadAsStringAsync());
        }
    }

    private static string NewTempFolder() => Path.Combine(Path.GetTempPath(), "financechain-tests", Guid.NewGuid().ToString("N"));

    private static void DeleteTempFolder(string directory)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The job storage may still hold its file open; the temporary folder is left behind.
        }
    }

    private static RecurringJobDto RecurringJob(FinanceChainApp app)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return Assert.Single(connection.GetRecurringJobs(), j => j.Id == RosterSchedule.JobId);
    }

    /// <summary>
    /// The schedule lives in the persistent job storage, not in the process: after a restart on the same files the
    /// recurring job is the same entry, with its cron, time zone, next run and the last run Hangfire recorded, and the
    /// catch-up made at the first start is not made again.
    /// </summary>
    [Fact]
    public async Task SqliteStorage_RecurringJobSurvivesARestart_WithScheduleAndLastRun_CatchUpOnce()
    {
        var directory = NewTempFolder();
        var file = Path.Combine(directory, "financechain.db");
        var clock = new FakeClock(FinanceChainApp.DefaultNow);
        var settings = new Dictionary<string, string?>
        {
            ["Hangfire:Storage"] = "sqlite",
            ["Hangfire:SqliteFile"] = Path.Combine(directory, "jobs", "hangfire.db"),
            ["Hangfire:CatchUp"] = "true",
        };
        try
        {
            RecurringJobDto before;
            JsonNode firstLastRun;
            using (var first = new FinanceChainApp(file, clock, settings: settings))
            {
                // The catch-up at start-up compiled 2026H1; "Trigger now" (no server here) records a Hangfire run.
                Assert.Equal(1, await RunCountAsync(first));
                var triggered = first.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(RosterSchedule.JobId);
                Assert.NotNull(triggered);
                before = RecurringJob(first);
                Assert.Equal(triggered, before.LastJobId);
                Assert.NotNull(before.LastExecution);
                Assert.NotNull(before.NextExecution);
                var admin = await first.ClientAsync(Role.Admin);
                firstLastRun = (await (await admin.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK))["lastRun"]!;
                Assert.Equal("catchUp", firstLastRun["trigger"]!.GetValue<string>());
            }

            Assert.True(File.Exists(Path.Combine(directory, "jobs", "hangfire.db")));
            clock.Advance(Duration.FromDays(1));
            using (var second = new FinanceChainApp(file, clock, settings: settings))
            {
                var after = RecurringJob(second);
                Assert.Equal(RosterSchedule.JobId, after.Id);
                Assert.Equal("0 0 1 1,7 *", after.Cron);
                Assert.Equal("Asia/Shanghai", after.TimeZoneId);
                Assert.Equal(before.CreatedAt, after.CreatedAt);
                Assert.Equal(before.NextExecution, after.NextExecution);
                Assert.Equal(before.LastExecution, after.LastExecution);
                Assert.Equal(before.LastJobId, after.LastJobId);
                Assert.Null(after.Error);
                using (var connection = second.Services.GetRequiredService<JobStorage>().GetConnection())
                {
                    Assert.Equal(typeof(RosterRepublishJob), connection.GetJobData(after.LastJobId)!.Job.Type);
                }

                // The catch-up found its run and did not run again.
                Assert.Equal(1, await RunCountAsync(second));
                var admin = await second.ClientAsync(Role.Admin);
                var schedule = await (await admin.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(firstLastRun.ToJsonString(), schedule["lastRun"]!.ToJsonString());
            }
        }
        finally
        {
            DeleteTempFolder(directory);
        }
    }

    [Fact]
    public async Task SqliteStorage_LivesBesideTheDatabase_AndKeepsTheSchedule()
    {
        var directory = NewTempFolder();
        var file = Path.Combine(directory, "financechain.db");
        try
        {
            using (var app = new FinanceChainApp(file, settings: new Dictionary<string, string?> { ["Hangfire:Storage"] = null }))
            {
                using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
                Assert.Equal(["note-presentment-answers", "roster-republish"], connection.GetRecurringJobs().Select(j => j.Id).Order());
                var admin = await app.ClientAsync(Role.Admin);
                await (await admin.GetAsync("/api/v1/rosters")).ExpectAsync(HttpStatusCode.OK);
            }

            Assert.True(File.Exists(Path.Combine(directory, "hangfire.db")));
        }
        finally
        {
            DeleteTempFolder(directory);
        }
    }
}
