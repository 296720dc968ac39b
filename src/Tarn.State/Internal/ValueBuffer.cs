namespace Tarn.State.Internal;

/// <summary>
/// Where FASTER's read callbacks copy values: one growable byte array shared by numbered slots (one slot per read in
/// a batch), plus the log address each value was read from. A slot is filled only when FASTER found the key, so the
/// buffer itself is the result of a read: no result depends on FASTER handing outputs back from CompletePending.
/// Setting a slot twice keeps the last value, so a read FASTER retries after calling the reader leaves one copy.
/// Reused across operations: no allocation once it has grown to the working size.
/// </summary>
internal sealed class ValueBuffer
{
    private byte[] _data = new byte[256];
    private int _used;
    private int[] _offsets = new int[1];
    private int[] _lengths = [-1];
    private long[] _addresses = new long[1];

    /// <summary>Forgets all values and makes room for <paramref name="slots"/> slots.</summary>
    public void Reset(int slots)
    {
        if (_lengths.Length < slots)
        {
            var capacity = Math.Max(slots, _lengths.Length * 2);
            _offsets = new int[capacity];
            _lengths = new int[capacity];
            _addresses = new long[capacity];
        }
        _lengths.AsSpan(0, slots).Fill(-1);
        _used = 0;
    }

    public void Set(int slot, ReadOnlySpan<byte> value, long address)
    {
        if (_data.Length - _used < value.Length)
            Grow(value.Length);
        value.CopyTo(_data.AsSpan(_used));
        _offsets[slot] = _used;
        _lengths[slot] = value.Length;
        _addresses[slot] = address;
        _used += value.Length;
    }

    /// <summary>Whether the read of <paramref name="slot"/> found its key.</summary>
    public bool Has(int slot) => _lengths[slot] >= 0;

    public ReadOnlySpan<byte> Get(int slot)
    {
        var length = _lengths[slot];
        return length < 0 ? default : _data.AsSpan(_offsets[slot], length);
    }

    /// <summary>Drops the last <paramref name="count"/> bytes of a slot's value (its checksum, once verified).</summary>
    public void TrimEnd(int slot, int count) => _lengths[slot] -= count;

    /// <summary>Log address of the record the value of <paramref name="slot"/> came from.</summary>
    public long Address(int slot) => _addresses[slot];

    private void Grow(int needed)
    {
        var capacity = (long)Math.Max(_data.Length, 256) * 2;
        while (capacity - _used < needed)
            capacity *= 2;
        Array.Resize(ref _data, (int)Math.Min(capacity, Array.MaxLength));
    }
}
