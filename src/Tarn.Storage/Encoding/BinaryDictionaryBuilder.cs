namespace Tarn.Storage.Encodings;

/// <summary>
/// Distinct byte strings of a chunk with codes per row; entries point into the caller's data, so nothing is
/// copied. Reused from chunk to chunk.
/// </summary>
internal sealed class BinaryDictionaryBuilder
{
    private int[] _slots = new int[1024];   // entry index + 1; 0 = empty
    private int[] _entryStart = new int[512];
    private int[] _entryLength = new int[512];
    private ulong[] _entryHash = new ulong[512];
    private int[] _order = [];
    private int[] _remap = [];
    private byte[] _data = [];
    private int _maxEntries;
    private int _lastCode;

    public int Count { get; private set; }
    public bool Overflowed { get; private set; }

    public void Reset(byte[] data, int maxEntries)
    {
        _data = data;
        _maxEntries = maxEntries;
        Count = 0;
        Overflowed = false;
        _lastCode = -1;
        Array.Clear(_slots);
    }

    /// <summary>The code of a value (adding it if new), or -1 once there are more than the maximum entries.</summary>
    public int Add(int start, int length, ulong hash)
    {
        if (Overflowed) return -1;
        var value = _data.AsSpan(start, length);
        if (_lastCode >= 0 && _entryHash[_lastCode] == hash && Entry(_lastCode).SequenceEqual(value)) return _lastCode;
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (true)
        {
            var s = _slots[slot];
            if (s == 0) break;
            var e = s - 1;
            if (_entryHash[e] == hash && Entry(e).SequenceEqual(value)) return _lastCode = e;
            slot = (slot + 1) & mask;
        }
        if (Count == _maxEntries)
        {
            Overflowed = true;
            return -1;
        }
        if (Count == _entryStart.Length)
        {
            Array.Resize(ref _entryStart, Count * 2);
            Array.Resize(ref _entryLength, Count * 2);
            Array.Resize(ref _entryHash, Count * 2);
        }
        _entryStart[Count] = start;
        _entryLength[Count] = length;
        _entryHash[Count] = hash;
        _slots[slot] = ++Count;
        if (Count * 2 > _slots.Length) Grow();
        return _lastCode = Count - 1;
    }

    public ReadOnlySpan<byte> Entry(int code) => _data.AsSpan(_entryStart[code], _entryLength[code]);

    public int EntryLength(int code) => _entryLength[code];

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var e = 0; e < Count; e++)
        {
            var slot = (int)_entryHash[e] & mask;
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = e + 1;
        }
    }

    /// <summary>Orders entries by unsigned byte comparison and rewrites <paramref name="codes"/> to match.</summary>
    public void SortEntries(Span<int> codes)
    {
        if (_order.Length < Count) _order = new int[Math.Max(Count, _order.Length * 2)];
        if (_remap.Length < Count) _remap = new int[Math.Max(Count, _remap.Length * 2)];
        for (var i = 0; i < Count; i++) _order[i] = i;
        _order.AsSpan(0, Count).Sort((a, b) => Entry(a).SequenceCompareTo(Entry(b)));
        var start = new int[Count];
        var length = new int[Count];
        var hash = new ulong[Count];
        for (var i = 0; i < Count; i++)
        {
            var e = _order[i];
            start[i] = _entryStart[e];
            length[i] = _entryLength[e];
            hash[i] = _entryHash[e];
            _remap[e] = i;
        }
        start.CopyTo(_entryStart, 0);
        length.CopyTo(_entryLength, 0);
        hash.CopyTo(_entryHash, 0);
        for (var i = 0; i < codes.Length; i++) codes[i] = _remap[codes[i]];
        // The hash table still points at the old positions; the next Reset clears it.
        _lastCode = -1;
    }
}
