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
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using NSubstitute;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>The roster-republish job: its schedule, storage and dashboard (its runs and catch-up: <see cref="RosterJobSuite{TProvider}"/>).</summary>
public sealed class RosterJobTests
{
    // 00:00 on 1 July 2026 in Shanghai.
    private static readonly Instant H2Start = Instant.FromUtc(2026, 6, 30, 16, 0);

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

        // A browser without a session is sent to sign in and back; a wrong key is a 401.
        var anonymous = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fhangfire", anonymous.Headers.Location?.PathAndQuery);
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

    [Theory]
    [InlineData("/hangfire/recurring/remove")]
    [InlineData("/hangfire/recurring/trigger")]
    [InlineData("/hangfire/jobs/failed/requeue")]
    [InlineData("/hangfire/jobs/enqueued/delete")]
    public async Task Dashboard_RefusesTheRegulatorsCommands_AndTheJobStays(string command)
    {
        using var app = new FinanceChainApp();
        var regulator = await app.ClientAsync(Role.Regulator);

        var response = await regulator.PostAsync(command, new FormUrlEncodedContent([new("jobs[]", RosterSchedule.JobId)]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(RecurringJob(app).Removed);
        Assert.Equal(0, await RunCountAsync(app));
        var schedule = await (await regulator.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(schedule["registered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Dashboard_LetsTheRegulatorReadItsCounters_WithoutAuditingThem()
    {
        using var app = new FinanceChainApp();
        var regulator = await app.ClientAsync(Role.Regulator);
        var admin = await app.ClientAsync(Role.Admin);
        var before = await AuditCountAsync(app);

        foreach (var client in new[] { regulator, admin })
        {
            // As the dashboard's script does: with the antiforgery token its page carries.
            var page = await (await client.GetAsync("/hangfire")).Content.ReadAsStringAsync();
            var token = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats") { Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]) };
            request.Headers.Add("RequestVerificationToken", token);
            var stats = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        }

        Assert.Equal(before, await AuditCountAsync(app));
    }

    private static async Task<long> AuditCountAsync(FinanceChainApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log");
    }

    [Fact]
    public async Task Schedule_OfARemovedJob_HasNoNextRun()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        app.Services.GetRequiredService<IRecurringJobManagerV2>().RemoveIfExists(RosterSchedule.JobId);

        var schedule = await (await admin.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(schedule["registered"]!.GetValue<bool>());
        Assert.Null(schedule["nextRun"]);
        Assert.Equal(RosterSchedule.Cron, schedule["cron"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/recurring/trigger", "jobs.recurringTriggered")]
    [InlineData("/recurring/remove", "jobs.recurringRemoved")]
    [InlineData("/jobs/failed/requeue", "jobs.requeued")]
    [InlineData("/jobs/actions/requeue/42", "jobs.requeued")]
    [InlineData("/jobs/scheduled/delete", "jobs.deleted")]
    [InlineData("/servers/clear", "jobs.command")]
    public void DashboardCommand_IsAuditedUnderItsAction(string path, string action) =>
        Assert.Equal(action, JobsDashboardAccess.ActionOf(path));

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
                Assert.Single(connection.GetRecurringJobs(), j => j.Id == "roster-republish");
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
