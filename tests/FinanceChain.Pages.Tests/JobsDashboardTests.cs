using System.Text.RegularExpressions;
using FinanceChain.Api.Audit;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>
/// The jobs dashboard opens with the session: read-only for the central-bank branch (no button to press, and its
/// command routes refused even with a valid antiforgery token), full for the admin, whose commands are audited.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class JobsDashboardTests(BrowserFixture browser)
{
    private const string JobId = "roster-republish";

    [Fact]
    public async Task Regulator_SeesTheJobsReadOnly_AndCannotRemoveTriggerOrRequeue()
    {
        await using var session = await browser.SignedInAsync(Role.Regulator);
        var page = session.Page;
        await page.GotoAsync("/hangfire/recurring");
        await Assertions.Expect(page.GetByText(JobId).First).ToBeVisibleAsync();
        // Read-only: Hangfire draws no command buttons and no row checkboxes.
        await Assertions.Expect(page.Locator("button[data-url]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("input.js-jobs-list-checkbox")).ToHaveCountAsync(0);

        var token = await CsrfTokenAsync(page);
        foreach (var command in new[] { "/hangfire/recurring/remove", "/hangfire/recurring/trigger", "/hangfire/jobs/failed/requeue", $"/hangfire/jobs/actions/requeue/{JobId}" })
        {
            var response = await PostCommandAsync(page, command, token);
            Assert.True(response.Status == 403, $"{command}: {response.Status}");
        }

        Assert.False(RecurringJob().Removed);
        var schedule = await page.APIRequest.GetAsync("/api/v1/rosters/schedule", new() { Headers = new Dictionary<string, string> { ["X-Api-Key"] = browser.Server.Keys[Role.Regulator] } });
        Assert.Contains("\"registered\":true", await schedule.TextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "jobs-regulator");
    }

    [Fact]
    public async Task Admin_TriggersTheRosterJob_AndTheTrailSaysWhoDidIt()
    {
        await using var session = await browser.SignedInAsync(Role.Admin);
        var page = session.Page;
        await page.GotoAsync("/hangfire/recurring");
        await Assertions.Expect(page.Locator("input.js-jobs-list-checkbox")).Not.ToHaveCountAsync(0);

        var response = await PostCommandAsync(page, "/hangfire/recurring/trigger", await CsrfTokenAsync(page));
        Assert.True(response.Ok, $"trigger: {response.Status}");

        var (rows, _) = await browser.Server.Services.GetRequiredService<AuditTrail>()
            .PageAsync(new AuditQuery("job", JobId, null, null, null, null, 10), CancellationToken.None);
        var entry = Assert.Single(rows, r => r.Action == "jobs.recurringTriggered");
        Assert.Equal("admin", entry.Role);
        Assert.Equal("省经信厅 产业链专班(演示)", entry.ActorName);
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndBanksAreRefused()
    {
        await using var visitor = await browser.OpenAsync();
        await visitor.Page.GotoAsync("/hangfire");
        Assert.Contains("/signin?returnUrl=%2Fhangfire", visitor.Page.Url, StringComparison.Ordinal);

        await using var bank = await browser.SignedInAsync(Role.Bank);
        var response = await bank.Page.GotoAsync("/hangfire");
        Assert.Equal(403, response!.Status);
    }

    private RecurringJobDto RecurringJob()
    {
        using var connection = browser.Server.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([JobId]).Single();
    }

    /// <summary>The antiforgery token Hangfire's page carries for its own script.</summary>
    private static async Task<string> CsrfTokenAsync(IPage page) =>
        CsrfMeta().Match(await page.ContentAsync()) is { Success: true } match ? match.Groups[1].Value : "";

    private static async Task<IAPIResponse> PostCommandAsync(IPage page, string path, string token)
    {
        var form = page.APIRequest.CreateFormData();
        form.Set("jobs[]", JobId);
        return await page.APIRequest.PostAsync(path, new() { Form = form, Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token } });
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}
