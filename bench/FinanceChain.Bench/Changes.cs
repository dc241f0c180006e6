using System.Diagnostics;
using System.Globalization;
using FinanceChain.Domain;

namespace FinanceChain.Bench;

/// <summary>
/// The refresh every instance pays after a product change, as the service pays it: successive single changes, each
/// applied to the index the previous one produced (so the overlay grows as it does between full builds), each timed on
/// its own, beside a full build in the same run; prints p50, p95, max, the allocation per change and its ratio to a
/// build.
/// </summary>
public static class Changes
{
    public static void Run(int changes)
    {
        Console.WriteLine($"MatchingIndex.With, one product replaced at a time, {changes} changes in a row, one thread");
        Console.WriteLine("| products | full build ms | change p50 µs | p95 µs | max µs | allocated per change | p50 / build |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            var products = Market.Products(size);
            MatchingIndex.Build(products);
            var start = Stopwatch.GetTimestamp();
            var index = MatchingIndex.Build(products);
            var build = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            // Each change makes a product a little cheaper, or withdraws every tenth one (and puts it back next time).
            var micros = new double[changes];
            var allocated = 0L;
            for (var i = 0; i < changes; i++)
            {
                var p = products[i * 7919 % products.Count];
                var changed = ProductTerms.Create(
                    p.Id, p.InstitutionId, p.Type, p.MinAmount, p.MaxAmount, p.MinTermDays, p.MaxTermDays,
                    Math.Max(1, p.MinRateBps - 1 - (i % 5)), p.MaxRateBps, p.ChainIds, p.EnterpriseSizes, p.Regions, p.Collateral,
                    p.RequiresConfirmedReceivable, i % 10 != 0);
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                start = Stopwatch.GetTimestamp();
                index = index.With([changed]);
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
            }

            Array.Sort(micros);
            var p50 = micros[micros.Length / 2];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {size:N0} | {build:F1} | {p50:F1} | {micros[(int)(micros.Length * 0.95)]:F1} | {micros[^1]:F1} | {allocated / changes / 1024.0:F0} KB | {p50 / 1000 / build:P2} |"));
        }
    }
}
