using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>Migration 0005 claims the invoices of the receivables registered before it.</summary>
public sealed class InvoiceMigrationTests
{
    [Fact]
    public async Task Migration0005_ClaimsExistingInvoices_OldestReceivableKeepsADuplicate()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        try
        {
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            var scripts = Migrator.Scripts("sqlite");
            foreach (var (_, sql) in scripts.Where(s => string.CompareOrdinal(s.Name, "sqlite.0005") < 0))
            {
                await connection.ExecuteAsync(sql);
            }

            await connection.ExecuteAsync("""
                INSERT INTO enterprises (id, name, credit_code, industry, employees, annual_revenue_fen, total_assets_fen, region, size, created_at)
                VALUES ('ent_a', 'A', '91420100000000001X', 'industry', 1, 1, 1, '420100', 'micro', '2026-01-01T00:00:00Z'),
                       ('ent_b', 'B', '91420100000000002X', 'industry', 1, 1, 1, '420100', 'micro', '2026-01-01T00:00:00Z'),
                       ('ent_c', 'C', '91420100000000003X', 'industry', 1, 1, 1, '420100', 'micro', '2026-01-01T00:00:00Z');
                INSERT INTO receivables (id, creditor_id, debtor_id, amount_fen, due_date, invoice_numbers, status, used_by, version, created_at, confirmed_at, used_at)
                VALUES ('rcv_2', 'ent_a', 'ent_b', 100, '2026-09-01', '["FP-1","FP-2"]', 'registered', NULL, 1, '2026-02-02T00:00:00Z', NULL, NULL),
                       ('rcv_1', 'ent_c', 'ent_b', 100, '2026-09-01', '["fp-1"]', 'registered', NULL, 1, '2026-02-01T00:00:00Z', NULL, NULL),
                       ('rcv_3', 'ent_a', 'ent_c', 100, '2026-09-01', '["FP-1"]', 'registered', NULL, 1, '2026-02-03T00:00:00Z', NULL, NULL);
                """);

            await connection.ExecuteAsync(scripts.Single(s => s.Name == "sqlite.0005_receivable_invoices.sql").Sql);

            var claims = (await connection.QueryAsync<(string Debtor, string Number, string Receivable)>(
                "SELECT debtor_id, invoice_number, receivable_id FROM receivable_invoices ORDER BY debtor_id, invoice_number")).ToList();
            Assert.Equal([("ent_b", "FP-1", "rcv_1"), ("ent_b", "FP-2", "rcv_2"), ("ent_c", "FP-1", "rcv_3")], claims);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Migration0010_GivesLegacyInvoicesTheirCodeAndNumber_AndReceivablesWhatRemains()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        try
        {
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            var scripts = Migrator.Scripts("sqlite");
            foreach (var (_, sql) in scripts.Where(s => string.CompareOrdinal(s.Name, "sqlite.0010") < 0))
            {
                await connection.ExecuteAsync(sql);
            }

            await connection.ExecuteAsync("""
                INSERT INTO enterprises (id, name, credit_code, industry, employees, annual_revenue_fen, total_assets_fen, region, size, created_at)
                VALUES ('ent_a', 'A', '91420100000000001X', 'industry', 1, 1, 1, '420100', 'micro', '2026-01-01T00:00:00Z'),
                       ('ent_b', 'B', '91420100000000002X', 'industry', 1, 1, 1, '420100', 'micro', '2026-01-01T00:00:00Z');
                INSERT INTO receivables (id, creditor_id, debtor_id, amount_fen, due_date, invoice_numbers, status, used_by, version, created_at, confirmed_at, used_at)
                VALUES ('rcv_1', 'ent_a', 'ent_b', 100, '2026-09-01', '[]', 'confirmed', NULL, 1, '2026-02-01T00:00:00Z', NULL, NULL),
                       ('rcv_2', 'ent_a', 'ent_b', 200, '2026-09-01', '[]', 'convertedToNote', 'nte_1', 1, '2026-02-02T00:00:00Z', NULL, NULL),
                       ('rcv_3', 'ent_a', 'ent_b', 300, '2026-09-01', '[]', 'financed', 'ofr_1', 1, '2026-02-03T00:00:00Z', NULL, NULL);
                INSERT INTO receivable_invoices (debtor_id, invoice_number, receivable_id)
                VALUES ('ent_b', '044031900111-01234567', 'rcv_1'),  -- code and number with a dash
                       ('ent_b', '4403191130 76543210', 'rcv_1'),    -- 10-digit code, a space
                       ('ent_b', '440319113011111111', 'rcv_2'),     -- 10 + 8 digits run together
                       ('ent_b', '044031900111:01234567', 'rcv_3'),  -- already code:number, the same invoice as rcv_1's dash
                       ('ent_b', '4403191130/22222222', 'rcv_2'),
                       ('ent_b', '4403191130_22222222', 'rcv_3'),    -- the same invoice as rcv_2's, younger
                       ('ent_b', '25442000000123456789', 'rcv_3'),   -- a 数电票 stays as it is
                       ('ent_b', 'FP-001', 'rcv_1');                 -- not recognisable: stays as it was
                """);

            await connection.ExecuteAsync(scripts.Single(s => s.Name == "sqlite.0010_receivables_in_full.sql").Sql);

            var claims = (await connection.QueryAsync<(string Number, string Receivable)>(
                "SELECT invoice_number, receivable_id FROM receivable_invoices ORDER BY invoice_number, receivable_id")).ToList();
            Assert.Equal(
            [
                ("044031900111-01234567", "rcv_1"), // its code:number already belongs to rcv_3
                ("044031900111:01234567", "rcv_3"),
                ("25442000000123456789", "rcv_3"),
                ("4403191130:11111111", "rcv_2"),
                ("4403191130:22222222", "rcv_2"),
                ("4403191130:76543210", "rcv_1"),
                ("4403191130_22222222", "rcv_3"),   // the older receivable keeps the invoice
                ("FP-001", "rcv_1"),
            ], claims);
            var remaining = (await connection.QueryAsync<(string Id, long Remaining)>("SELECT id, remaining_fen FROM receivables ORDER BY id")).ToList();
            Assert.Equal([("rcv_1", 100L), ("rcv_2", 0L), ("rcv_3", 300L)], remaining);
            Assert.Equal(9000, await connection.ExecuteScalarAsync<int>("SELECT dflt_value FROM pragma_table_info('products') WHERE name = 'max_advance_ratio_bps'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
