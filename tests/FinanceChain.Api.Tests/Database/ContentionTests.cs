using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
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
}
