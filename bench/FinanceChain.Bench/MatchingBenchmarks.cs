using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using FinanceChain.Domain;

namespace FinanceChain.Bench;

/// <summary>Top-10 matches for one request against markets of 1k, 10k and 100k active products.</summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class MatchingBenchmarks
{
    private MatchingIndex _index = MatchingIndex.Empty;
    private List<ProductTerms> _products = [];
    private FinancingNeed _typical = Market.TypicalNeed();
    private FinancingNeed _noteDiscount = Market.NoteDiscountNeed();
    private FinancingNeed _unmatchable = Market.UnmatchableNeed();
    private FinancingNeed _far = Market.FarNeed();
    private List<FinancingNeed> _mix = [];
    private int _next;

    /// <summary>Active products in the market.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Products { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _products = Market.Products(Products);
        _index = MatchingIndex.Build(_products);
        _typical = Market.TypicalNeed();
        _noteDiscount = Market.NoteDiscountNeed();
        _unmatchable = Market.UnmatchableNeed();
        _far = Market.FarNeed();
        _mix = Market.Needs(1024);
    }

    /// <summary>A small supplier asking for any product: the request the targets are about.</summary>
    [Benchmark(Baseline = true)]
    public int TopTen_TypicalRequest() => _index.TopMatches(_typical, 10).Count;

    /// <summary>1024 realistic requests taken in turn (chains, sizes, regions, types, ceilings vary).</summary>
    [Benchmark]
    public int TopTen_RequestMix()
    {
        var need = _mix[_next];
        _next = (_next + 1) & 1023;
        return _index.TopMatches(need, 10).Count;
    }

    /// <summary>Only note discount, with a rate ceiling: few buckets, stops at the ceiling.</summary>
    [Benchmark]
    public int TopTen_NoteDiscountWithCeiling() => _index.TopMatches(_noteDiscount, 10).Count;

    /// <summary>Worst case: nothing matches, every bucket of the chain and of "any chain" is read to the end.</summary>
    [Benchmark]
    public int TopTen_NothingMatches() => _index.TopMatches(_unmatchable, 10).Count;

    /// <summary>
    /// What <c>GET …/matches</c> does for the request mix: the top ten (at least five, to know whether near
    /// misses are due) and, when fewer than five match, the five near misses.
    /// </summary>
    [Benchmark]
    public int TopTenAndNearMisses_RequestMix()
    {
        var need = _mix[_next];
        _next = (_next + 1) & 1023;
        var matches = _index.TopMatches(need, 10);
        return matches.Count < NearMiss.MaxCount ? matches.Count + _index.NearMisses(need).Count : matches.Count;
    }

    /// <summary>Near misses of the typical request (which has plenty of matches: the API would not ask).</summary>
    [Benchmark]
    public int NearMisses_TypicalRequest() => _index.NearMisses(_typical).Count;

    /// <summary>Near misses when nothing matches (5 billion yuan): every product is a near miss on the amount.</summary>
    [Benchmark]
    public int NearMisses_NothingMatches() => _index.NearMisses(_unmatchable).Count;

    /// <summary>Near misses of a request far from everything: the scan reads its buckets to the end (the worst case).</summary>
    [Benchmark]
    public int NearMisses_FarFromEverything() => _index.NearMisses(_far).Count;

    /// <summary>For comparison: checking every product one by one.</summary>
    [Benchmark]
    public int TopTen_TypicalRequest_LinearScan() => MatchingEngine.TopMatches(_products, _typical, 10).Count;

    /// <summary>Rebuilding the index after a change.</summary>
    [Benchmark]
    public int BuildIndex() => MatchingIndex.Build(_products).Count;

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95);
            HideColumns(Column.Error, Column.StdDev, Column.RatioSD);
        }
    }
}
