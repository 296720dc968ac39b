namespace Tarn.Storage.Encodings;

/// <summary>
/// Finds the distinct values of an integer stream and assigns codes, with an open-addressing hash table that is
/// reused from chunk to chunk. After <see cref="SortEntries"/> the entries ascend and codes follow value order.
/// </summary>
internal sealed class LongDictionaryBuilder
{
    private int[] _slots = new int[1024];   // entry index + 1; 0 = empty
    private long[] _entries = new long[512];
    private int[] _order = [];
    private int[] _remap = [];

    public int Count { get; private set; }
    public ReadOnlySpan<long> Entries => _entries.AsSpan(0, Count);

    /// <summary>
    /// Assigns a code to every value; returns false (leaving the builder unusable until the next call) as soon as
    /// there are more than <paramref name="maxEntries"/> distinct values.
    /// </summary>
    public bool TryBuild(ReadOnlySpan<long> values, int maxEntries, Span<int> codes)
    {
        Count = 0;
        Array.Clear(_slots);
        var mask = _slots.Length - 1;
        var lastCode = -1;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (lastCode >= 0 && _entries[lastCode] == v)
            {
                codes[i] = lastCode;
                continue;
            }
            var slot = (int)Hashing.Mix((ulong)v) & mask;
            while (true)
            {
                var s = _slots[slot];
                if (s == 0)
                {
                    if (Count == maxEntries) return false;
                    if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
                    _entries[Count] = v;
                    _slots[slot] = ++Count;
                    lastCode = Count - 1;
                    if (Count * 2 > _slots.Length)
                    {
                        Grow();
                        mask = _slots.Length - 1;
                    }
                    break;
                }
                if (_entries[s - 1] == v)
                {
                    lastCode = s - 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            codes[i] = lastCode;
        }
        return true;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var e = 0; e < Count; e++)
        {
            var slot = (int)Hashing.Mix((ulong)_entries[e]) & mask;
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = e + 1;
        }
    }

    /// <summary>Sorts the entries ascending and rewrites <paramref name="codes"/> to match.</summary>
    public void SortEntries(Span<int> codes)
    {
        if (_order.Length < Count) _order = new int[Math.Max(Count, _order.Length * 2)];
        if (_remap.Length < Count) _remap = new int[Math.Max(Count, _remap.Length * 2)];
        for (var i = 0; i < Count; i++) _order[i] = i;
        Array.Sort(_entries, _order, 0, Count);
        for (var i = 0; i < Count; i++) _remap[_order[i]] = i;
        for (var i = 0; i < codes.Length; i++) codes[i] = _remap[codes[i]];
        // The hash table still points at the old positions; the next TryBuild clears it.
    }
}
