using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>The central-bank branch reviews the half-year's draft roster: flags in words, the diff, return, compile, approve.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class RosterReviewTests(BrowserFixture browser)
{
    private const string Period = "2026H2";

    [Fact]
    public async Task Regulator_ReturnsDraftWithComment_CompilesAgain_ThenApproves_AndThePublicRosterShowsIt()
    {
        await using var session = await browser.SignedInAsync(Role.Regulator);
        var page = session.Page;
        await Assertions.Expect(page.GetByTestId("current-period")).ToContainTextAsync("待审核");
        await Screenshots.SaveAsync(page, "desk");

        await page.GetByRole(AriaRole.Link, new() { Name = "审核本期名录" }).ClickAsync();
        Assert.EndsWith($"/rosters/{Period}", page.Url);
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("待审核");

        // Flags in words, highlighted, on the chains the demo left wanting.
        var entries = page.GetByTestId("roster-entries");
        var opto = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = "光电子信息" });
        await Assertions.Expect(opto).ToHaveClassAsync("row-flagged");
        await Assertions.Expect(opto.Locator("[data-flag=noLeadBank] .flag-label")).ToHaveTextAsync("无主办行");
        await Assertions.Expect(opto.Locator("[data-flag=noCoreEnterprise] .flag-label")).ToHaveTextAsync("无核心企业");
        var chemicals = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = "现代化工" });
        await Assertions.Expect(chemicals.Locator("[data-flag=coreEnterpriseDishonouredNote] .flag-label")).ToHaveTextAsync("核心企业拒付票据");
        await Assertions.Expect(entries.GetByRole(AriaRole.Row).Filter(new() { HasText = "蔬菜(香菇)" }).Locator("[data-flag=leadBankFinancedNothing]")).ToBeVisibleAsync();

        // Names, not ids: lead banks, core enterprises; the lead bank's results of the half-year before.
        var auto = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = "汽车" }).First;
        await Assertions.Expect(auto).ToContainTextAsync("中国银行湖北省分行(演示)");
        await Assertions.Expect(auto).ToContainTextAsync("东湖汽车制造有限公司(演示)");
        await Assertions.Expect(auto).ToContainTextAsync("420 万元");
        Assert.DoesNotContain("ch_", await entries.InnerTextAsync(), StringComparison.Ordinal);

        // The difference from the published 2026H1 roster.
        var diff = page.GetByTestId("roster-diff");
        await Assertions.Expect(diff).ToContainTextAsync("2026年上半年");
        await Assertions.Expect(diff).ToContainTextAsync("光电子信息");
        await Assertions.Expect(diff).ToContainTextAsync("航空航天：主办行变更");
        await Assertions.Expect(diff).ToContainTextAsync("中国银行湖北省分行(演示) → 中国建设银行湖北省分行(演示)");
        await Assertions.Expect(diff).ToContainTextAsync("+ 武汉东风零部件集团有限公司(演示)");
        await Screenshots.SaveAsync(page, "roster-review");

        // Returning needs a comment: without one the form comes back with the message beside the field.
        await page.GetByRole(AriaRole.Button, new() { Name = "退回", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("return-comment-error")).ToBeVisibleAsync();
        Assert.Equal(RosterStatus.Draft, await StatusAsync());

        await page.GetByLabel("退回理由（必填）").FillAsync("光电子信息产业链尚无主办行，请先完成配对后重新编制。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退回", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("已退回");
        await Assertions.Expect(page.GetByText("光电子信息产业链尚无主办行，请先完成配对后重新编制。")).ToBeVisibleAsync();
        Assert.Equal(RosterStatus.Returned, await StatusAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "重新编制" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("待审核");

        await page.GetByLabel("审核意见（选填）").FillAsync("同意公示。");
        await page.GetByRole(AriaRole.Button, new() { Name = "审核通过并公示" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("已公示");
        await Assertions.Expect(page.GetByTestId("review-forms")).ToHaveCountAsync(0);
        Assert.Equal(RosterStatus.Published, await StatusAsync());

        // The public roster, without signing in.
        await using var visitor = await browser.OpenAsync();
        await visitor.Page.GotoAsync("/roster");
        var published = visitor.Page.GetByTestId("public-roster");
        await Assertions.Expect(published).ToContainTextAsync("2026年下半年名录");
        await Assertions.Expect(published).ToContainTextAsync("光电子信息");
        await Assertions.Expect(visitor.Page.GetByTestId("published-periods")).ToContainTextAsync("2026年上半年");
        await Screenshots.SaveAsync(visitor.Page, "public-roster");
    }

    private async Task<RosterStatus?> StatusAsync() =>
        (await browser.Server.Services.GetRequiredService<RosterStore>().GetAsync(HalfYear.Parse(Period), CancellationToken.None))?.Roster.Status;
}
