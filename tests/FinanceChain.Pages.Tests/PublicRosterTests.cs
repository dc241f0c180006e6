using System.Net;
using FinanceChain.Pages.Tests.Infrastructure;
using MiniExcelLibs;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>The public roster (公示): anyone may read it and download it, with Chinese headers.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class PublicRosterTests(BrowserFixture browser)
{
    private static readonly string[] ChineseHeader =
    [
        "期别", "产业链代码", "产业链名称", "行政区划代码", "主办行", "担任主办行起始日期", "核心企业", "成效统计期",
        "获接受报价笔数", "融资金额（元）", "贴现票据张数", "服务企业户数",
    ];

    [Fact]
    public async Task Visitor_ReadsThePublishedRoster_WithoutSigningIn_AndAnEarlierPeriod()
    {
        await using var visitor = await browser.OpenAsync();
        var page = visitor.Page;
        await page.GotoAsync("/roster");
        var roster = page.GetByTestId("public-roster");
        await Assertions.Expect(roster).ToContainTextAsync("中国农业银行湖北省分行(演示)");
        await Assertions.Expect(roster).ToContainTextAsync("潜江虾乡食品有限公司(演示)");
        // Flags and the review stay with the reviewer.
        await Assertions.Expect(page.Locator(".flag")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("download-xlsx")).ToBeVisibleAsync();

        await page.GotoAsync("/roster/2026H1");
        await Assertions.Expect(page.GetByTestId("public-roster")).ToContainTextAsync("2026年上半年名录");
        await Assertions.Expect(page.GetByTestId("public-roster")).ToContainTextAsync("中国银行湖北省分行(演示)");
        Assert.Equal(404, (await page.GotoAsync("/roster/2031H1"))!.Status);
    }

    [Fact]
    public async Task LatestRoster_AsXlsx_OpensWithChineseHeaders_AndOneRowPerChain()
    {
        using var client = SessionClient.Anonymous(browser.Server.BaseAddress);
        var response = await client.GetAsync("/api/v1/rosters/published/latest?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^roster-2026H[12]\.xlsx$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffered = new MemoryStream();
        await stream.CopyToAsync(buffered);
        buffered.Position = 0;
        var rows = buffered.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(ChineseHeader, rows[0].Values.Select(v => v?.ToString()).ToArray());
        Assert.InRange(rows.Count - 1, 9, 10);
        Assert.Contains(rows.Skip(1), r => Equals(r["C"], "特色淡水产品(小龙虾)"));

        var csv = await client.GetStringAsync("/api/v1/rosters/published/latest?format=csv");
        Assert.StartsWith(string.Join(',', ChineseHeader), csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }
}
