using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>
/// Hangfire keeps some configuration in static state (its log provider points at the last service started), so
/// the one test that runs a Hangfire server does so alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(HangfireServerCollection), DisableParallelization = true)]
public sealed class HangfireServerCollection;

[Collection(nameof(HangfireServerCollection))]
public sealed class RosterJobServerTests
{
    [Fact]
    public async Task HangfireServer_RunsTheRecurringJobWhenTriggered()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["Hangfire:Server"] = "true" });
        var admin = await app.ClientAsync(Role.Admin);
        await admin.CreateNamedChainAsync("HB-01", "特色淡水产品(小龙虾)");

        app.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(RosterSchedule.JobId);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await RosterJobTests.RunCountAsync(app) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var schedule = await (await admin.GetAsync("/api/v1/rosters/schedule")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("scheduled", schedule["lastRun"]!["trigger"]!.GetValue<string>());
        Assert.Equal("compiled", schedule["lastRun"]!["outcome"]!.GetValue<string>());
        await (await admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK);
    }
}
