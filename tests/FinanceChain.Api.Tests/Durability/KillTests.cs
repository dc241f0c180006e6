using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Durability;

/// <summary>
/// Kill -9 under write load loses no acknowledged write: concurrent writers run against the real service,
/// it is killed with SIGKILL mid-load, restarted on the same database, and every write that was answered
/// with success must be there.
/// </summary>
public sealed class KillTests
{
    [Fact]
    public async Task KillDuringWrites_LosesNoAcknowledgedWrite()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var key = await ServiceProcess.CreateKeyAsync(file, "admin");
        var acknowledged = new ConcurrentBag<(string Kind, string Id)>();

        using (var service = await ServiceProcess.StartAsync(file))
        {
            var admin = service.Client(key);
            var bank = (await (await admin.PostAsJsonAsync("/api/v1/institutions", TestData.Institution())).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var client = service.Client(key);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await client.PostAsJsonAsync("/api/v1/chains", TestData.Chain($"W{w}-{i}"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            var chain = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                            acknowledged.Add(("chain", chain));
                            var paired = await client.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank });
                            if (paired.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged.Add(("leadBank", chain));
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the service is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            // Let the load build, then crash the service while the writers are still writing.
            while (acknowledged.Count < 60)
            {
                await Task.Delay(20);
            }

            service.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        SqliteConnection.ClearAllPools();
        using var restarted = await ServiceProcess.StartAsync(file);
        var check = restarted.Client(key);
        foreach (var (kind, id) in acknowledged)
        {
            var chain = await (await check.GetAsync($"/api/v1/chains/{id}")).ExpectAsync(HttpStatusCode.OK);
            if (kind == "leadBank")
            {
                Assert.NotNull(chain["leadBank"]);
            }
        }

        Assert.True(acknowledged.Count >= 60);
    }
}
