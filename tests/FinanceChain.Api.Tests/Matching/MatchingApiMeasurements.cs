using System.Diagnostics;
using System.Net;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Products;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>Measurements, not checks: they run only when FINANCECHAIN_MEASURE is set, and are reported as skipped otherwise.</summary>
public sealed class MeasurementTheoryAttribute : TheoryAttribute
{
    public const string Variable = "FINANCECHAIN_MEASURE";

    public MeasurementTheoryAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"A measurement: set {Variable}=1 to run it.";
        }
    }
}

/// <summary>
/// What matching costs through the API on SQLite with a large market (docs/performance.md, "Matching in the
/// API"): building the index from the database, refreshing it after one product change, the counter check
/// every request pays, and GET matches end to end in process.
/// </summary>
public sealed class MatchingApiMeasurements(ITestOutputHelper output)
{
    private static readonly string[] Types = ["receivablesFinancing", "factoring", "orderFinancing", "inventoryPledge", "warehouseReceiptPledge", "prepaymentFinancing", "noteDiscount", "creditLoan"];
    private static readonly string[] Collaterals = ["none", "receivable", "note", "inventory", "warehouseReceipt", "realEstate", "guarantee"];
    private static readonly string[] Regions = ["420000", "430000", "420100", "420600", "430100", "420111", "421300"];
    private static readonly long[] MinAmountsYuan = [10_000, 50_000, 100_000, 500_000];

    [MeasurementTheory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public async Task Matching_OverTheApi(int productCount)
    {
        using var app = new FinanceChainApp();
        var w = await MatchingWorld.CreateAsync(app);
        await SeedAsync(app, w, productCount);
        var cache = app.Services.GetRequiredService<MatchingIndexCache>();

        var clock = Stopwatch.StartNew();
        var snapshot = await cache.CurrentAsync(CancellationToken.None);
        output.WriteLine($"{productCount}: first build from the database {clock.Elapsed.TotalMilliseconds:F0} ms ({snapshot.Index.Count} active products)");

        var refreshes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            await w.B.CreateProductAsync(ProductData.Product($"新产品{i}"));
            clock.Restart();
            await cache.CurrentAsync(CancellationToken.None);
            refreshes.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{productCount}: refresh after one product change: {Summary(refreshes)}");

        // Where a refresh goes: reading what changed from the database, then applying it to the index (and to the
        // names), each timed on its own after one more product change; then the whole refresh as a request pays it.
        var db = app.Services.GetRequiredService<Db>();
        var reads = new List<double>();
        var applies = new List<double>();
        var wholes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var before = await cache.CurrentAsync(CancellationToken.None);
            await w.B.CreateProductAsync(ProductData.Product($"再一个产品{i}"));
            IReadOnlyList<IndexedProduct> changed;
            await using (var connection = await db.OpenAsync(CancellationToken.None))
            {
                clock.Restart();
                changed = await ProductStore.LoadForIndexAsync(connection, null, before.Version, CancellationToken.None);
                reads.Add(clock.Elapsed.TotalMilliseconds);
            }

            clock.Restart();
            _ = before.Index.With(changed.Select(p => p.Terms));
            applies.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await cache.CurrentAsync(CancellationToken.None);
            wholes.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{productCount}: of a refresh, reading the changed product: {Summary(reads)}");
        output.WriteLine($"{productCount}: of a refresh, MatchingIndex.With: {Summary(applies)}");
        output.WriteLine($"{productCount}: the whole refresh again: {Summary(wholes)}");

        var checks = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            clock.Restart();
            await cache.CurrentAsync(CancellationToken.None);
            checks.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{productCount}: counter check, index current: {Summary(checks)}");

        var request = await w.RequestAsync(b => b.With("collateralOffered", new[] { "receivable", "guarantee" }));
        var calls = new List<double>();
        for (var i = 0; i < 1100; i++)
        {
            clock.Restart();
            var response = await w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches");
            await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i >= 100)
            {
                calls.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        output.WriteLine($"{productCount}: GET matches (top 10), end to end in process: {Summary(calls)}");
    }

    private static string Summary(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
        return $"p50 {At(0.5):F3} ms, p95 {At(0.95):F3} ms, max {sorted[^1]:F3} ms";
    }

    /// <summary>Products straight into the database (the API would take minutes), in one transaction and one counter step.</summary>
    private static async Task SeedAsync(FinanceChainApp app, MatchingWorld w, int count)
    {
        var random = new Random(42);
        var banks = new[] { w.BankA, w.BankB, w.BankC };
        var chains = new List<string> { w.Chain, w.OtherChain };
        for (var i = 0; i < 24; i++)
        {
            chains.Add(await w.Admin.CreateChainAsync());
        }

        var db = app.Services.GetRequiredService<Db>();
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var changeSeq = await ProductChanges.BumpAsync(transaction);
            for (var i = 0; i < count; i++)
            {
                var id = $"prd_seed{i:D7}";
                var minYuan = MinAmountsYuan[random.Next(MinAmountsYuan.Length)];
                var rate = random.Next(250, 601);
                await connection.ExecuteAsync(ProductStore.InsertSql, new
                {
                    Id = id,
                    InstitutionId = banks[random.Next(banks.Length)],
                    Name = $"产品{i}",
                    Type = Types[random.Next(Types.Length)],
                    MinAmountFen = minYuan * 100,
                    MaxAmountFen = minYuan * 100 * random.Next(10, 200),
                    MinTermDays = 30,
                    MaxTermDays = random.Next(90, 720),
                    MinRateBps = rate,
                    MaxRateBps = rate + random.Next(0, 200),
                    EnterpriseSizes = random.Next(10) < 4 ? "small,micro" : "",
                    Regions = random.Next(100) < 65 ? Regions[random.Next(Regions.Length)] : "",
                    Collateral = Collaterals[random.Next(Collaterals.Length)],
                    RequiresConfirmedReceivable = random.Next(10) < 2,
                    MaxAdvanceRatioBps = 9000,
                    ChangeSeq = changeSeq,
                    CreatedAt = FinanceChainApp.DefaultNow,
                    UpdatedAt = FinanceChainApp.DefaultNow,
                }, transaction);
                if (random.Next(10) < 8)
                {
                    foreach (var chain in chains.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                    {
                        await connection.ExecuteAsync(ProductStore.InsertChainSql, new { ProductId = id, ChainId = chain }, transaction);
                    }
                }
            }

            return 0;
        });
    }
}
