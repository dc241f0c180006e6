using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FinanceChain.Domain;

/// <summary>
/// An immutable in-memory index of the active products, answering "best products for this request"
/// without looking at every product. Build a new one with <see cref="Build"/> whenever the products
/// change and swap the reference; one instance may be read by any number of threads at once.
/// </summary>
/// <remarks>
/// <para>
/// Products are bucketed by type and by chain: a product restricted to chains sits in the bucket of
/// each of its chains, an unrestricted one in its type's "any chain" bucket. Each bucket is an array of
/// compact entries sorted by <see cref="ProductTerms.MinRateBps"/>. A request reads at most two buckets
/// per acceptable type (its chain's and "any chain") and merges them in rate order, one rate at a time:
/// every entry at the lowest remaining rate is checked against the remaining rules, then the next rate.
/// It stops once it holds <c>limit</c> eligible products, always after finishing a whole rate (so that
/// products of equal rate can still be ordered lead bank first), or once the rate passes the request's
/// ceiling. Ranking and eligibility are exactly those of <see cref="MatchingEngine"/>.
/// </para>
/// <para>
/// The work per request thus grows with how many products must be read before <c>limit</c> eligible
/// ones turn up, not with the size of the market; a request that nothing matches reads its buckets to
/// the end.
/// </para>
/// </remarks>
public sealed class MatchingIndex
{
    private static readonly int TypeCount = Enum.GetValues<ProductType>().Length;
    internal static readonly byte AllSizes = SizeMaskOf(Enum.GetValues<EnterpriseSize>());

    // Changes applied by With since the last full build are kept in a persistent overlay over the build's id table
    // instead of copying the table. Once the overlay would pass this many ids, or a quarter of the products if more,
    // the next change builds afresh: a full build per that many changes keeps the cost per change constant on average
    // and bounds the slots left empty by changes.
    internal const int MaxOverlay = 4096;

    // Slot → product, in chunks (a change copies the chunks it writes, not the array). The slot of a product changed or
    // withdrawn since the last full build is emptied (null) and in no bucket; a product put in takes a new slot.
    private readonly Chunks<ProductTerms?> _products;
    private readonly Entry[][] _anyChain;
    private readonly Dictionary<string, Entry[][]> _byChain;
    private readonly Chunks<RegionPrefix> _regions;
    private readonly Dictionary<string, int> _slotById;
    private readonly ImmutableDictionary<string, int> _overlay;
    private readonly Dictionary<string, ProductTerms[]> _byInstitution;
    private readonly int _count;

    private static readonly ImmutableDictionary<string, int> NoOverlay = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);

    private MatchingIndex(
        Chunks<ProductTerms?> products,
        Entry[][] anyChain,
        Dictionary<string, Entry[][]> byChain,
        Chunks<RegionPrefix> regions,
        Dictionary<string, int> slotById,
        ImmutableDictionary<string, int> overlay,
        Dictionary<string, ProductTerms[]> byInstitution,
        int count)
    {
        _products = products;
        _anyChain = anyChain;
        _byChain = byChain;
        _regions = regions;
        _slotById = slotById;
        _overlay = overlay;
        _byInstitution = byInstitution;
        _count = count;
    }

    /// <summary>An index holding no product.</summary>
    public static MatchingIndex Empty { get; } = Build([]);

    /// <summary>The number of active products indexed.</summary>
    public int Count => _count;

    /// <summary>
    /// Builds an index over the active products among <paramref name="products"/>; withdrawn ones are
    /// left out. Costs one pass and a sort per bucket (tens of milliseconds for 100,000 products).
    /// </summary>
    /// <exception cref="ArgumentException">Two products share an id.</exception>
    public static MatchingIndex Build(IEnumerable<ProductTerms> products)
    {
        ArgumentNullException.ThrowIfNull(products);

        var active = new List<ProductTerms>();
        var slotById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            ArgumentNullException.ThrowIfNull(product, nameof(products));
            if (!product.Active)
            {
                continue;
            }

            if (!slotById.TryAdd(product.Id, active.Count))
            {
                throw new ArgumentException($"Product id {product.Id} appears twice.", nameof(products));
            }

            active.Add(product);
        }

        var slots = Chunks<ProductTerms?>.Empty.ToBuilder();
        var regions = Chunks<RegionPrefix>.Empty.ToBuilder();
        var anyChain = NewTypeLists();
        var byChain = new Dictionary<string, List<Entry>[]>(StringComparer.Ordinal);
        for (var slot = 0; slot < active.Count; slot++)
        {
            var product = active[slot];
            slots.Add(product);
            var regionStart = regions.Count;
            foreach (var region in product.Regions)
            {
                regions.Add(RegionPrefix.Of(region));
            }

            var entry = new Entry(product, slot, regionStart, regions.Count - regionStart);
            var type = (int)product.Type;
            if (!product.IsChainRestricted)
            {
                anyChain[type].Add(entry);
                continue;
            }

            foreach (var chainId in product.ChainIds)
            {
                if (!byChain.TryGetValue(chainId, out var lists))
                {
                    lists = NewTypeLists();
                    byChain.Add(chainId, lists);
                }

                lists[type].Add(entry);
            }
        }

        var byInstitution = active
            .GroupBy(p => p.InstitutionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        return new MatchingIndex(
            slots.ToChunks(),
            SortedBuckets(anyChain),
            byChain.ToDictionary(kv => kv.Key, kv => SortedBuckets(kv.Value), StringComparer.Ordinal),
            regions.ToChunks(),
            slotById,
            NoOverlay,
            byInstitution,
            active.Count);
    }

    /// <summary>
    /// The index with <paramref name="changed"/> applied: an active product is put in (replacing the indexed one with
    /// its id), a withdrawn one taken out. Costs what the change touches, not what the index holds: only the buckets
    /// of the changed products' types and chains, the chunks of their slots and regions and the product lists of their
    /// banks are copied (copy-on-write), so readers of this index are never disturbed and the result equals
    /// <see cref="Build"/> over the changed product set.
    /// </summary>
    /// <exception cref="ArgumentException">Two changed products share an id.</exception>
    public MatchingIndex With(IEnumerable<ProductTerms> changed) => With(changed, Math.Max(MaxOverlay, _count / 4));

    // maxOverlay: how many ids may differ from the last full build before a change builds afresh (tests lower it).
    internal MatchingIndex With(IEnumerable<ProductTerms> changed, int maxOverlay)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var changes = changed.ToList();
        if (changes.Count == 0)
        {
            return this;
        }

        foreach (var product in changes)
        {
            ArgumentNullException.ThrowIfNull(product, nameof(changed));
        }

        if (changes.DistinctBy(p => p.Id, StringComparer.Ordinal).Count() != changes.Count)
        {
            throw new ArgumentException("A product appears twice among the changes.", nameof(changed));
        }

        if (_overlay.Count + changes.Count > maxOverlay)
        {
            var products = new Dictionary<string, ProductTerms>(StringComparer.Ordinal);
            foreach (var product in LiveProducts())
            {
                products[product.Id] = product;
            }

            foreach (var product in changes)
            {
                products[product.Id] = product;
            }

            return Build(products.Values);
        }

        var slots = _products.ToBuilder();
        var regions = _regions.ToBuilder();
        var overlay = _overlay.ToBuilder();
        var anyChain = (Entry[][])_anyChain.Clone();
        var byChain = new Dictionary<string, Entry[][]>(_byChain, StringComparer.Ordinal);
        var copiedChains = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<ProductTerms>(ReferenceEqualityComparer.Instance);
        var banks = new HashSet<string>(StringComparer.Ordinal);
        var count = _count;

        Entry[][] ChainTable(string chainId)
        {
            if (copiedChains.Add(chainId))
            {
                if (byChain.TryGetValue(chainId, out var old))
                {
                    byChain[chainId] = (Entry[][])old.Clone();
                }
                else
                {
                    var fresh = new Entry[TypeCount][];
                    Array.Fill(fresh, []);
                    byChain[chainId] = fresh;
                }
            }

            return byChain[chainId];
        }

        foreach (var product in changes)
        {
            if (TryGetSlot(product.Id, out var oldSlot))
            {
                var old = _products[oldSlot]!;
                removed.Add(old);
                banks.Add(old.InstitutionId);
                var type = (int)old.Type;
                if (old.IsChainRestricted)
                {
                    foreach (var chainId in old.ChainIds)
                    {
                        var table = ChainTable(chainId);
                        table[type] = Without(table[type], old.MinRateBps, oldSlot);
                    }
                }
                else
                {
                    anyChain[type] = Without(anyChain[type], old.MinRateBps, oldSlot);
                }

                // Emptied, so that the replaced product is not kept alive by this index.
                slots.Set(oldSlot, null);
                overlay[product.Id] = -1;
                count--;
            }

            if (!product.Active)
            {
                continue;
            }

            var slot = slots.Add(product);
            overlay[product.Id] = slot;
            banks.Add(product.InstitutionId);
            count++;
            var regionStart = regions.Count;
            foreach (var region in product.Regions)
            {
                regions.Add(RegionPrefix.Of(region));
            }

            var entry = new Entry(product, slot, regionStart, regions.Count - regionStart);
            var productType = (int)product.Type;
            if (product.IsChainRestricted)
            {
                foreach (var chainId in product.ChainIds)
                {
                    var table = ChainTable(chainId);
                    table[productType] = With(table[productType], entry);
                }
            }
            else
            {
                anyChain[productType] = With(anyChain[productType], entry);
            }
        }

        // The touched banks' product lists are rebuilt in one pass each: what they kept, then what they gained.
        var byInstitution = new Dictionary<string, ProductTerms[]>(_byInstitution, StringComparer.Ordinal);
        foreach (var bank in banks)
        {
            var had = _byInstitution.GetValueOrDefault(bank) ?? [];
            var kept = new List<ProductTerms>(had.Length + changes.Count);
            foreach (var product in had)
            {
                if (!removed.Contains(product))
                {
                    kept.Add(product);
                }
            }

            foreach (var product in changes)
            {
                if (product.Active && product.InstitutionId == bank)
                {
                    kept.Add(product);
                }
            }

            if (kept.Count > 0)
            {
                byInstitution[bank] = [.. kept];
            }
            else
            {
                byInstitution.Remove(bank);
            }
        }

        return new MatchingIndex(slots.ToChunks(), anyChain, byChain, regions.ToChunks(), _slotById, overlay.ToImmutable(), byInstitution, count);
    }

    private IEnumerable<ProductTerms> LiveProducts()
    {
        for (var slot = 0; slot < _products.Count; slot++)
        {
            if (_products[slot] is { } product)
            {
                yield return product;
            }
        }
    }

    private bool TryGetSlot(string productId, out int slot)
    {
        if (_overlay.TryGetValue(productId, out slot))
        {
            return slot >= 0;
        }

        return _slotById.TryGetValue(productId, out slot);
    }

    // A copy of the bucket without the entry of `slot` (found by its rate: the bucket is sorted by rate, then slot).
    private static Entry[] Without(Entry[] bucket, int rate, int slot)
    {
        var at = Position(bucket, rate, slot);
        if (at >= bucket.Length || bucket[at].Slot != slot)
        {
            return bucket;
        }

        var copy = new Entry[bucket.Length - 1];
        Array.Copy(bucket, copy, at);
        Array.Copy(bucket, at + 1, copy, at, bucket.Length - at - 1);
        return copy;
    }

    // A copy of the bucket with `entry` in its place by rate, then slot.
    private static Entry[] With(Entry[] bucket, Entry entry)
    {
        var at = Position(bucket, entry.Rate, entry.Slot);
        var copy = new Entry[bucket.Length + 1];
        Array.Copy(bucket, copy, at);
        copy[at] = entry;
        Array.Copy(bucket, at, copy, at + 1, bucket.Length - at);
        return copy;
    }

    // The first position whose (rate, slot) is not below the given one.
    private static int Position(Entry[] bucket, int rate, int slot)
    {
        int low = 0, high = bucket.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var e = bucket[middle];
            if (e.Rate < rate || (e.Rate == rate && e.Slot < slot))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The best <paramref name="limit"/> eligible products for <paramref name="need"/>, best first, with
    /// score and reasons: the same list <see cref="MatchingEngine.TopMatches"/> gives over the same products.
    /// </summary>
    /// <exception cref="DomainValidationException"><paramref name="limit"/> is below 1.</exception>
    public IReadOnlyList<ProductMatch> TopMatches(FinancingNeed need, int limit)
    {
        ArgumentNullException.ThrowIfNull(need);
        MatchingEngine.CheckLimit(limit);

        var query = Query.Of(need);
        var buckets = new Entry[2 * TypeCount][];
        var count = 0;
        _byChain.TryGetValue(need.ChainId, out var chainBuckets);
        for (var type = 0; type < TypeCount; type++)
        {
            if (!need.Accepts((ProductType)type))
            {
                continue;
            }

            if (chainBuckets is not null && chainBuckets[type].Length > 0)
            {
                buckets[count++] = chainBuckets[type];
            }

            if (_anyChain[type].Length > 0)
            {
                buckets[count++] = _anyChain[type];
            }
        }

        Span<int> positions = stackalloc int[count];
        var ceiling = need.MaxRateBps ?? int.MaxValue;
        var found = new List<int>(Math.Min(limit, 64));
        while (found.Count < limit)
        {
            // The lowest rate still unread in any bucket: the next group to take whole.
            var rate = int.MaxValue;
            for (var i = 0; i < count; i++)
            {
                if (positions[i] < buckets[i].Length)
                {
                    rate = Math.Min(rate, buckets[i][positions[i]].Rate);
                }
            }

            if (rate == int.MaxValue || rate > ceiling)
            {
                break;
            }

            for (var i = 0; i < count; i++)
            {
                var bucket = buckets[i];
                var position = positions[i];
                while (position < bucket.Length && bucket[position].Rate == rate)
                {
                    if (Fits(in bucket[position], in query))
                    {
                        found.Add(bucket[position].Slot);
                    }

                    position++;
                }

                positions[i] = position;
            }
        }

        var ranked = found.Select(slot => _products[slot]!).Order(MatchingEngine.RankingFor(need)).Take(limit).ToList();
        return MatchingEngine.ToMatches(ranked, need);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> active products that fail one or two of the rules for <paramref name="need"/>,
    /// closest first: fewer rules failed first, then in ranking order (lowest rate first, the lead bank first at equal
    /// rate, and so on). Each comes with the rules it fails and what would have to change.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The candidates are the products a borrower in the request's chain could be served by: the buckets of its chain
    /// and of "any chain", of every type (a type the request does not accept is one rule failed). Products restricted
    /// to other chains are left out: the request's chain is not something to change in the request, and those
    /// products are for the members of the other chains. Withdrawn products are never indexed.
    /// </para>
    /// <para>
    /// The buckets are merged in rate order, one whole rate at a time, as for <see cref="TopMatches"/>, counting the
    /// rules each entry fails (and giving up on it at the third). The scan stops once it holds <paramref name="limit"/>
    /// products that fail a single rule at the end of a rate group: nothing at a higher rate can come before them. A
    /// request far from every product reads those buckets to the end, as <see cref="TopMatches"/> does when nothing matches.
    /// </para>
    /// </remarks>
    /// <exception cref="DomainValidationException"><paramref name="limit"/> is below 1.</exception>
    public IReadOnlyList<NearMiss> NearMisses(FinancingNeed need, int limit = NearMiss.MaxCount)
    {
        ArgumentNullException.ThrowIfNull(need);
        MatchingEngine.CheckLimit(limit);

        var query = Query.Of(need);
        var buckets = new Entry[2 * TypeCount][];
        var typeFails = new bool[2 * TypeCount];
        var count = 0;
        _byChain.TryGetValue(need.ChainId, out var chainBuckets);
        for (var type = 0; type < TypeCount; type++)
        {
            var fails = !need.Accepts((ProductType)type);
            if (chainBuckets is not null && chainBuckets[type].Length > 0)
            {
                typeFails[count] = fails;
                buckets[count++] = chainBuckets[type];
            }

            if (_anyChain[type].Length > 0)
            {
                typeFails[count] = fails;
                buckets[count++] = _anyChain[type];
            }
        }

        Span<int> positions = stackalloc int[count];
        var ceiling = need.MaxRateBps ?? int.MaxValue;
        var ranking = MatchingEngine.RankingFor(need);
        var kept = new List<(int Failed, ProductTerms Product)>(limit + 1);
        while (true)
        {
            var rate = int.MaxValue;
            for (var i = 0; i < count; i++)
            {
                if (positions[i] < buckets[i].Length)
                {
                    rate = Math.Min(rate, buckets[i][positions[i]].Rate);
                }
            }

            if (rate == int.MaxValue)
            {
                break;
            }

            var rateFails = rate > ceiling ? 1 : 0;
            for (var i = 0; i < count; i++)
            {
                var bucket = buckets[i];
                var position = positions[i];
                var known = rateFails + (typeFails[i] ? 1 : 0);
                while (position < bucket.Length && bucket[position].Rate == rate)
                {
                    var failed = known + Failures(in bucket[position], in query, NearMiss.MaxFailedRules + 1 - known);
                    if (failed is >= 1 and <= NearMiss.MaxFailedRules)
                    {
                        Keep(kept, (failed, _products[bucket[position].Slot]!), limit, ranking);
                    }

                    position++;
                }

                positions[i] = position;
            }

            if (kept.Count == limit && kept[^1].Failed == 1)
            {
                break;
            }
        }

        return kept.Select(k => new NearMiss(k.Product, MatchingEngine.Explain(k.Product, need).Failed)).ToList();
    }

    // Inserts in order (fewer failures, then ranking) and keeps the best `limit`.
    private static void Keep(List<(int Failed, ProductTerms Product)> kept, (int Failed, ProductTerms Product) candidate, int limit, IComparer<ProductTerms> ranking)
    {
        var at = kept.Count;
        while (at > 0 && Closer(candidate, kept[at - 1], ranking))
        {
            at--;
        }

        if (at >= limit)
        {
            return;
        }

        kept.Insert(at, candidate);
        if (kept.Count > limit)
        {
            kept.RemoveAt(kept.Count - 1);
        }
    }

    private static bool Closer((int Failed, ProductTerms Product) x, (int Failed, ProductTerms Product) y, IComparer<ProductTerms> ranking) =>
        x.Failed != y.Failed ? x.Failed < y.Failed : ranking.Compare(x.Product, y.Product) < 0;

    /// <summary>The active product with <paramref name="productId"/>, if indexed.</summary>
    public bool TryGetProduct(string productId, [MaybeNullWhen(false)] out ProductTerms product)
    {
        ArgumentNullException.ThrowIfNull(productId);
        if (TryGetSlot(productId, out var slot))
        {
            product = _products[slot]!;
            return true;
        }

        product = null;
        return false;
    }

    /// <summary>True when at least one active product of <paramref name="institutionId"/> is eligible for <paramref name="need"/>.</summary>
    public bool AnyMatch(string institutionId, FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(institutionId);
        ArgumentNullException.ThrowIfNull(need);
        return ProductsOf(institutionId).Any(p => MatchingEngine.IsEligible(p, need));
    }

    /// <summary>
    /// The active products of <paramref name="institutionId"/> eligible for <paramref name="need"/>,
    /// in ranking order: which of its products a bank may offer on a request.
    /// </summary>
    public IReadOnlyList<ProductTerms> MatchingProducts(string institutionId, FinancingNeed need)
    {
        ArgumentNullException.ThrowIfNull(institutionId);
        ArgumentNullException.ThrowIfNull(need);
        return ProductsOf(institutionId)
            .Where(p => MatchingEngine.IsEligible(p, need))
            .Order(MatchingEngine.RankingFor(need))
            .ToList();
    }

    /// <summary>
    /// The best <paramref name="limit"/> of <see cref="MatchingProducts(string, FinancingNeed)"/>, the same as its first
    /// <paramref name="limit"/>, found without checking every product of the bank.
    /// </summary>
    /// <remarks>
    /// The ranking orders by rate first, so the bank's products are read in rate order and the read stops once it holds
    /// <paramref name="limit"/> eligible products and has finished their last rate: every product left ranks after them.
    /// A bank with thousands of products then pays for about <paramref name="limit"/> divided by the share of its
    /// products that fit, not for all of them, in each line of its inbox.
    /// </remarks>
    public IReadOnlyList<ProductTerms> MatchingProducts(string institutionId, FinancingNeed need, int limit)
    {
        ArgumentNullException.ThrowIfNull(institutionId);
        ArgumentNullException.ThrowIfNull(need);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<ProductTerms>();
        foreach (var product in ProductsByRate(institutionId))
        {
            if (found.Count >= limit && product.MinRateBps > found[^1].MinRateBps)
            {
                break;
            }

            if (MatchingEngine.IsEligible(product, need))
            {
                found.Add(product);
            }
        }

        return found.Order(MatchingEngine.RankingFor(need)).Take(limit).ToList();
    }

    // A bank's products by rate, sorted on first use: the index is immutable, so each copy sorts a bank at most once.
    private ProductTerms[] ProductsByRate(string institutionId) =>
        _byInstitutionByRate.GetOrAdd(institutionId, bank =>
        {
            var sorted = (ProductTerms[])ProductsOf(bank).Clone();
            Array.Sort(sorted, static (x, y) =>
                x.MinRateBps != y.MinRateBps ? x.MinRateBps.CompareTo(y.MinRateBps) : string.CompareOrdinal(x.Id, y.Id));
            return sorted;
        });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ProductTerms[]> _byInstitutionByRate = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys of the needs that at least one active product of <paramref name="institutionId"/> is
    /// eligible for, in the order given: a bank's inbox of matching requests.
    /// </summary>
    public IReadOnlyList<TKey> MatchingNeeds<TKey>(string institutionId, IEnumerable<(TKey Key, FinancingNeed Need)> needs)
    {
        ArgumentNullException.ThrowIfNull(institutionId);
        ArgumentNullException.ThrowIfNull(needs);
        var products = ProductsOf(institutionId);
        if (products.Length == 0)
        {
            return [];
        }

        return needs
            .Where(n => products.Any(p => MatchingEngine.IsEligible(p, n.Need)))
            .Select(n => n.Key)
            .ToList();
    }

    /// <summary>The active products of <paramref name="institutionId"/>, in no particular order.</summary>
    public IReadOnlyList<ProductTerms> ProductsOfInstitution(string institutionId)
    {
        ArgumentNullException.ThrowIfNull(institutionId);
        return ProductsOf(institutionId);
    }

    private ProductTerms[] ProductsOf(string institutionId) =>
        _byInstitution.TryGetValue(institutionId, out var products) ? products : [];

    private bool Fits(in Entry e, in Query q)
    {
        if (q.Fen < e.MinFen || q.Fen > e.MaxFen || q.TermDays < e.MinTermDays || q.TermDays > e.MaxTermDays)
        {
            return false;
        }

        if ((e.SizeMask & q.SizeBit) == 0 || (e.CollateralBit & ~q.CollateralOffered) != 0 || (e.Needs & q.Lacks) != 0)
        {
            return false;
        }

        if (e.RegionCount == 0)
        {
            return true;
        }

        var end = e.RegionStart + e.RegionCount;
        for (var i = e.RegionStart; i < end; i++)
        {
            if (_regions[i].Covers(q.Region))
            {
                return true;
            }
        }

        return false;
    }

    // The rules other than active, chain, type and rate that the entry fails, counting no further than `enough`.
    private int Failures(in Entry e, in Query q, int enough)
    {
        var failed = 0;
        if (q.Fen < e.MinFen || q.Fen > e.MaxFen)
        {
            failed++;
        }

        if (q.TermDays < e.MinTermDays || q.TermDays > e.MaxTermDays)
        {
            failed++;
        }

        if ((e.SizeMask & q.SizeBit) == 0)
        {
            failed++;
        }

        if ((e.CollateralBit & ~q.CollateralOffered) != 0)
        {
            failed++;
        }

        if (failed >= enough)
        {
            return failed;
        }

        var lacks = e.Needs & q.Lacks;
        if ((lacks & Needs.HeldNote) != 0)
        {
            failed++;
        }

        if ((lacks & Needs.ConfirmedReceivable) != 0)
        {
            failed++;
        }

        if (failed >= enough || e.RegionCount == 0)
        {
            return failed;
        }

        var end = e.RegionStart + e.RegionCount;
        for (var i = e.RegionStart; i < end; i++)
        {
            if (_regions[i].Covers(q.Region))
            {
                return failed;
            }
        }

        return failed + 1;
    }

    private static List<Entry>[] NewTypeLists()
    {
        var lists = new List<Entry>[TypeCount];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        return lists;
    }

    private static Entry[][] SortedBuckets(List<Entry>[] lists)
    {
        var buckets = new Entry[lists.Length][];
        for (var i = 0; i < lists.Length; i++)
        {
            var bucket = lists[i].ToArray();
            Array.Sort(bucket, static (a, b) => a.Rate != b.Rate ? a.Rate.CompareTo(b.Rate) : a.Slot.CompareTo(b.Slot));
            buckets[i] = bucket;
        }

        return buckets;
    }

    internal static byte SizeMaskOf(IEnumerable<EnterpriseSize> sizes)
    {
        var mask = 0;
        foreach (var size in sizes)
        {
            mask |= 1 << (int)size;
        }

        return (byte)mask;
    }

    internal static byte CollateralBitOf(Collateral collateral) =>
        collateral == Collateral.None ? (byte)0 : (byte)(1 << (int)collateral);

    /// <summary>What a product needs beyond collateral and ranges.</summary>
    [Flags]
    internal enum Needs : byte
    {
        Nothing = 0,
        HeldNote = 1,
        ConfirmedReceivable = 2,
    }

    /// <summary>The hot fields of one product in one bucket, laid out for a tight scan.</summary>
    private readonly struct Entry
    {
        public Entry(ProductTerms product, int slot, int regionStart, int regionCount)
        {
            MinFen = product.MinAmount.Fen;
            MaxFen = product.MaxAmount.Fen;
            Rate = product.MinRateBps;
            Slot = slot;
            MinTermDays = product.MinTermDays;
            MaxTermDays = product.MaxTermDays;
            RegionStart = regionStart;
            RegionCount = regionCount;
            SizeMask = product.EnterpriseSizes.Count == 0 ? AllSizes : SizeMaskOf(product.EnterpriseSizes);
            CollateralBit = CollateralBitOf(product.Collateral);
            Needs = (product.Type == ProductType.NoteDiscount ? Needs.HeldNote : Needs.Nothing)
                | (product.RequiresConfirmedReceivable ? Needs.ConfirmedReceivable : Needs.Nothing);
        }

        public long MinFen { get; }
        public long MaxFen { get; }
        public int Rate { get; }
        public int Slot { get; }
        public int MinTermDays { get; }
        public int MaxTermDays { get; }
        public int RegionStart { get; }
        public int RegionCount { get; }
        public byte SizeMask { get; }
        public byte CollateralBit { get; }
        public Needs Needs { get; }
    }

    /// <summary>A request reduced to what the scan compares.</summary>
    internal readonly struct Query
    {
        private Query(FinancingNeed need)
        {
            Fen = need.Amount.Fen;
            TermDays = need.TermDays;
            Region = int.Parse(need.Region.Value, NumberStyles.None, CultureInfo.InvariantCulture);
            SizeBit = (byte)(1 << (int)need.EnterpriseSize);
            var offered = 0;
            foreach (var collateral in need.CollateralOffered)
            {
                offered |= CollateralBitOf(collateral);
            }

            CollateralOffered = (byte)offered;
            Lacks = (need.HoldsNote ? Needs.Nothing : Needs.HeldNote)
                | (need.HasConfirmedReceivable ? Needs.Nothing : Needs.ConfirmedReceivable);
        }

        public long Fen { get; }
        public int TermDays { get; }
        public int Region { get; }
        public byte SizeBit { get; }
        public byte CollateralOffered { get; }
        public Needs Lacks { get; }

        public static Query Of(FinancingNeed need) => new(need);
    }

    /// <summary>
    /// A region's significant prefix as a number: <c>420000</c> covers every code whose first two digits
    /// are 42, i.e. <c>code / 10000 == 42</c>; the same as <see cref="RegionCode.Covers"/>.
    /// </summary>
    internal readonly record struct RegionPrefix(int Divisor, int Value)
    {
        public static RegionPrefix Of(RegionCode region)
        {
            var prefix = region.Prefix;
            var divisor = prefix.Length switch
            {
                2 => 10_000,
                4 => 100,
                _ => 1,
            };
            return new RegionPrefix(divisor, int.Parse(prefix, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        public bool Covers(int code) => code / Divisor == Value;
    }
}
