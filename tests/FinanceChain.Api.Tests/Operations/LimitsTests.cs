using System.Net;
using System.Text;
using Dapper;
using FinanceChain.Api.Http;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
    public async Task DistinctBogusKeys_SpendTheAddressBudget_ThenGet429WithoutALookup()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerMinute"] = "100000",
            ["RateLimiting:FailedAuthenticationsPerMinute"] = "20",
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await app.ClientWithKey($"fc_bogus_{i}_{Guid.NewGuid():N}").GetAsync("/api/v1/chains")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 20), statuses.Take(20));
        // The budget refills a little at a time (one failure every 3 s here): nearly all the rest are refused unread.
        Assert.True(statuses.Skip(20).Count(s => s == HttpStatusCode.TooManyRequests) >= 35, string.Join(", ", statuses));
        Assert.All(statuses.Skip(20), s => Assert.Contains(s, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized }));

        // With the budget spent, keys are not even looked up: a lookup would now fail for want of its table.
        await using (var connection = new SqliteConnection($"Data Source={app.DatabaseFile}"))
        {
            await connection.ExecuteAsync("ALTER TABLE api_keys RENAME TO api_keys_gone");
        }

        var refused = await app.ClientWithKey("fc_one_more_" + Guid.NewGuid().ToString("N")).GetAsync("/api/v1/chains");
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpCodes.AuthenticationFailuresExceeded, problem["code"]!.GetValue<string>());
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task RequestsWithoutAValidKey_ShareTheAddressBucket_ValidKeysKeepTheirOwn()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "3" });
        var admin = await app.ClientAsync(Role.Admin);

        // Missing and unknown keys alike spend the address's bucket.
        await (await app.ClientWithKey(null).GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.ClientWithKey("fc_unknown_1").GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.ClientWithKey("fc_unknown_2").GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var limited = await (await app.ClientWithKey("fc_unknown_3").GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(FinanceChain.Api.Errors.ErrorCodes.TooManyRequests, limited["code"]!.GetValue<string>());
        await (await app.ClientWithKey(null).GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);

        // A valid key from the same address has a bucket of its own.
        await (await admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HeaderValueOver8KB_Is431_BeforeAnyLookup()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        var response = await app.ClientWithKey(new string('k', 8 * 1024 + 1)).GetAsync("/api/v1/chains");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Equal(HttpCodes.HeaderTooLarge, problem["code"]!.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/chains");
        request.Headers.TryAddWithoutValidation("X-Other", new string('x', 9000));
        await (await admin.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
        await (await app.ClientWithKey(new string('k', 8 * 1024)).GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void KestrelLimits_ComeFromConfiguration_WithDeliberateDefaults()
    {
        using var defaults = new FinanceChainApp();
        var limits = defaults.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(1000, limits.MaxConcurrentConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(16 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(8 * 1024, limits.MaxRequestLineSize);
        Assert.Equal(1024 * 1024, limits.MaxRequestBodySize);

        using var configured = new FinanceChainApp(settings: new Dictionary<string, string?>
        {
            ["Server:MaxConcurrentConnections"] = "7",
            ["Server:RequestHeadersTimeoutSeconds"] = "3",
            ["Server:KeepAliveTimeoutSeconds"] = "20",
            ["Server:MaxRequestHeaderCount"] = "40",
        });
        limits = configured.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(7, limits.MaxConcurrentConnections);
        Assert.Equal(TimeSpan.FromSeconds(3), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), limits.KeepAliveTimeout);
        Assert.Equal(40, limits.MaxRequestHeaderCount);
    }

    [Fact]
    public async Task OverRealKestrel_A30KBKey_Is431FromTheServer()
    {
        using var app = new FinanceChainApp();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();
        Assert.NotEqual(80, client.BaseAddress!.Port);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", new string('k', 30 * 1024));

        var response = await client.GetAsync("/api/v1/chains");

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
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
