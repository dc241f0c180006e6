using NodaTime;

namespace FinanceChain.Domain;

/// <summary>A live financing request as the reverse index holds it: its id (which orders the inbox), its need and when it expires.</summary>
/// <param name="Id">The request's id; ids order the requests (oldest first).</param>
/// <param name="Need">What the request asks, as matching reads it.</param>
/// <param name="ExpiresAt">From this instant on the request is expired and matches no product.</param>
public sealed record IndexedRequest(string Id, FinancingNeed Need, Instant ExpiresAt);

/// <summary>
/// The reverse of <see cref="MatchingIndex"/>: an immutable index of the live financing requests answering
/// "which requests is at least one of these products eligible for", in id order, without looking at every request.
/// One instance may be read by any number of threads at once; <see cref="With"/> gives the next one.
/// </summary>
/// <remarks>
/// <para>
/// Requests are numbered in id order (their ordinal) and bucketed by chain and by acceptable type: a request that
/// accepts every type sits in each type's bucket of its chain. Each bucket is an ascending array of ordinals. A
/// product reads only the buckets of its type in its chains (every chain when it is open to all), from the first
/// ordinal after the cursor, checking the remaining rules on each request, and stops after <c>limit</c> eligible
/// ones or once it passes the <c>limit</c>-th request already found by the bank's other products.
/// </para>
/// <para>
/// So a bank whose products fit few requests reads only the buckets its products can be eligible in, not every
/// live request; a bank whose products fit many stops early in each bucket. Expired requests are skipped by the
/// instant given to <see cref="Matching"/>, so no write is needed when a request runs out of time.
/// </para>
/// </remarks>
public sealed class RequestIndex
{
    private static readonly int TypeCount = Enum.GetValues<ProductType>().Length;

    // Ordinal → request; ordinals follow ids. Removed requests stay until the next full build, marked in _removed.
    private readonly IndexedRequest[] _requests;
    private readonly Probe[] _probes;
    private readonly ulong[] _removed;
    private readonly Dictionary<string, int[][]> _byChain;
    private readonly int _removedCount;

    private RequestIndex(IndexedRequest[] requests, Probe[] probes, ulong[] removed, int removedCount, Dictionary<string, int[][]> byChain)
    {
        _requests = requests;
        _probes = probes;
        _removed = removed;
        _removedCount = removedCount;
        _byChain = byChain;
    }

    /// <summary>An index holding no request.</summary>
    public static RequestIndex Empty { get; } = Build([]);

    /// <summary>The number of requests indexed (expired ones included until they are removed).</summary>
    public int Count => _requests.Length - _removedCount;

    /// <summary>Builds the index over <paramref name="requests"/>, in any order.</summary>
    /// <exception cref="ArgumentException">Two requests share an id.</exception>
    public static RequestIndex Build(IEnumerable<IndexedRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var sorted = requests.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i - 1].Id, sorted[i].Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Request id {sorted[i].Id} appears twice.", nameof(requests));
            }
        }

        var lists = new Dictionary<string, List<int>[]>(StringComparer.Ordinal);
        var probes = new Probe[sorted.Length];
        for (var ordinal = 0; ordinal < sorted.Length; ordinal++)
        {
            probes[ordinal] = new Probe(sorted[ordinal]);
            var need = sorted[ordinal].Need;
            if (!lists.TryGetValue(need.ChainId, out var types))
            {
                types = new List<int>[TypeCount];
                for (var t = 0; t < TypeCount; t++)
                {
                    types[t] = [];
                }

                lists.Add(need.ChainId, types);
            }

            for (var t = 0; t < TypeCount; t++)
            {
                if (need.Accepts((ProductType)t))
                {
                    types[t].Add(ordinal);
                }
            }
        }

        return new RequestIndex(
            sorted,
            probes,
            new ulong[(sorted.Length + 63) / 64],
            0,
            lists.ToDictionary(kv => kv.Key, kv => kv.Value.Select(l => l.ToArray()).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The index with <paramref name="removed"/> taken out and <paramref name="added"/> put in (a request in both, or
    /// already indexed, is replaced). Requests newer than every indexed one, the usual case, are appended: only the
    /// buckets they join are copied. Anything else (an older id, a changed need, many removed) builds afresh.
    /// </summary>
    public RequestIndex With(IEnumerable<IndexedRequest> added, IEnumerable<string> removed)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removed);
        var adding = added.ToList();
        adding.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var removing = new HashSet<string>(removed, StringComparer.Ordinal);

        var removedBits = (ulong[])_removed.Clone();
        var removedCount = _removedCount;
        var appended = new List<IndexedRequest>(adding.Count);
        var rebuild = false;
        foreach (var request in adding)
        {
            var ordinal = OrdinalOf(request.Id);
            if (ordinal >= 0)
            {
                // Already here and unchanged (e.g. a first offer made it "offered"): nothing to do.
                if (IsRemoved(_removed, ordinal) || !SameNeed(_requests[ordinal], request))
                {
                    rebuild = true;
                }

                removing.Remove(request.Id);
                continue;
            }

            var last = appended.Count > 0 ? appended[^1].Id : _requests.Length > 0 ? _requests[^1].Id : null;
            if (last is not null && string.CompareOrdinal(request.Id, last) <= 0)
            {
                rebuild = true;
            }

            appended.Add(request);
        }

        foreach (var id in removing)
        {
            var ordinal = OrdinalOf(id);
            if (ordinal >= 0 && !IsRemoved(removedBits, ordinal))
            {
                removedBits[ordinal / 64] |= 1UL << (ordinal % 64);
                removedCount++;
            }
        }

        if (rebuild || removedCount * 4 > _requests.Length + 64)
        {
            var replaced = new HashSet<string>(adding.Select(a => a.Id), StringComparer.Ordinal);
            return Build(Live(removedBits).Where(r => !removing.Contains(r.Id) && !replaced.Contains(r.Id)).Concat(adding));
        }

        if (appended.Count == 0)
        {
            return new RequestIndex(_requests, _probes, removedBits, removedCount, _byChain);
        }

        var start = _requests.Length;
        var requests = new IndexedRequest[start + appended.Count];
        Array.Copy(_requests, requests, start);
        var probes = new Probe[requests.Length];
        Array.Copy(_probes, probes, start);
        Array.Resize(ref removedBits, (requests.Length + 63) / 64);
        var byChain = new Dictionary<string, int[][]>(_byChain, StringComparer.Ordinal);
        var copied = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < appended.Count; i++)
        {
            var ordinal = start + i;
            requests[ordinal] = appended[i];
            probes[ordinal] = new Probe(appended[i]);
            var need = appended[i].Need;
            if (copied.Add(need.ChainId))
            {
                // Copy-on-write: readers of this index keep the chain's old bucket table; only it is copied.
                int[][] types;
                if (byChain.TryGetValue(need.ChainId, out var old))
                {
                    types = (int[][])old.Clone();
                }
                else
                {
                    types = new int[TypeCount][];
                    Array.Fill(types, []);
                }

                byChain[need.ChainId] = types;
            }

            var table = byChain[need.ChainId];
            for (var t = 0; t < TypeCount; t++)
            {
                if (need.Accepts((ProductType)t))
                {
                    table[t] = [.. table[t], ordinal];
                }
            }
        }

        return new RequestIndex(requests, probes, removedBits, removedCount, byChain);
    }

    /// <summary>
    /// The ids of the first <paramref name="limit"/> requests after <paramref name="afterId"/> (in id order) that are
    /// unexpired at <paramref name="now"/> and for which at least one of the active <paramref name="products"/> is
    /// eligible: a bank's inbox, given its products.
    /// </summary>
    /// <exception cref="DomainValidationException"><paramref name="limit"/> is below 1.</exception>
    public IReadOnlyList<string> Matching(IEnumerable<ProductTerms> products, string? afterId, int limit, Instant now)
    {
        ArgumentNullException.ThrowIfNull(products);
        MatchingEngine.CheckLimit(limit);
        var from = afterId is null ? 0 : FirstAfter(afterId);
        var nowTicks = now.ToUnixTimeTicks();

        // The ordinals found so far, kept sorted and no longer than `limit`: a product need not look past the last.
        var found = new List<int>(Math.Min(limit, 1024) + 1);
        var bound = int.MaxValue;
        foreach (var product in products)
        {
            if (!product.Active)
            {
                continue;
            }

            var probe = new ProductProbe(product);
            var type = (int)product.Type;
            if (product.IsChainRestricted)
            {
                foreach (var chainId in product.ChainIds)
                {
                    if (_byChain.TryGetValue(chainId, out var types))
                    {
                        Scan(types[type], from, in probe, nowTicks, limit, found, ref bound);
                    }
                }
            }
            else
            {
                foreach (var types in _byChain.Values)
                {
                    Scan(types[type], from, in probe, nowTicks, limit, found, ref bound);
                }
            }
        }

        var ids = new string[found.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _requests[found[i]].Id;
        }

        return ids;
    }

    private void Scan(int[] bucket, int from, in ProductProbe probe, long nowTicks, int limit, List<int> found, ref int bound)
    {
        var position = LowerBound(bucket, from);
        for (; position < bucket.Length; position++)
        {
            var ordinal = bucket[position];
            if (ordinal > bound)
            {
                return;
            }

            if (IsRemoved(_removed, ordinal) || !probe.Fits(in _probes[ordinal], nowTicks))
            {
                continue;
            }

            var at = found.BinarySearch(ordinal);
            if (at >= 0)
            {
                continue;
            }

            found.Insert(~at, ordinal);
            if (found.Count > limit)
            {
                found.RemoveAt(found.Count - 1);
            }

            if (found.Count == limit)
            {
                bound = found[^1];
            }
        }
    }

    private IEnumerable<IndexedRequest> Live(ulong[] removed)
    {
        for (var i = 0; i < _requests.Length; i++)
        {
            if (!IsRemoved(removed, i))
            {
                yield return _requests[i];
            }
        }
    }

    private int OrdinalOf(string id)
    {
        var at = Array.BinarySearch(_requests, new IndexedRequest(id, null!, default), ById.Instance);
        return at >= 0 ? at : -1;
    }

    private int FirstAfter(string id)
    {
        var at = Array.BinarySearch(_requests, new IndexedRequest(id, null!, default), ById.Instance);
        return at >= 0 ? at + 1 : ~at;
    }

    private static int LowerBound(int[] bucket, int value)
    {
        if (value == 0)
        {
            return 0;
        }

        var at = Array.BinarySearch(bucket, value);
        return at >= 0 ? at : ~at;
    }

    private static bool IsRemoved(ulong[] removed, int ordinal) => (removed[ordinal / 64] & (1UL << (ordinal % 64))) != 0;

    private static bool SameNeed(IndexedRequest a, IndexedRequest b) =>
        a.ExpiresAt == b.ExpiresAt
        && a.Need.ChainId == b.Need.ChainId
        && a.Need.AcceptableTypes.SetEquals(b.Need.AcceptableTypes)
        && new Probe(a).Equals(new Probe(b));

    private sealed class ById : IComparer<IndexedRequest>
    {
        public static readonly ById Instance = new();

        public int Compare(IndexedRequest? x, IndexedRequest? y) => string.CompareOrdinal(x!.Id, y!.Id);
    }

    /// <summary>A request reduced to what a product check compares.</summary>
    private readonly record struct Probe
    {
        public Probe(IndexedRequest request)
        {
            Query = MatchingIndex.Query.Of(request.Need);
            Ceiling = request.Need.MaxRateBps ?? int.MaxValue;
            ExpiresTicks = request.ExpiresAt.ToUnixTimeTicks();
        }

        public MatchingIndex.Query Query { get; }
        public int Ceiling { get; }
        public long ExpiresTicks { get; }
    }

    /// <summary>A product reduced to what a request check compares (chain and type are the bucket's).</summary>
    private readonly struct ProductProbe
    {
        private readonly MatchingIndex.RegionPrefix[] _regions;

        public ProductProbe(ProductTerms product)
        {
            MinFen = product.MinAmount.Fen;
            MaxFen = product.MaxAmount.Fen;
            Rate = product.MinRateBps;
            MinTermDays = product.MinTermDays;
            MaxTermDays = product.MaxTermDays;
            SizeMask = product.EnterpriseSizes.Count == 0 ? MatchingIndex.AllSizes : MatchingIndex.SizeMaskOf(product.EnterpriseSizes);
            CollateralBit = MatchingIndex.CollateralBitOf(product.Collateral);
            Needs = (product.Type == ProductType.NoteDiscount ? MatchingIndex.Needs.HeldNote : MatchingIndex.Needs.Nothing)
                | (product.RequiresConfirmedReceivable ? MatchingIndex.Needs.ConfirmedReceivable : MatchingIndex.Needs.Nothing);
            _regions = [.. product.Regions.Select(MatchingIndex.RegionPrefix.Of)];
        }

        private long MinFen { get; }
        private long MaxFen { get; }
        private int Rate { get; }
        private int MinTermDays { get; }
        private int MaxTermDays { get; }
        private byte SizeMask { get; }
        private byte CollateralBit { get; }
        private MatchingIndex.Needs Needs { get; }

        public bool Fits(in Probe request, long nowTicks)
        {
            var q = request.Query;
            if (request.ExpiresTicks <= nowTicks || Rate > request.Ceiling)
            {
                return false;
            }

            if (q.Fen < MinFen || q.Fen > MaxFen || q.TermDays < MinTermDays || q.TermDays > MaxTermDays)
            {
                return false;
            }

            if ((SizeMask & q.SizeBit) == 0 || (CollateralBit & ~q.CollateralOffered) != 0 || (Needs & q.Lacks) != 0)
            {
                return false;
            }

            if (_regions.Length == 0)
            {
                return true;
            }

            foreach (var region in _regions)
            {
                if (region.Covers(q.Region))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
