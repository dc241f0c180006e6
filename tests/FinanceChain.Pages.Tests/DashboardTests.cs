using FinanceChain.Api.Dashboard;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>The dashboard: every chart drawn by ECharts from the service's own copy, its numbers in the table beside it.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class DashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task Regulator_OpensTheDashboard_ChartsRender_AndTablesHoldTheNumbers()
    {
        await using var session = await browser.SignedInAsync(Role.Regulator);
        var page = session.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "数据看板" }).First.ClickAsync();
        Assert.EndsWith("/dashboard", page.Url);

        foreach (var chart in new[] { "chart-amount-chain", "chart-offers-chain", "chart-amount-bank", "chart-offers-bank", "chart-smes", "chart-notes", "chart-notes-amount", "chart-requests", "chart-requests-chain" })
        {
            await Assertions.Expect(page.Locator($"#{chart}[data-rendered=true] canvas")).ToHaveCountAsync(1);
        }

        // The tables say what the store counted, in 万元 and counts, by half-year.
        var figures = await browser.Server.Services.GetRequiredService<DashboardStore>().ReadAsync(CancellationToken.None);
        var h1 = figures.FinancedByChain.Single(r => r.Period == "2026H1" && r.Name == "汽车");
        Assert.Equal(2, h1.Count);
        Assert.Equal(420_000_000, h1.Amount);
        await Assertions.Expect(Cell(page, "chart-amount-chain", "汽车", "2026年上半年")).ToHaveTextAsync("420");
        await Assertions.Expect(Cell(page, "chart-offers-chain", "汽车", "2026年上半年")).ToHaveTextAsync("2");
        await Assertions.Expect(Cell(page, "chart-amount-bank", "中国银行湖北省分行(演示)", "2026年上半年")).ToHaveTextAsync("420");

        var issued = figures.NoteEvents.Single(r => r.Period == "2026H1" && r.KeyId == "issued");
        Assert.Equal(3, issued.Count);
        await Assertions.Expect(Cell(page, "chart-notes", "签发", "2026年上半年")).ToHaveTextAsync("3");
        await Assertions.Expect(Cell(page, "chart-notes", "贴现", "2026年上半年")).ToHaveTextAsync("2");
        await Assertions.Expect(Cell(page, "chart-notes", "签发", "2026年下半年")).ToHaveTextAsync("1");
        // Dishonoured as the roster counts it: the chemicals note once, though both its holders were refused.
        Assert.Equal(1, figures.NoteEvents.Single(r => r.Period == "2026H1" && r.KeyId == "dishonoured").Count);
        await Assertions.Expect(Cell(page, "chart-notes", "拒付", "2026年上半年")).ToHaveTextAsync("1");
        await Assertions.Expect(Cell(page, "chart-notes-amount", "拒付", "2026年上半年")).ToHaveTextAsync("150");
        await Assertions.Expect(Cell(page, "chart-notes", "拒付", "2026年下半年")).ToHaveTextAsync("0");
        var smes = figures.SmesServedByChain.Where(r => r.Period == "2026H1").Sum(r => r.Count);
        Assert.True(smes >= 6, $"SMEs served in 2026H1: {smes}");
        await Assertions.Expect(Cell(page, "chart-requests", "未获报价", "2026年上半年")).ToHaveTextAsync("2");
        await Screenshots.SaveAsync(page, "dashboard");
    }

    /// <summary>The table cell of a chart's table in the row named <paramref name="row"/> and the column headed <paramref name="column"/>.</summary>
    private static ILocator Cell(IPage page, string chart, string row, string column)
    {
        var table = page.GetByTestId(chart + "-table");
        var index = $"count(//table[@data-testid='{chart}-table']/thead/tr/th[normalize-space()='{column}']/preceding-sibling::th) + 1";
        return table.Locator($"xpath=./tbody/tr[th[normalize-space()='{row}']]/*[{index}]");
    }
}
