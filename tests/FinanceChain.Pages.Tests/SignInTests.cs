using FinanceChain.Api.Keys;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>Signing in and out as a person would: with the key the administrator handed out, in a browser.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class SignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task Regulator_SignsIn_AndSeesTheReviewDesk_InChinese()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.GotoAsync("/");
        Assert.EndsWith("/signin?returnUrl=%2F", page.Url);
        await session.SignInAsync(browser.Server.Keys[Role.Regulator]);

        Assert.Equal(browser.BaseUrl + "/", page.Url);
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "名录审核工作台" })).ToBeVisibleAsync();
        var who = page.GetByTestId("who");
        await Assertions.Expect(who).ToContainTextAsync("人民银行湖北省分行 名录审核(演示)");
        await Assertions.Expect(who).ToContainTextAsync("人民银行分支机构");
        await Assertions.Expect(page.GetByTestId("current-period")).ToContainTextAsync("2026年下半年");
        await Assertions.Expect(page.GetByTestId("current-period")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("待审核|已退回|已公示"));
        await Assertions.Expect(page.GetByTestId("roster-periods")).ToContainTextAsync("2026年上半年");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "审计记录" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongKey_ShowsTheFormAgain_WithAMessageBesideTheField()
    {
        await using var session = await browser.OpenAsync();
        await session.SignInAsync("fc_this-is-not-a-key");

        var page = session.Page;
        Assert.EndsWith("/signin", page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("密钥无效或已被吊销，请核对后重试。");
        await Assertions.Expect(page.GetByLabel("访问密钥")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("访问密钥")).ToHaveValueAsync("");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "fc_session");
        await Screenshots.SaveAsync(page, "signin-wrong-key");
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        await using var session = await browser.SignedInAsync(Role.Admin);
        var page = session.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "管理工作台" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        Assert.EndsWith("/signin", page.Url);
        await page.GotoAsync("/dashboard");
        Assert.Contains("/signin?returnUrl=%2Fdashboard", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingTheKey_SignsItsSessionOut_AtTheNextRequest()
    {
        var keys = browser.Server.Services.GetRequiredService<KeyStore>();
        var (row, plain) = await keys.CreateAsync(Role.Regulator, "临时审核岗", null, null, "test", "admin", CancellationToken.None);
        await using var session = await browser.OpenAsync();
        await session.SignInAsync(plain);
        Assert.Equal(browser.BaseUrl + "/", session.Page.Url);

        await keys.RevokeAsync(row.Id, new FinanceChain.Api.Auth.Caller("test", "test", Role.Admin, null, null), CancellationToken.None);
        await session.Page.ReloadAsync();
        Assert.Contains("/signin", session.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_ShowsThePagesInEnglish_AndBack()
    {
        await using var session = await browser.SignedInAsync(Role.Regulator);
        var page = session.Page;
        await page.GotoAsync("/rosters");

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        Assert.EndsWith("/rosters", page.Url);
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roster review", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("roster-periods")).ToContainTextAsync("H1 2026");
        await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync("Central-bank branch");
        await page.GotoAsync("/rosters/2026H1");
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("Published");
        await Screenshots.SaveAsync(page, "roster-english");
        await page.GotoAsync("/rosters");

        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "名录审核", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ABrowserAskingForEnglish_StillGetsChinese_UntilTheSwitchIsUsed()
    {
        await using var session = await browser.OpenAsync(locale: "en-US");
        await session.Page.GotoAsync("/roster");
        Assert.Equal("zh-CN", await session.Page.Locator("html").GetAttributeAsync("lang"));
    }
}
