using Tarn.State.Internal;

namespace Tarn.State;

/// <summary>
/// Keys to look up together with <see cref="StateSession.Read(StateReadBatch)"/>, and afterwards their results.
/// Reusable: <see cref="Clear"/> keeps the buffers, so a steady batch size allocates nothing.
/// </summary>
public sealed class StateReadBatch
{
    private byte[] _keyBytes = new byte[1024];
    private int _keyBytesUsed;
    private int[] _keyOffsets = new int[64];
    private int[] _keyLengths = new int[64];

    internal ValueBuffer Values { get; } = new();

    /// <summary>Set by a completed read; cleared when keys change.</summary>
    internal bool HasResults { get; set; }

    /// <summary>Number of keys added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a key (copied) and returns its index.</summary>
    public int Add(ReadOnlySpan<byte> key)
    {
        if (Count == _keyOffsets.Length)
        {
            Array.Resize(ref _keyOffsets, Count * 2);
            Array.Resize(ref _keyLengths, Count * 2);
        }
        if (_keyBytes.Length - _keyBytesUsed < key.Length)
            Array.Resize(ref _keyBytes, Math.Max(_keyBytes.Length * 2, _keyBytesUsed + key.Length));
        key.CopyTo(_keyBytes.AsSpan(_keyBytesUsed));
        _keyOffsets[Count] = _keyBytesUsed;
        _keyLengths[Count] = key.Length;
        _keyBytesUsed += key.Length;
        HasResults = false; // results of an earlier read no longer match the keys
        return Count++;
    }

    public void Clear()
    {
        Count = 0;
        _keyBytesUsed = 0;
        HasResults = false;
    }

    public ReadOnlySpan<byte> Key(int index)
    {
        CheckIndex(index);
        return _keyBytes.AsSpan(_keyOffsets[index], _keyLengths[index]);
    }

    /// <summary>Whether the last read found key <paramref name="index"/>.</summary>
    public bool Found(int index)
    {
        CheckIndex(index);
        return HasResults && Values.Has(index);
    }

    /// <summary>The value read for key <paramref name="index"/>; valid until the batch changes.</summary>
    public bool TryGetValue(int index, out ReadOnlySpan<byte> value)
    {
        CheckIndex(index);
        if (!HasResults || !Values.Has(index))
        {
            value = default;
            return false;
        }
        value = Values.Get(index);
        return true;
    }

    internal byte[] KeyBytes => _keyBytes;
    internal int KeyOffset(int index) => _keyOffsets[index];
    internal int KeyLength(int index) => _keyLengths[index];

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the batch holds {Count} keys");
    }
}
