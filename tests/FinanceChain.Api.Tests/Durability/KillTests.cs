using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;

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

    [Fact]
    public async Task KillDuringTransfersAndOffers_LosesNoAcknowledgedWrite_AndNotesStayPartitioned()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var adminKey = await ServiceProcess.CreateKeyAsync(file, "admin");
        var transfers = new ConcurrentBag<(string Note, string Transfer)>();
        var offers = new ConcurrentBag<string>();
        string[] notes;
        string coreKey, bankKey;

        using (var service = await ServiceProcess.StartAsync(file))
        {
            var admin = service.Client(adminKey);
            async Task<string> KeyAsync(object body) =>
                (await (await admin.PostAsJsonAsync("/api/v1/keys", body)).ExpectAsync(HttpStatusCode.Created))["key"]!.GetValue<string>();
            async Task<string> CreateAsync(HttpClient client, string url, object body) =>
                (await (await client.PostAsJsonAsync(url, body)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

            var chain = await CreateAsync(admin, "/api/v1/chains", TestData.Chain());
            var bank = await CreateAsync(admin, "/api/v1/institutions", TestData.Institution());
            var core = await CreateAsync(admin, "/api/v1/enterprises", TestData.Enterprise(chain, "core"));
            var suppliers = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                suppliers.Add(await CreateAsync(admin, "/api/v1/enterprises", TestData.Enterprise(chain, "upstream")));
            }

            coreKey = await KeyAsync(new { role = "enterprise", name = "core", enterpriseId = core });
            bankKey = await KeyAsync(new { role = "bank", name = "bank", institutionId = bank });
            var supplierKeys = new List<string>();
            foreach (var supplier in suppliers)
            {
                supplierKeys.Add(await KeyAsync(new { role = "enterprise", name = "supplier", enterpriseId = supplier }));
            }

            var coreClient = service.Client(coreKey);
            var bankClient = service.Client(bankKey);
            var due = DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            notes = new string[2];
            for (var n = 0; n < notes.Length; n++)
            {
                notes[n] = await CreateAsync(coreClient, "/api/v1/notes", new { payeeId = suppliers[0], amount = 100_000m, dueDate = due });
            }

            var product = await CreateAsync(bankClient, "/api/v1/products", new
            {
                name = "应收账款融资", type = "receivablesFinancing", minAmount = 1000m, maxAmount = 10_000_000m, minTermDays = 30, maxTermDays = 360,
                minRateBps = 350, maxRateBps = 600, chainIds = new[] { chain }, enterpriseSizes = Array.Empty<string>(), regions = Array.Empty<string>(),
                collateral = "none", requiresConfirmedReceivable = false,
            });

            using var stop = new CancellationTokenSource();
            var transferWriters = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                // Supplier 0 passes sub-notes on to the others; each writer works on one note.
                var client = service.Client(supplierKeys[0]);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var note = notes[w % notes.Length];
                        var response = await client.PostAsJsonAsync($"/api/v1/notes/{note}/transfers", new { toEnterpriseId = suppliers[1 + (i % 3)], amount = 10.01m });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            transfers.Add((note, (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>()));
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();
            var offerWriters = Enumerable.Range(1, 2).Select(s => Task.Run(async () =>
            {
                var sme = service.Client(supplierKeys[s]);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var request = await sme.PostAsJsonAsync("/api/v1/financing-requests", new
                        {
                            chainId = chain, amount = 50_000m, termDays = 90, purpose = "采购原材料",
                            acceptableTypes = Array.Empty<string>(), collateralOffered = Array.Empty<string>(),
                        });
                        if (request.StatusCode != HttpStatusCode.Created)
                        {
                            continue;
                        }

                        var requestId = (await request.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                        var offer = await bankClient.PostAsJsonAsync($"/api/v1/financing-requests/{requestId}/offers", new { productId = product, amount = 50_000m, rateBps = 400, termDays = 90 });
                        if (offer.StatusCode == HttpStatusCode.Created)
                        {
                            offers.Add((await offer.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            while (transfers.Count < 40 || offers.Count < 10)
            {
                await Task.Delay(20);
            }

            service.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(transferWriters.Concat(offerWriters));
        }

        SqliteConnection.ClearAllPools();
        using var restarted = await ServiceProcess.StartAsync(file);
        var acceptor = restarted.Client(coreKey);
        foreach (var (note, transfer) in transfers)
        {
            await (await acceptor.GetAsync($"/api/v1/notes/{note}/transfers/{transfer}")).ExpectAsync(HttpStatusCode.OK);
        }

        var bankAfter = restarted.Client(bankKey);
        foreach (var offer in offers)
        {
            await (await bankAfter.GetAsync($"/api/v1/offers/{offer}")).ExpectAsync(HttpStatusCode.OK);
        }

        foreach (var note in notes)
        {
            var view = await (await acceptor.GetAsync($"/api/v1/notes/{note}")).ExpectAsync(HttpStatusCode.OK);
            var ranges = view["holdings"]!.AsArray().Select(h => (From: h!["from"]!.GetValue<long>(), To: h["to"]!.GetValue<long>())).OrderBy(r => r.From).ToList();
            Assert.Equal(1, ranges[0].From);
            Assert.Equal(10_000_000, ranges[^1].To);
            Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.To + 1, pair.Second.From));
            var moved = transfers.Count(t => t.Note == note) * 1001L;
            var history = await (await acceptor.GetAsync($"/api/v1/notes/{note}/history")).ExpectAsync(HttpStatusCode.OK);
            var recorded = history["items"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "transferred");
            Assert.True(recorded >= transfers.Count(t => t.Note == note), "a transfer acknowledged before the crash is missing from the history");
            Assert.True(moved <= 10_000_000);
        }
    }

    /// <summary>
    /// SIGKILL while requests with <c>Idempotency-Key</c> are in flight: the keys they leave in progress belong to
    /// changes that never committed (the change and its stored response commit together). Retried with the same
    /// key and body, each is a 409 while its lease lasts and afterwards runs once; every key ends with exactly one chain.
    /// </summary>
    [Fact]
    public async Task KillDuringIdempotentWrites_RetriesAfterTheLease_CreateExactlyOneEach()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var key = await ServiceProcess.CreateKeyAsync(file, "admin");
        var attempted = new ConcurrentBag<string>();
        long leftInProgress;

        using (var service = await ServiceProcess.StartAsync(file))
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var client = service.Client(key);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var code = $"K{w}-{i}";
                    attempted.Add(code);
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chains") { Content = JsonContent.Create(TestData.Chain(code)) };
                        request.Headers.Add(IdempotencyEndpoints.HeaderName, code);
                        (await client.SendAsync(request)).Dispose();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the service is gone
                    }
                }
            })).ToList();

            // Kill the service at a moment when some request holds its key but has not committed: looked at under
            // the database's write lock, so that nothing can commit between the look and the kill.
            while (attempted.Count < 30)
            {
                await Task.Delay(20);
            }

            await using var observer = new SqliteConnection($"Data Source={file}");
            await observer.OpenAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                await observer.ExecuteAsync("BEGIN IMMEDIATE");
                leftInProgress = await observer.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE status_code IS NULL");
                if (leftInProgress > 0 || DateTime.UtcNow > deadline)
                {
                    service.Kill();
                    await observer.ExecuteAsync("ROLLBACK");
                    break;
                }

                await observer.ExecuteAsync("ROLLBACK");
                await Task.Delay(15);
            }

            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(leftInProgress > 0, "No request was caught between taking its key and committing.");
        SqliteConnection.ClearAllPools();

        // The killed process leased its keys by the real clock; the restarted service starts at that time.
        var clock = new FakeClock(SystemClock.Instance.GetCurrentInstant());
        using var restarted = new FinanceChainApp(file, clock);
        var admin = restarted.ClientWithKey(key);
        async Task<HttpResponseMessage> RetryAsync(string code)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chains") { Content = JsonContent.Create(TestData.Chain(code)) };
            request.Headers.Add(IdempotencyEndpoints.HeaderName, code);
            return await admin.SendAsync(request);
        }

        await using var check = new SqliteConnection($"Data Source={file}");
        var stuck = (await check.QueryAsync<string>("SELECT idem_key FROM idempotency_keys WHERE status_code IS NULL")).Count();
        Assert.True(stuck > 0);
        var during = new List<HttpStatusCode>();
        foreach (var code in attempted)
        {
            during.Add((await RetryAsync(code)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.Conflict, during); // those still leased are not run twice while their lease lasts

        clock.Advance(IdempotencyStore.Lease + Duration.FromSeconds(1));
        var ids = new Dictionary<string, string>();
        foreach (var code in attempted)
        {
            var created = await (await RetryAsync(code)).ExpectAsync(HttpStatusCode.Created);
            ids[code] = created["id"]!.GetValue<string>();
            var again = await (await RetryAsync(code)).ExpectAsync(HttpStatusCode.Created);
            Assert.Equal(ids[code], again["id"]!.GetValue<string>());
        }

        Assert.Equal(attempted.Count, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chains"));
        Assert.Equal(attempted.Count, ids.Values.Distinct().Count());
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE status_code IS NULL"));
    }
}
