using System.Net;
using System.Text;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Operations;

public sealed class LimitsTests
{
    [Fact]
    public async Task RateLimit_PerKey_Returns429WithRetryAfter_AndNeverBlocksAnotherKey()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "3" });
        var busy = await app.ClientAsync(Role.Admin);
        var other = await app.ClientAsync(Role.Regulator);

        for (var i = 0; i < 3; i++)
        {
            await (await busy.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        }

        var refused = await busy.GetAsync("/api/v1/chains");
        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        await (await other.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(null).GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task RequestBody_OverOneMegabyte_Returns413AndStoresNothing()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var huge = "{\"code\":\"BIG\",\"name\":\"" + new string('链', 400_000) + "\",\"category\":\"manufacturing\",\"region\":\"420100\"}";

        var response = await admin.PostAsync("/api/v1/chains", new StringContent(huge, Encoding.UTF8, "application/json"));

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var list = await (await admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task ListLimit_IsCappedAt200()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        var page = await (await admin.GetAsync("/api/v1/keys?limit=100000")).ExpectAsync(HttpStatusCode.OK);

        Assert.Single(page["items"]!.AsArray());
    }
}
