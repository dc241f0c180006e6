using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>Memory is measured for the whole process: these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// Many distinct large bogus keys from one address cost a bounded amount of memory: the rate limiter keeps no
/// partition per key it has not authenticated, and once the address's failure budget is spent they are 429.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class BogusKeyMemoryTests(ITestOutputHelper output)
{
    private const int Requests = 2_000;
    private const int KeyLength = 7_000; // just under the 8 KB header cap, so each one reaches authentication

    [Fact]
    public async Task DistinctLargeBogusKeys_MemoryStaysBounded_And429AfterTheBudget()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerMinute"] = "1000000",
            ["RateLimiting:FailedAuthenticationsPerMinute"] = "20",
        });
        using var client = app.CreateClient();
        var padding = new string('x', KeyLength);

        async Task<HttpStatusCode> SendAsync(int i)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/chains");
            request.Headers.TryAddWithoutValidation("X-Api-Key", $"{i:D8}{padding}");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        // Warm up the pipeline (and spend the budget) before the baseline.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            statuses.Add(await SendAsync(i));
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 50; i < Requests; i++)
        {
            statuses.Add(await SendAsync(i));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var grownMb = (after - before) / (1024.0 * 1024.0);
        var rawMb = (Requests - 50) * (double)KeyLength * sizeof(char) / (1024 * 1024);
        output.WriteLine($"{Requests - 50} distinct {KeyLength}-character bogus keys: managed heap grew by {grownMb:F1} MB (the keys themselves are {rawMb:F1} MB as strings).");

        // 20 failures a minute, refilled a little at a time: a few more are looked up while the test runs.
        var unauthorized = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(unauthorized, 20, 30);
        Assert.Equal(Requests - unauthorized, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(grownMb < 4, $"The heap grew by {grownMb:F1} MB for {Requests - 50} bogus keys.");
    }
}
