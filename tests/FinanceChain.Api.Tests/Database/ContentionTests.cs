using System.Net;
using System.Text;
using System.Text.Json;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Database;

public sealed class ContentionTests
{
    [Fact]
    public async Task DatabaseLockedLongerThanTheRetries_Returns503WithRetryAfter_AndStoresNothing()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["Database:SqliteBusyTimeoutMs"] = "1000" });
        var admin = await app.ClientAsync(Role.Admin);

        // Another process holds the write lock for the whole request.
        await using (var blocker = new SqliteConnection($"Data Source={app.DatabaseFile}"))
        {
            await blocker.OpenAsync();
            await using var command = blocker.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE";
            await command.ExecuteNonQueryAsync();

            var response = await admin.PostJsonAsync("/api/v1/chains", TestData.Chain("LOCKED"));

            await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            command.CommandText = "ROLLBACK";
            await command.ExecuteNonQueryAsync();
        }

        var chains = await (await admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(chains["items"]!.AsArray());
    }

    [Fact]
    public async Task DatabaseLockedBriefly_TheWriteWaitsAndSucceeds()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        await using var blocker = new SqliteConnection($"Data Source={app.DatabaseFile}");
        await blocker.OpenAsync();
        await using var command = blocker.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE";
        await command.ExecuteNonQueryAsync();
        var write = admin.PostJsonAsync("/api/v1/chains", TestData.Chain("WAITS"));
        await Task.Delay(300);
        command.CommandText = "COMMIT";
        await command.ExecuteNonQueryAsync();

        await (await write).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>
    /// A request with an <c>Idempotency-Key</c> runs in one shared transaction; one that loses to contention is
    /// rolled back and run again, like any transaction, instead of answering 503 at once.
    /// </summary>
    [Fact]
    public async Task IdempotentWrite_LockedPastOneBusyTimeout_IsRunAgain_AndCreatesOne()
    {
        using var app = new FinanceChainApp(
            settings: new Dictionary<string, string?> { ["Database:SqliteBusyTimeoutMs"] = "1000" },
            configureServices: PausingBacking.Register);
        var world = await MatchingWorld.CreateAsync(app);
        var pausing = PausingBacking.Of(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/financing-requests")
        {
            Content = new StringContent(JsonSerializer.Serialize(ProductData.Request(world.Chain)), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(IdempotencyEndpoints.HeaderName, "busy-1");

        // The key is taken; before the request writes, another process takes the write lock for 1.5 s.
        var sent = world.SmeClient.SendAsync(request);
        await pausing.Entered.Task;
        await using var blocker = new SqliteConnection($"Data Source={app.DatabaseFile}");
        await blocker.OpenAsync();
        await using var command = blocker.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE";
        await command.ExecuteNonQueryAsync();
        pausing.Release.SetResult();
        await Task.Delay(1500);
        command.CommandText = "COMMIT";
        await command.ExecuteNonQueryAsync();

        await (await sent).ExpectAsync(HttpStatusCode.Created);
        var mine = await (await world.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(mine["items"]!.AsArray());
    }
}
