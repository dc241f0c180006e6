using System.Net;
using FinanceChain.Api.Cli;
using FinanceChain.Api.Tests.Infrastructure;

namespace FinanceChain.Api.Tests.Products;

public sealed class DemoProductsTests : IDisposable
{
    private readonly FinanceChainApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Demo_PostsChainSpecificAndGeneralProducts_OnceOnly_AndTheDemoSmeGetsMatches()
    {
        var output = new StringWriter();
        await CommandLine.SeedDemoAsync(_app.Services, output);
        await CommandLine.SeedDemoAsync(_app.Services, new StringWriter());

        string KeyOf(string label) => output.ToString().Split('\n').Single(l => l.Contains(label, StringComparison.Ordinal)).Split(": ").Last().Trim();
        var admin = _app.ClientWithKey(KeyOf("admin (industry department)"));
        var products = (await (await admin.GetAsync("/api/v1/products?limit=200")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();

        Assert.Equal(9, products.Count);
        Assert.All(products, p => Assert.EndsWith("(演示)", p!["name"]!.GetValue<string>()));
        Assert.All(products, p => Assert.InRange(p!["minRateBps"]!.GetValue<int>(), 250, 600));
        Assert.All(products, p => Assert.InRange(p!["maxRateBps"]!.GetValue<int>(), 250, 600));
        Assert.Contains(products, p => p!["chainIds"]!.AsArray().Count == 0);
        Assert.Contains(products, p => p!["chainIds"]!.AsArray().Count > 0);

        var sme = _app.ClientWithKey(KeyOf("SME 襄阳驰远"));
        var chains = (await (await admin.GetAsync("/api/v1/chains?limit=200")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var auto = chains.Single(c => c!["code"]!.GetValue<string>() == "HB-AUTO")!["id"]!.GetValue<string>();
        var request = await sme.CreateRequestAsync(ProductData.Request(auto, amount: 800_000m, termDays: 90, collateralOffered: ["receivable"]));
        var matches = await (await sme.GetAsync($"/api/v1/financing-requests/{request}/matches")).ExpectAsync(HttpStatusCode.OK);
        var first = matches["items"]![0]!;
        Assert.True(first["isLeadBank"]!.GetValue<bool>());
        Assert.Equal(300, first["minRateBps"]!.GetValue<int>());
    }
}
