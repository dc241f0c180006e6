using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Matching;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests;

/// <summary>
/// The inbox lists at most <see cref="BankInbox.MaxProductIds"/> of the bank's products per request, so a request at
/// that cap shows "≥ 20" products, not a count that looks exact. On a server of its own: the products added here
/// would change what the other tests read.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class InboxCapTests(BrowserFixture browser, DeskServer desk) : IClassFixture<DeskServer>
{
    private PagesServer Server => desk.Server;

    [Fact]
    public async Task RequestMatchingMoreProductsThanTheInboxLists_ShowsAtLeastTheCap()
    {
        var key = Server.Keys[Role.Bank];
        using (var sme = new HttpClient { BaseAddress = Server.BaseAddress })
        {
            sme.DefaultRequestHeaders.Add("X-Api-Key", Server.KeyOf("SME 襄阳驰远"));
            var chains = await sme.GetFromJsonAsync<JsonObject>("/api/v1/chains?limit=100");
            var auto = chains!["items"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == "HB-AUTO")!["id"]!.GetValue<string>();
            var request = new { chainId = auto, amount = 800_000m, termDays = 120, purpose = "铝合金轮毂备料", acceptableTypes = new[] { "orderFinancing" }, collateralOffered = Array.Empty<string>() };
            Assert.Equal(HttpStatusCode.Created, (await sme.PostAsJsonAsync("/api/v1/financing-requests", request)).StatusCode);
        }

        using (var api = new HttpClient { BaseAddress = Server.BaseAddress })
        {
            api.DefaultRequestHeaders.Add("X-Api-Key", key);
            for (var i = 0; i < BankInbox.MaxProductIds; i++)
            {
                var product = new
                {
                    name = $"通用流动资金贷款 {i + 1}",
                    type = "orderFinancing",
                    minAmount = 10_000m,
                    maxAmount = 50_000_000m,
                    minTermDays = 7,
                    maxTermDays = 720,
                    minRateBps = 300 + i,
                    maxRateBps = 600,
                    chainIds = Array.Empty<string>(),
                    enterpriseSizes = Array.Empty<string>(),
                    regions = Array.Empty<string>(),
                    collateral = "none",
                    requiresConfirmedReceivable = false,
                };
                Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/products", product)).StatusCode);
            }
        }

        await using var bank = await browser.SignedInAsync(key, Server);
        await bank.Page.GotoAsync("/inbox");
        var row = bank.Page.GetByTestId("inbox").GetByRole(AriaRole.Row).Filter(new() { HasText = "铝合金轮毂备料" });
        await Assertions.Expect(row.Locator("td").Last).ToHaveTextAsync($"≥ {BankInbox.MaxProductIds}");
        await Screenshots.SaveAsync(bank.Page, "desk-inbox-cap");
    }
}
