namespace FinanceChain.Domain;

/// <summary>
/// An immutable array kept in fixed chunks of <see cref="Size"/> items, so that a changed version copies only the
/// table of chunks and the chunks it writes, never the whole array: appending or replacing one item costs
/// O(<see cref="Size"/> + count / <see cref="Size"/>), and every earlier version stays readable unchanged.
/// </summary>
/// <remarks>
/// A chunk of 1,024 references or 8-byte values is 8 KB, well below the large object heap's threshold, so a change
/// allocates nothing that only a full (gen 2) collection can reclaim.
/// </remarks>
internal sealed class Chunks<T>
{
    internal const int Shift = 10;
    internal const int Size = 1 << Shift;
    private const int Mask = Size - 1;

    private readonly T[][] _chunks;

    private Chunks(T[][] chunks, int count)
    {
        _chunks = chunks;
        Count = count;
    }

    public static Chunks<T> Empty { get; } = new([], 0);

    /// <summary>The number of items.</summary>
    public int Count { get; }

    public T this[int index] => _chunks[index >> Shift][index & Mask];

    /// <summary>A builder of the next version, starting from this one.</summary>
    public Builder ToBuilder() => new(this);

    /// <summary>Copies on first write: the chunks of the version it started from are shared until written.</summary>
    internal sealed class Builder
    {
        private T[][] _chunks;
        private bool[] _owned;
        private int _count;

        internal Builder(Chunks<T> from)
        {
            _chunks = new T[from._chunks.Length + 1][];
            Array.Copy(from._chunks, _chunks, from._chunks.Length);
            _owned = new bool[_chunks.Length];
            _count = from.Count;
        }

        public int Count => _count;

        public T this[int index] => _chunks[index >> Shift][index & Mask];

        /// <summary>Appends <paramref name="item"/> and returns its index.</summary>
        public int Add(T item)
        {
            var index = _count++;
            var chunk = index >> Shift;
            if (chunk == _chunks.Length)
            {
                Array.Resize(ref _chunks, _chunks.Length * 2);
                Array.Resize(ref _owned, _chunks.Length);
            }

            if (_chunks[chunk] is null)
            {
                _chunks[chunk] = new T[Size];
                _owned[chunk] = true;
            }

            Own(chunk)[index & Mask] = item;
            return index;
        }

        /// <summary>Replaces the item at <paramref name="index"/>.</summary>
        public void Set(int index, T item)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            Own(index >> Shift)[index & Mask] = item;
        }

        public Chunks<T> ToChunks()
        {
            var used = (_count + Mask) >> Shift;
            return new Chunks<T>(used == _chunks.Length ? _chunks : _chunks[..used], _count);
        }

        private T[] Own(int chunk)
        {
            if (!_owned[chunk])
            {
                _chunks[chunk] = (T[])_chunks[chunk].Clone();
                _owned[chunk] = true;
            }

            return _chunks[chunk];
        }
    }
}
