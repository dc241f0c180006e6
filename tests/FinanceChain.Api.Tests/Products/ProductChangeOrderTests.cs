using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Products;

/// <summary>
/// The products change counter is bumped as the last statement of every product change (followed only by the
/// product's stamp), so that its row lock, held to the commit, never covers the rest of the change. Triggers
/// write every statement's kind to a log, in order.
/// </summary>
public sealed class ProductChangeOrderTests
{
    private const string Triggers = """
        CREATE TABLE statement_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL);
        CREATE TRIGGER log_counter AFTER UPDATE ON change_counters BEGIN INSERT INTO statement_log (kind) VALUES ('counter'); END;
        CREATE TRIGGER log_stamp AFTER UPDATE OF change_seq ON products BEGIN INSERT INTO statement_log (kind) VALUES ('stamp'); END;
        CREATE TRIGGER log_product_insert AFTER INSERT ON products BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        CREATE TRIGGER log_product_update AFTER UPDATE OF name, active, version ON products BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        CREATE TRIGGER log_chain_insert AFTER INSERT ON product_chains BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        CREATE TRIGGER log_chain_delete AFTER DELETE ON product_chains BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        CREATE TRIGGER log_audit AFTER INSERT ON audit_log BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        CREATE TRIGGER log_offers AFTER UPDATE ON offers BEGIN INSERT INTO statement_log (kind) VALUES ('write'); END;
        """;

    [Fact]
    public async Task CreateReplaceAndWithdraw_BumpTheCounterLast()
    {
        using var app = new FinanceChainApp();
        var world = await MatchingWorld.CreateAsync(app);
        await using var log = new SqliteConnection($"Data Source={app.DatabaseFile}");
        await log.OpenAsync();
        await log.ExecuteAsync(Triggers);

        async Task<IReadOnlyList<string>> KindsOfAsync(Func<Task> change)
        {
            await log.ExecuteAsync("DELETE FROM statement_log");
            await change();
            return (await log.QueryAsync<string>("SELECT kind FROM statement_log ORDER BY seq")).ToList();
        }

        string product = "";
        var created = await KindsOfAsync(async () => product = await world.A.CreateProductAsync(ProductData.Product(chainIds: [world.Chain])));
        var replaced = await KindsOfAsync(async () =>
            await (await world.A.PutWithIfMatchAsync($"/api/v1/products/{product}", ProductData.Product(minRateBps: 300, chainIds: [world.Chain]), "\"1\"")).ExpectAsync(HttpStatusCode.OK));
        var withdrawn = await KindsOfAsync(async () => await (await world.A.PostAsync($"/api/v1/products/{product}/withdraw", null)).ExpectAsync(HttpStatusCode.OK));

        foreach (var kinds in new[] { created, replaced, withdrawn })
        {
            Assert.True(kinds.Count >= 4, string.Join(", ", kinds));
            Assert.Equal(["counter", "stamp"], kinds.TakeLast(2));
            Assert.Single(kinds, k => k == "counter");
        }
    }
}
