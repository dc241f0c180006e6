using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Database;

/// <summary>The same scenarios on every provider: what a newcomer does survives a restart.</summary>
public static class PersistenceScenarios
{
    public static async Task RegistrySurvivesRestartAsync(Func<FinanceChainApp> start)
    {
        string chain, bank, enterprise, key;
        using (var first = start())
        {
            key = await first.CreateKeyAsync(Role.Admin);
            var admin = first.ClientWithKey(key);
            chain = await admin.CreateChainAsync();
            bank = await admin.CreateInstitutionAsync();
            enterprise = await admin.CreateEnterpriseAsync(chain, "core");
            await (await admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);
        }

        using var second = start();
        var again = second.ClientWithKey(key);
        var leadBank = await (await again.GetAsync($"/api/v1/chains/{chain}/lead-bank")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(bank, leadBank["institutionId"]!.GetValue<string>());
        var stored = await (await again.GetAsync($"/api/v1/enterprises/{enterprise}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("small", stored["size"]!.GetValue<string>());
    }
}

public sealed class SqlitePersistenceTests
{
    [Fact]
    public async Task Registry_SurvivesRestart()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        await PersistenceScenarios.RegistrySurvivesRestartAsync(() => new FinanceChainApp(file));
    }

    [Fact]
    public async Task Migrations_OnFreshFile_CreateSchemaInWalMode()
    {
        using var app = new FinanceChainApp();
        _ = app.Services; // starts the host, which migrates

        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile}");
        await connection.OpenAsync();
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        var applied = (await connection.QueryAsync<string>("SELECT ScriptName FROM SchemaVersions")).ToList();
        Assert.Equal(Migrator.Scripts("sqlite").Select(s => s.Name), applied);
    }

    [Fact]
    public async Task Migrations_SeveralInstancesStartingAtOnce_OnAFreshFile_AllStart_AndEachScriptRunsOnce()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var apps = Enumerable.Range(0, 4).Select(_ => new FinanceChainApp(file)).ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services)));

            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            var applied = (await connection.QueryAsync<string>("SELECT ScriptName FROM SchemaVersions")).ToList();
            Assert.Equal(Migrator.Scripts("sqlite").Select(s => s.Name), applied);
            var admin = await apps[3].ClientAsync(Role.Admin);
            await admin.CreateChainAsync();
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Dispose();
            }
        }
    }

    [Fact]
    public async Task Migrations_OnExistingFile_ApplyOnlyWhatIsMissingAndKeepData()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var scripts = Migrator.Scripts("sqlite");

        // An older database: only the first script applied, with data in it.
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(scripts[0].Sql);
            await connection.ExecuteAsync("CREATE TABLE SchemaVersions (SchemaVersionID INTEGER CONSTRAINT PK_SchemaVersions_SchemaVersionID PRIMARY KEY AUTOINCREMENT NOT NULL, ScriptName TEXT NOT NULL, Applied DATETIME NOT NULL)");
            await connection.ExecuteAsync("INSERT INTO SchemaVersions (ScriptName, Applied) VALUES (@Name, '2026-01-01 00:00:00')", new { scripts[0].Name });
            await connection.ExecuteAsync("INSERT INTO chains (id, code, name, category, region, chief, active, created_at) VALUES ('chn_old', 'OLD', '旧链', 'agriculture', '420000', NULL, 1, '2026-01-01 00:00:00.0000000')");
        }

        SqliteConnection.ClearAllPools();
        using var app = new FinanceChainApp(file);
        var admin = await app.ClientAsync(Role.Admin);

        var chain = await (await admin.GetAsync("/api/v1/chains/chn_old")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("旧链", chain["name"]!.GetValue<string>());
        await using var check = new SqliteConnection($"Data Source={file}");
        await check.OpenAsync();
        Assert.Equal(scripts.Count, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SchemaVersions"));
    }

    [Fact]
    public async Task AuditLog_RefusesUpdateAndDelete()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        await admin.CreateChainAsync();

        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile}");
        await connection.OpenAsync();
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE audit_log SET actor = 'someone else'"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("DELETE FROM audit_log"));
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log") >= 2);
    }
}

public sealed class SqlServerPersistenceTests
{
    [SqlServerFact]
    public async Task Registry_SurvivesRestart() =>
        await PersistenceScenarios.RegistrySurvivesRestartAsync(() =>
            new FinanceChainApp(provider: "sqlserver", connectionString: SqlServerFactAttribute.ConnectionString));
}
