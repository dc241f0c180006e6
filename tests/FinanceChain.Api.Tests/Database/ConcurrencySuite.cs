using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Database;

/// <summary>
/// Races between service instances on one database, on every provider (<see cref="SqliteConcurrencyTests"/>,
/// <see cref="SqlServerConcurrencyTests"/>). SQLite's writers take turns, so most of these races only really run
/// on SQL Server; there, under READ_COMMITTED_SNAPSHOT, they are where unique indexes, row locks and the audit
/// trail's settled positions earn their keep.
/// </summary>
public abstract class ConcurrencySuite<TProvider>
    where TProvider : DatabaseProvider, new()
{
    private static readonly TProvider Provider = new();

    [ProviderFact]
    public async Task SeveralInstancesStartingAtOnce_OnAFreshDatabase_MigrateOnce()
    {
        using var database = Provider.NewDatabase();
        var apps = Enumerable.Range(0, 4).Select(_ => database.App()).ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services)));

            await using var connection = await apps[0].Services.GetRequiredService<FinanceChain.Api.Database.Db>().OpenAsync();
            var applied = (await connection.QueryAsync<string>("SELECT ScriptName FROM SchemaVersions ORDER BY ScriptName")).ToList();
            Assert.Equal(Migrator.Scripts(apps[0].Provider).Select(s => s.Name), applied);
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Dispose();
            }
        }
    }

    [ProviderFact]
    public async Task LeadBankPairings_AtOnce_EndWithOneCurrentPairing_AndAGaplessHistory()
    {
        using var app = Provider.NewApp();
        using var other = app.Another();
        var key = await app.CreateKeyAsync(Role.Admin);
        var admin = app.ClientWithKey(key);
        var chain = await admin.CreateChainAsync();
        var banks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            banks.Add(await admin.CreateInstitutionAsync());
        }

        var clients = new[] { admin, other.ClientWithKey(key) };
        using var start = new SemaphoreSlim(0);
        var pairings = banks.Select(async (bank, i) =>
        {
            await start.WaitAsync();
            return (await clients[i % 2].PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).StatusCode;
        }).ToList();
        start.Release(banks.Count);
        var statuses = await Task.WhenAll(pairings);

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var history = (await (await admin.GetAsync($"/api/v1/chains/{chain}/lead-bank/history")).ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), history.Count);
        Assert.Single(history, p => p!["until"] is null);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1]!["until"]!.GetValue<string>(), history[i]!["since"]!.GetValue<string>());
        }
    }

    [ProviderFact]
    public async Task JoiningAChain_AtOnce_OneJoins_TheOthersAre409()
    {
        using var app = Provider.NewApp();
        using var other = app.Another();
        var key = await app.CreateKeyAsync(Role.Admin);
        var admin = app.ClientWithKey(key);
        var chain = await admin.CreateChainAsync();
        var enterprise = await admin.CreateEnterpriseAsync();
        var clients = new[] { admin, other.ClientWithKey(key) };

        using var start = new SemaphoreSlim(0);
        var joins = Enumerable.Range(0, 8).Select(async i =>
        {
            await start.WaitAsync();
            return (await clients[i % 2].PostJsonAsync($"/api/v1/enterprises/{enterprise}/chains", new { chainId = chain, role = "upstream" })).StatusCode;
        }).ToList();
        start.Release(8);
        var statuses = await Task.WhenAll(joins);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [ProviderFact]
    public async Task ChainCodes_InAnotherCase_AtOnce_OneIsCreated()
    {
        using var app = Provider.NewApp();
        using var other = app.Another();
        var key = await app.CreateKeyAsync(Role.Admin);
        var clients = new[] { app.ClientWithKey(key), other.ClientWithKey(key) };
        var spellings = new[] { "hb-tea", "HB-TEA", "Hb-Tea", "hB-tEA", "HB-tea", "hb-TEA" };

        using var start = new SemaphoreSlim(0);
        var creations = spellings.Select(async (code, i) =>
        {
            await start.WaitAsync();
            return (await clients[i % 2].PostJsonAsync("/api/v1/chains", TestData.Chain(code))).StatusCode;
        }).ToList();
        start.Release(spellings.Length);
        var statuses = await Task.WhenAll(creations);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(spellings.Length - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    /// <summary>
    /// A reader tailing the audit trail (paging on, then asking again from its last cursor) while two instances
    /// write sees every entry exactly once: its cursor never passes an entry that commits after it.
    /// </summary>
    [ProviderFact]
    public async Task AuditTail_WhileInstancesWrite_SkipsNothing()
    {
        using var app = Provider.NewApp();
        using var other = app.Another();
        var adminKey = await app.CreateKeyAsync(Role.Admin);
        var regulator = await app.ClientAsync(Role.Regulator);
        var writers = new[] { app.ClientWithKey(adminKey), other.ClientWithKey(adminKey) };

        var seen = new ConcurrentDictionary<long, bool>();
        string? cursor = null;
        async Task ReadOnAsync()
        {
            while (true)
            {
                var page = await (await regulator.GetAsync("/api/v1/audit?limit=5" + (cursor is null ? "" : "&cursor=" + cursor))).ExpectAsync(HttpStatusCode.OK);
                foreach (var entry in page["items"]!.AsArray())
                {
                    seen.TryAdd(entry!["seq"]!.GetValue<long>(), true);
                }

                if (page["next"]?.GetValue<string>() is not { } next)
                {
                    return; // caught up: ask again later from the same cursor
                }

                cursor = next;
            }
        }

        var writing = Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                await writers[(w + i) % 2].CreateChainAsync($"T{w}-{i}");
            }
        })));
        while (!writing.IsCompleted)
        {
            await ReadOnAsync();
        }

        await writing;
        await ReadOnAsync();

        await using var connection = await app.Services.GetRequiredService<FinanceChain.Api.Database.Db>().OpenAsync();
        var all = (await connection.QueryAsync<long>("SELECT seq FROM audit_log")).ToHashSet();
        Assert.Equal(all.Order(), seen.Keys.Order());
    }
}

/// <summary>The concurrency suite on SQLite.</summary>
public sealed class SqliteConcurrencyTests : ConcurrencySuite<SqliteProvider>;

/// <summary>The concurrency suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerConcurrencyTests : ConcurrencySuite<SqlServerProvider>;

/// <summary>What a SQL Server deployment must have, checked at start-up.</summary>
public sealed class SqlServerStartupTests
{
    [SqlServerFact]
    public void Database_WithoutReadCommittedSnapshot_RefusesToStart_SayingHowToFixIt()
    {
        var database = SqlServerProvider.CreateDatabase(readCommittedSnapshot: false);
        try
        {
            using var app = new FinanceChainApp(provider: "sqlserver", connectionString: database.ConnectionString);
            var error = Assert.ThrowsAny<Exception>(() => app.Services);
            var message = error is InvalidOperationException ? error.Message : error.InnerException?.Message ?? error.Message;
            Assert.Contains("READ_COMMITTED_SNAPSHOT", message, StringComparison.Ordinal);
            Assert.Contains($"ALTER DATABASE [{database.Name}] SET READ_COMMITTED_SNAPSHOT ON", message, StringComparison.Ordinal);
        }
        finally
        {
            database.Drop();
        }
    }

    [Fact]
    public void ReadCommittedSnapshotMessage_NamesTheDatabaseAndTheFix() =>
        Assert.Contains("ALTER DATABASE [Finance]]Chain] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE", Migrator.ReadCommittedSnapshotMissing("Finance]Chain"), StringComparison.Ordinal);
}
