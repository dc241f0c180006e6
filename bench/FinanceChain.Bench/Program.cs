using BenchmarkDotNet.Running;
using FinanceChain.Bench;

// `latency [requests]` times single requests, `changes [count]` single product changes; anything else goes to BenchmarkDotNet
// (e.g. `--filter '*' --job short`).
if (args.Length > 0 && args[0] == "latency")
{
    Latency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}

if (args.Length > 0 && args[0] == "changes")
{
    Changes.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(MatchingBenchmarks).Assembly).Run(args);
