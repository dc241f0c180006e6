using BenchmarkDotNet.Attributes;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Bench;

/// <summary>
/// What a product change costs the product index (one product replaced, against a full build), and what a bank's
/// inbox costs the reverse index, for a bank with one narrow product and for a bank with a thirtieth of the market.
/// </summary>
[MemoryDiagnoser]
public class IndexChangeBenchmarks
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 0, 0);

    private MatchingIndex _index = MatchingIndex.Empty;
    private List<ProductTerms> _products = [];
    private ProductTerms[] _changed = [];
    private RequestIndex _requests = RequestIndex.Empty;
    private List<ProductTerms> _wideBank = [];
    private List<ProductTerms> _narrowBank = [];
    private IndexedRequest _newRequest = null!;
    private int _next;

    /// <summary>Active products, and as many live requests.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _products = Market.Products(Size);
        _index = MatchingIndex.Build(_products);

        // Each call replaces one product with a cheaper copy of itself (same id), in turn.
        _changed = [.. _products.Take(1024).Select(p => ProductTerms.Create(
            p.Id, p.InstitutionId, p.Type, p.MinAmount, p.MaxAmount, p.MinTermDays, p.MaxTermDays,
            Math.Max(1, p.MinRateBps - 1), p.MaxRateBps, p.ChainIds, p.EnterpriseSizes, p.Regions, p.Collateral,
            p.RequiresConfirmedReceivable, true))];

        var needs = Market.Needs(Size, seed: 11);
        _requests = RequestIndex.Build(needs.Select((n, i) => new IndexedRequest($"frq_{i:D7}", n, Now + Duration.FromDays(30))));
        _newRequest = new IndexedRequest("frq_9999999", needs[0], Now + Duration.FromDays(30));
        _wideBank = [.. _products.Where(p => p.InstitutionId == Market.Bank(1))];
        _narrowBank =
        [
            ProductTerms.Create("prd_narrow", "ins_narrow", ProductType.CreditLoan, Money.FromYuan(50_000m), Money.FromYuan(100_000m), 30, 360,
                420, 600, [Market.Chain(1)], [EnterpriseSize.Micro], [], Collateral.None, false, true),
        ];
    }

    /// <summary>One product replaced: the incremental refresh each instance pays after a change.</summary>
    [Benchmark]
    public int ProductIndex_OneChange()
    {
        var product = _changed[_next];
        _next = (_next + 1) % _changed.Length;
        return _index.With([product]).Count;
    }

    /// <summary>The full build the change used to cost.</summary>
    [Benchmark(Baseline = true)]
    public int ProductIndex_FullBuild() => MatchingIndex.Build(_products).Count;

    /// <summary>A narrow bank's first inbox page of 20 (one product for one chain's micro enterprises).</summary>
    [Benchmark]
    public int Inbox_NarrowBank() => _requests.Matching(_narrowBank, null, 21, Now).Count;

    /// <summary>A wide bank's first inbox page of 20 (a thirtieth of the market's products).</summary>
    [Benchmark]
    public int Inbox_WideBank() => _requests.Matching(_wideBank, null, 21, Now).Count;

    /// <summary>One request made: appended to the reverse index.</summary>
    [Benchmark]
    public int RequestIndex_OneNewRequest() => _requests.With([_newRequest], []).Count;
}
