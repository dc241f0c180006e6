using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Database;

/// <summary>
/// A duplicate that gets past a feature's own checks (two requests at once, on SQL Server) and is caught by a
/// unique index is a 409 that changes nothing, never a 500. SQLite's writers take turns, so the race cannot
/// happen there: an extra unique index, which no feature checks for, stands in for it.
/// </summary>
public sealed class UniqueViolationTests
{
    [Fact]
    public async Task DuplicateCaughtOnlyByAUniqueIndex_Is409_AndNothingIsStored()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var first = await admin.CreateChainAsync();
        var second = await admin.CreateChainAsync();
        var bank = await admin.CreateInstitutionAsync();
        await using (var connection = new SqliteConnection($"Data Source={app.DatabaseFile}"))
        {
            await connection.ExecuteAsync("CREATE UNIQUE INDEX test_one_chain_per_bank ON lead_bank_pairings (institution_id)");
        }

        await (await admin.PutAsJsonAsync($"/api/v1/chains/{first}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);
        var response = await admin.PutAsJsonAsync($"/api/v1/chains/{second}/lead-bank", new { institutionId = bank });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(DatabaseCodes.DuplicateConflict, problem["code"]!.GetValue<string>());
        await (await admin.GetAsync($"/api/v1/chains/{second}/lead-bank")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task JoiningAChainTwice_WhenOnlyTheKeyCatchesIt_Is409()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var chain = await admin.CreateChainAsync();
        var enterprise = await admin.CreateEnterpriseAsync();

        // The membership check is made to miss (as a concurrent join's would): the primary key still refuses it.
        await using (var connection = new SqliteConnection($"Data Source={app.DatabaseFile}"))
        {
            await connection.ExecuteAsync("ALTER TABLE chain_members RENAME TO chain_members_real");
            await connection.ExecuteAsync("CREATE VIEW chain_members AS SELECT * FROM chain_members_real WHERE 0");
            await connection.ExecuteAsync("""
                CREATE TRIGGER chain_members_insert INSTEAD OF INSERT ON chain_members
                BEGIN
                    INSERT INTO chain_members_real (chain_id, enterprise_id, role, since) VALUES (NEW.chain_id, NEW.enterprise_id, NEW.role, NEW.since);
                END
                """);
        }

        await (await admin.PostJsonAsync($"/api/v1/enterprises/{enterprise}/chains", new { chainId = chain, role = "upstream" })).ExpectAsync(HttpStatusCode.OK);
        var again = await admin.PostJsonAsync($"/api/v1/enterprises/{enterprise}/chains", new { chainId = chain, role = "downstream" });

        var problem = await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(DatabaseCodes.DuplicateConflict, problem["code"]!.GetValue<string>());
    }
}
