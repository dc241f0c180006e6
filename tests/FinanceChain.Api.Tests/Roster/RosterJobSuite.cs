using System.Net;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>
/// The roster-republish job's runs and its catch-up at start-up, on every provider
/// (<see cref="SqliteRosterJobTests"/>, <see cref="SqlServerRosterJobTests"/>). Schedule, storage and dashboard are
/// in <see cref="RosterJobTests"/>.
/// </summary>
public abstract class RosterJobSuite<TProvider>
    where TProvider : DatabaseProvider, new()
{
    // 00:00 on 1 July 2026 in Shanghai.
    private static readonly Instant H2Start = Instant.FromUtc(2026, 6, 30, 16, 0);

    private static readonly TProvider Provider = new();

    private static Dictionary<string, string?> CatchUpOn() => new() { ["Hangfire:CatchUp"] = "true" };

    private static Task<long> RunCountAsync(FinanceChainApp app) => RosterJobTests.RunCountAsync(app);

    [ProviderFact]
    public async Task ScheduledRun_AMomentBeforeMidnightOnJuly1InShanghai_CompilesTheHalfYearThatStarts()
    {
        // 23:58 on 30 June in Shanghai: an instance whose clock runs ahead, or the dashboard's "Trigger now".
        using var app = Provider.NewApp(clock: new FakeClock(H2Start - Duration.FromMinutes(2)));
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

    [ProviderFact]
    public async Task Job_IsIdempotentPerPeriod_AndAuditedAsSystem()
    {
        using var app = Provider.NewApp();
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

    [ProviderFact]
    public async Task Job_SkipsAPublishedPeriod_AndCompilesThePeriodThatStartsOnItsDay()
    {
        using var app = Provider.NewApp();
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

    [ProviderFact]
    public async Task Job_ReplacesAnEarlierHumanDraft_ButNotAfterItsOwnRun()
    {
        using var app = Provider.NewApp(clock: new FakeClock(Instant.FromUtc(2026, 6, 20, 0, 0)));
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

    [ProviderFact]
    public async Task CatchUp_AtStartup_RunsOnce_NotAgainOnASecondStart()
    {
        using var database = Provider.NewDatabase();
        var clock = new FakeClock(FinanceChainApp.DefaultNow);
        using (var first = database.App(clock, CatchUpOn()))
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
        using (var second = database.App(clock, CatchUpOn()))
        {
            _ = second.Services;
            Assert.Equal(1, await RunCountAsync(second));
        }

        // Down over 1 July: the next start makes up the H2 run, once.
        clock.Reset(H2Start + Duration.FromDays(3));
        using (var third = database.App(clock, CatchUpOn()))
        {
            var admin = await third.ClientAsync(Role.Admin);
            Assert.Equal(2, await RunCountAsync(third));
            var roster = await (await admin.GetAsync("/api/v1/rosters/2026H2")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("draft", roster["status"]!.GetValue<string>());
        }
    }

    [ProviderFact]
    public async Task CatchUp_SeveralInstancesStartingAtOnce_MakeUpTheRunOnce()
    {
        using var database = Provider.NewDatabase();
        var clock = new FakeClock(FinanceChainApp.DefaultNow);
        using (var migrated = database.App(clock))
        {
            _ = migrated.Services; // the schema first, so that the instances meet at the catch-up
        }

        var apps = Enumerable.Range(0, 4).Select(_ => database.App(clock, CatchUpOn())).ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services)));

            Assert.Equal(1, await RunCountAsync(apps[0]));
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Dispose();
            }
        }
    }

    [ProviderFact]
    public async Task CatchUp_Off_RunsNothing()
    {
        using var app = Provider.NewApp();
        var admin = await app.ClientAsync(Role.Admin);

        Assert.Equal(0, await RunCountAsync(app));
        await (await admin.GetAsync("/api/v1/rosters/2026H1")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}

/// <summary>The roster job suite on SQLite.</summary>
public sealed class SqliteRosterJobTests : RosterJobSuite<SqliteProvider>;

/// <summary>The roster job suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerRosterJobTests : RosterJobSuite<SqlServerProvider>;
