using System.Diagnostics;
using System.Globalization;
using FinanceChain.Domain;

namespace FinanceChain.Bench;

/// <summary>
/// Per-request latency, which BenchmarkDotNet does not report (it times batches of calls): many realistic
/// requests, each timed on its own, after a warm-up; prints p50, p95, p99 and max per market size.
/// </summary>
public static class Latency
{
    public static void Run(int requests)
    {
        var needs = Market.Needs(requests, seed: 11);
        Console.WriteLine($"Per-request latency of TopMatches(need, 10), {requests} realistic requests each, one thread");
        Console.WriteLine("| products | p50 µs | p95 µs | p99 µs | max µs | mean matches |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            var index = MatchingIndex.Build(Market.Products(size));
            foreach (var need in needs)
            {
                index.TopMatches(need, 10);
            }

            var micros = new double[needs.Count];
            var matched = 0L;
            for (var i = 0; i < needs.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                matched += index.TopMatches(needs[i], 10).Count;
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(micros);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {size:N0} | {At(micros, 0.50):F1} | {At(micros, 0.95):F1} | {At(micros, 0.99):F1} | {micros[^1]:F1} | {(double)matched / needs.Count:F1} |"));
        }
    }

    private static double At(double[] sorted, double quantile) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(quantile * sorted.Length))];
}
