using System.Net;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Pages.Tests;

/// <summary>The regulator's audit trail page: filters, names beside ids, paging; and the review forms' own role check.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class AuditPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Regulator_FiltersTheTrailByEntity_AndReadsActionsAndActorsInWords()
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Regulator]);

        var html = await client.GetStringAsync("/audit?type=roster&entity=2026H1");

        Assert.Contains("编制名录", html, StringComparison.Ordinal);
        Assert.Contains("审核通过名录", html, StringComparison.Ordinal);
        Assert.Contains("系统（demo-seed） · 人民银行分支机构", html, StringComparison.Ordinal);
        Assert.DoesNotContain("登记产业链", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trail_IsPaged_NewestFirst_AndNamesTheChangedEntity()
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Regulator]);

        var first = await client.GetStringAsync("/audit?type=chain");
        Assert.Contains("特色淡水产品(小龙虾)", first, StringComparison.Ordinal);
        var all = await client.GetStringAsync("/audit");
        var older = System.Text.RegularExpressions.Regex.Match(all, "href=\"(/audit\\?before=\\d+)\" rel=\"next\"");
        Assert.True(older.Success, "the first page links to older entries");
        var next = await client.GetAsync(System.Net.WebUtility.HtmlDecode(older.Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task BadDate_ShowsTheFormAgain_WithTheMessageBesideTheField()
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Regulator]);

        var response = await client.GetAsync("/audit?from=2026-13-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请输入有效日期", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_PostingTheApproveForm_WithAValidToken_Is403_AndTheRosterStaysAsItWas()
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Admin]);
        var rosters = browser.Server.Services.GetRequiredService<RosterStore>();
        var before = await rosters.GetAsync(HalfYear.Parse("2026H2"), CancellationToken.None);
        var token = await client.TokenAsync("/rosters/2026H2");

        var approve = await client.PostAsync("/rosters/2026H2?handler=approve", SessionClient.Form(("__RequestVerificationToken", token), ("version", before!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var giveBack = await client.PostAsync("/rosters/2026H2?handler=return", SessionClient.Form(("__RequestVerificationToken", token), ("ReturnComment", "不应生效")));

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, giveBack.StatusCode);
        Assert.Equal(before.Version, (await rosters.GetAsync(HalfYear.Parse("2026H2"), CancellationToken.None))!.Version);
    }
}
