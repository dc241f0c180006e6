using System.Text.RegularExpressions;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>
/// The enterprise and bank desks as a new user tries them with the demo data: an SME requests financing and sees
/// ranked, explained matches; the lead bank finds it in its inbox and offers; the SME accepts; the core enterprise
/// issues a note to the SME, which passes part of it on; receivables are registered and confirmed; a bank's stale
/// product edit says so. Each step is checked on both sides. On a server of its own (<see cref="DeskServer"/>).
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class DeskJourneyTests(BrowserFixture browser, DeskServer desk) : IClassFixture<DeskServer>
{
    private const string Sme = "襄阳驰远汽车零部件有限公司(演示)";
    private const string Dealer = "武汉通达汽车销售服务有限公司(演示)";
    private const string Core = "东湖汽车制造有限公司(演示)";
    private const string LeadBank = "中国银行湖北省分行(演示)";

    private PagesServer Server => desk.Server;

    [Fact]
    public async Task Sme_RequestsAndSeesExplainedMatches_BankOffersFromItsInbox_SmeAccepts()
    {
        await using var sme = await browser.SignedInAsync(Server.KeyOf("SME 襄阳驰远"), Server);
        var page = sme.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "融资需求", Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "发布融资需求" }).ClickAsync();
        Assert.EndsWith("/requests/new", page.Url);
        await Assertions.Expect(page.GetByLabel("产业链")).ToHaveValueAsync(new Regex("^chn_"));

        // The API's own messages beside the fields, in Chinese; nothing is made.
        await page.GetByLabel("融资金额（元）").FillAsync("1000000.005");
        await page.GetByLabel("期限（天）").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "发布需求" }).ClickAsync();
        await Assertions.Expect(page.Locator(".field-error", new() { Has = page.GetByLabel("融资金额（元）") })).ToContainTextAsync("金额最多两位小数");
        await Assertions.Expect(page.Locator(".field-error", new() { Has = page.GetByLabel("用途", new() { Exact = true }) }).Locator(".error-text")).ToBeVisibleAsync();
        Assert.EndsWith("/requests/new", page.Url);

        await page.GetByLabel("融资金额（元）").FillAsync("1000000");
        await page.GetByLabel("用途", new() { Exact = true }).FillAsync("新车型座椅骨架备料");
        await page.GetByRole(AriaRole.Button, new() { Name = "发布需求" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("融资需求已发布。");
        Assert.Matches("/requests/frq_[0-9a-f]{32}", page.Url);
        var requestUrl = new Uri(page.Url).AbsolutePath;

        // Ranked and explained: the chain's lead bank marked, reasons in Chinese, rates as ranges.
        var matches = page.GetByTestId("matches");
        var lead = matches.Locator(".match-lead");
        await Assertions.Expect(lead).ToContainTextAsync(LeadBank);
        await Assertions.Expect(lead).ToContainTextAsync("主办行");
        await Assertions.Expect(lead).ToContainTextAsync("年化 3.00 % – 4.80 %");
        Assert.True(await lead.Locator(".reasons li").CountAsync() > 0);
        Assert.Matches("\\p{IsCJKUnifiedIdeographs}", await lead.Locator(".reasons li").First.InnerTextAsync());
        Assert.DoesNotContain("prd_", await matches.InnerTextAsync(), StringComparison.Ordinal);

        // A bank none of whose products fits the request cannot open its page: 404, as if it did not exist.
        using (var other = await SessionClient.SignedInAsync(Server.BaseAddress, Server.KeyOf("bank 中国农业银行")))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.GetAsync(requestUrl)).StatusCode);
            Assert.DoesNotContain("新车型座椅骨架备料", await other.GetStringAsync("/inbox"), StringComparison.Ordinal);
        }

        // The lead bank finds it in its inbox, with the enterprise's name, size and region.
        await using var bank = await browser.SignedInAsync(Server.Keys[Role.Bank], Server);
        await bank.Page.GetByRole(AriaRole.Link, new() { Name = "需求收件箱" }).First.ClickAsync();
        var row = bank.Page.GetByTestId("inbox").GetByRole(AriaRole.Row).Filter(new() { HasText = "新车型座椅骨架备料" });
        await Assertions.Expect(row).ToContainTextAsync(Sme);
        await Assertions.Expect(row).ToContainTextAsync("湖北省襄阳市");
        await Assertions.Expect(row).ToContainTextAsync("型企业");
        await Assertions.Expect(row).ToContainTextAsync("1,000,000.00 元");
        await Screenshots.SaveAsync(bank.Page, "desk-inbox");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        Assert.EndsWith(requestUrl, bank.Page.Url);
        await bank.Page.GetByLabel("年利率（%）").FillAsync("3.505");
        await bank.Page.GetByRole(AriaRole.Button, new() { Name = "发送报价" }).ClickAsync();
        await Assertions.Expect(bank.Page.Locator(".field-error", new() { Has = bank.Page.GetByLabel("年利率（%）") })).ToBeVisibleAsync();
        await bank.Page.GetByLabel("年利率（%）").FillAsync("3.50");
        await bank.Page.GetByRole(AriaRole.Button, new() { Name = "发送报价" }).ClickAsync();
        await Assertions.Expect(bank.Page.GetByTestId("done")).ToHaveTextAsync("报价已发送给企业。");
        await Assertions.Expect(bank.Page.GetByTestId("offers")).ToContainTextAsync("待接受");

        // The SME sees the offer and accepts it; the bank sees it accepted among its offers.
        await page.GotoAsync(requestUrl);
        await Assertions.Expect(page.GetByTestId("request-status")).ToHaveTextAsync("已有报价");
        await Screenshots.SaveAsync(page, "desk-request");
        await page.GetByRole(AriaRole.Button, new() { Name = $"接受{LeadBank}的报价" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("已接受报价，其他报价已自动谢绝。");
        await Assertions.Expect(page.GetByTestId("request-status")).ToHaveTextAsync("已接受报价");
        await Assertions.Expect(page.GetByTestId("offers")).ToContainTextAsync("年化 3.50 %");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "撤回需求" })).ToHaveCountAsync(0);

        await bank.Page.GotoAsync("/offers");
        await bank.Page.GetByTestId("offer-tabs").GetByRole(AriaRole.Link, new() { Name = "已接受" }).ClickAsync();
        var accepted = bank.Page.GetByTestId("bank-offers").GetByRole(AriaRole.Row).Filter(new() { HasText = "1,000,000.00 元" });
        await Assertions.Expect(accepted).ToContainTextAsync("已接受");
        await bank.Page.GotoAsync("/offers?status=pending");
        await Assertions.Expect(bank.Page.GetByTestId("bank-offers").GetByRole(AriaRole.Row).Filter(new() { HasText = "1,000,000.00 元" })).ToHaveCountAsync(0);
        // Accepted, the request left the inbox.
        await bank.Page.GotoAsync("/inbox");
        Assert.DoesNotContain("新车型座椅骨架备料", await bank.Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Core_IssuesNoteToSme_SmePassesPartOn_EveryHolderSeesTheRanges()
    {
        await using var core = await browser.SignedInAsync(Server.Keys[Role.Enterprise], Server);
        var page = core.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "供应链票据" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "签发票据" }).ClickAsync();
        await page.GetByLabel("收款人").SelectOptionAsync(new SelectOptionValue { Label = Sme });
        await page.GetByLabel("票面金额（元）").FillAsync("500000");
        await page.GetByLabel("到期日").FillAsync("2027-01-29");
        await page.GetByRole(AriaRole.Button, new() { Name = "签发并承兑" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("票据已签发。");
        Assert.Matches("/notes/nte_[0-9a-f]{32}", page.Url);
        var noteUrl = new Uri(page.Url).AbsolutePath;
        await Assertions.Expect(page.GetByTestId("holdings")).ToContainTextAsync(Sme);
        await Assertions.Expect(page.GetByTestId("holdings")).ToContainTextAsync("50,000,000");

        // The SME finds it among its notes and passes part on; more than it holds is refused with the API's words.
        await using var sme = await browser.SignedInAsync(Server.KeyOf("SME 襄阳驰远"), Server);
        await sme.Page.GotoAsync("/notes");
        var number = (await page.Locator("h1 code").InnerTextAsync()).Trim();
        await sme.Page.GetByTestId("notes").GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        Assert.EndsWith(noteUrl, sme.Page.Url);
        await sme.Page.GetByLabel("受让企业").SelectOptionAsync(new SelectOptionValue { Label = Dealer });
        await sme.Page.GetByLabel("转让金额（元）").FillAsync("600000");
        await sme.Page.GetByRole(AriaRole.Button, new() { Name = "转让", Exact = true }).ClickAsync();
        await Assertions.Expect(sme.Page.GetByTestId("form-error")).ToContainTextAsync("持有的子票区间不足");
        await sme.Page.GetByLabel("转让金额（元）").FillAsync("200000");
        await sme.Page.GetByRole(AriaRole.Button, new() { Name = "转让", Exact = true }).ClickAsync();
        await Assertions.Expect(sme.Page.GetByTestId("done")).ToHaveTextAsync("子票区间已转让。");

        // Two ranges, two colours: the dealer holds the lowest-numbered sub-notes.
        var holdings = sme.Page.GetByTestId("holdings");
        await Assertions.Expect(holdings.Locator(".note-bar-part")).ToHaveCountAsync(2);
        await Assertions.Expect(holdings.Locator("tbody tr").First).ToContainTextAsync(Dealer);
        await Assertions.Expect(holdings.Locator("tbody tr").First).ToContainTextAsync("20,000,000");
        await Assertions.Expect(holdings.Locator("tbody tr").Nth(1)).ToContainTextAsync("300,000.00 元");
        await Assertions.Expect(sme.Page.GetByTestId("history")).ToContainTextAsync("转让");
        await Screenshots.SaveAsync(sme.Page, "desk-note");

        // The acceptor and the new holder see the same ranges.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("holdings").Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync(Dealer);
        await using var dealer = await browser.SignedInAsync(Server.KeyOf("SME 武汉通达"), Server);
        await dealer.Page.GotoAsync(noteUrl);
        await Assertions.Expect(dealer.Page.GetByTestId("holdings")).ToContainTextAsync("200,000.00 元");
        await Assertions.Expect(dealer.Page.GetByTestId("pass-on-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Sme_RegistersReceivableWithInvoices_CoreConfirms_BothSeeWhatRemains()
    {
        await using var sme = await browser.SignedInAsync(Server.KeyOf("SME 襄阳驰远"), Server);
        var page = sme.Page;
        await page.GotoAsync("/receivables");
        var form = page.GetByTestId("register-form");
        await form.GetByLabel("债务人").SelectOptionAsync(new SelectOptionValue { Label = Core });
        await form.GetByLabel("金额（元）").FillAsync("300000");
        await form.GetByLabel("到期日").FillAsync("2027-02-26");
        await form.GetByLabel("发票号码").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Assertions.Expect(form.Locator(".field-error", new() { Has = page.GetByLabel("发票号码") }).Locator(".error-text")).ToBeVisibleAsync();

        await form.GetByLabel("发票号码").FillAsync("26420000000000000099\n26420000000000000100");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("应收账款已登记，等待债务人确认。");
        var mine = page.GetByTestId("receivables").GetByRole(AriaRole.Row).Filter(new() { HasText = "26420000000000000099" });
        await Assertions.Expect(mine).ToContainTextAsync("待确认");
        await Assertions.Expect(mine.GetByRole(AriaRole.Button, new() { Name = "撤销" })).ToBeVisibleAsync();

        // The debtor confirms; both see it confirmed, with all of it remaining.
        await using var core = await browser.SignedInAsync(Server.Keys[Role.Enterprise], Server);
        await core.Page.GotoAsync("/receivables");
        var owed = core.Page.GetByTestId("receivables").GetByRole(AriaRole.Row).Filter(new() { HasText = "26420000000000000099" });
        await owed.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await Assertions.Expect(core.Page.GetByTestId("done")).ToHaveTextAsync("已确认该应收账款。");
        await Assertions.Expect(owed).ToContainTextAsync("已确权");
        await page.ReloadAsync();
        await Assertions.Expect(mine).ToContainTextAsync("已确权");
        await Assertions.Expect(mine).ToContainTextAsync("300,000.00 元");

        // A second one the SME cancels itself before the debtor answers.
        await form.GetByLabel("债务人").SelectOptionAsync(new SelectOptionValue { Label = Core });
        await form.GetByLabel("金额（元）").FillAsync("1000");
        await form.GetByLabel("到期日").FillAsync("2027-02-26");
        await form.GetByLabel("发票号码").FillAsync("26420000000000000101");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        var second = page.GetByTestId("receivables").GetByRole(AriaRole.Row).Filter(new() { HasText = "26420000000000000101" });
        await second.GetByRole(AriaRole.Button, new() { Name = "撤销" }).ClickAsync();
        await Assertions.Expect(second).ToContainTextAsync("已撤销");
    }

    [Fact]
    public async Task Bank_EditsProduct_AStaleEditSaysSo_AndChangesNothing()
    {
        await using var first = await browser.SignedInAsync(Server.Keys[Role.Bank], Server);
        await using var second = await browser.SignedInAsync(Server.Keys[Role.Bank], Server);
        foreach (var session in new[] { first, second })
        {
            await session.Page.GotoAsync("/products");
            await session.Page.GetByTestId("products").GetByRole(AriaRole.Row).Filter(new() { HasText = "链捷贷" }).GetByRole(AriaRole.Link, new() { Name = "修改" }).ClickAsync();
        }

        await first.Page.GetByLabel("最高年利率（%）").FillAsync("5.10");
        await first.Page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(first.Page.GetByTestId("done")).ToHaveTextAsync("产品条件已保存。");
        await Assertions.Expect(first.Page.GetByTestId("products").GetByRole(AriaRole.Row).Filter(new() { HasText = "链捷贷" })).ToContainTextAsync("5.10 %");

        await second.Page.GetByLabel("最高年利率（%）").FillAsync("6.00");
        await second.Page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(second.Page.GetByTestId("form-error")).ToContainTextAsync("已被他人修改");
        await second.Page.GetByRole(AriaRole.Link, new() { Name = "重新载入最新版本" }).ClickAsync();
        await Assertions.Expect(second.Page.GetByLabel("最高年利率（%）")).ToHaveValueAsync("5.10");

        // Bad input: the API's message beside the field.
        await second.Page.GetByLabel("最低金额（元）").FillAsync("-1");
        await second.Page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(second.Page.Locator(".field-error", new() { Has = second.Page.GetByLabel("最低金额（元）") }).Locator(".error-text")).ToBeVisibleAsync();
    }
}
