using System.Net;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Registry;

/// <summary>
/// Chain codes are one form on every provider: upper-case and trimmed. SQL Server's collation compares them
/// without regard to case; storing them upper-case makes SQLite refuse the same duplicates.
/// </summary>
public sealed class ChainCodeTests
{
    [Fact]
    public async Task Code_IsStoredUpperCase_AndAnotherCaseIsADuplicate()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        var created = await (await admin.PostJsonAsync("/api/v1/chains", TestData.Chain("hb-Auto"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("HB-AUTO", created["code"]!.GetValue<string>());

        await (await admin.PostJsonAsync("/api/v1/chains", TestData.Chain("HB-AUTO"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/v1/chains", TestData.Chain("hb-auto"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        var chains = await (await admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(chains["items"]!.AsArray());
    }

    [Fact]
    public void NormalizeCode_TrimsAndUpperCases() =>
        Assert.Equal("HB-CRAYFISH_2", FinanceChain.Api.Chains.ChainStore.NormalizeCode("  hb-Crayfish_2 "));

    [Fact]
    public async Task Migration0009_UpperCasesExistingCodes_ButLeavesThoseThatWouldClash()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        try
        {
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            var scripts = Migrator.Scripts("sqlite");
            foreach (var (_, sql) in scripts.Where(s => string.CompareOrdinal(s.Name, "sqlite.0009") < 0))
            {
                await connection.ExecuteAsync(sql);
            }

            await connection.ExecuteAsync("""
                INSERT INTO chains (id, code, name, category, region, chief, active, created_at)
                VALUES ('chn_1', 'hb-auto', '汽车', 'manufacturing', '420100', NULL, 1, '2026-01-01 00:00:00.0000000'),
                       ('chn_2', 'tea', '茶叶', 'agriculture', '421200', NULL, 1, '2026-01-01 00:00:00.0000000'),
                       ('chn_3', 'TEA', '茶叶', 'agriculture', '421200', NULL, 1, '2026-01-01 00:00:00.0000000');
                """);

            await connection.ExecuteAsync(scripts.Single(s => s.Name.StartsWith("sqlite.0009", StringComparison.Ordinal)).Sql);

            var codes = (await connection.QueryAsync<(string Id, string Code)>("SELECT id, code FROM chains ORDER BY id")).ToList();
            Assert.Equal([("chn_1", "HB-AUTO"), ("chn_2", "tea"), ("chn_3", "TEA")], codes);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
