namespace Tarn.Execution.Aggregation;

/// <summary>
/// One growable byte buffer per group, null until the group's first append: the state of aggregates that collect
/// their inputs (LISTAGG, ARRAY_AGG).
/// </summary>
internal sealed class GroupByteBuffers
{
    private byte[]?[] _buffers = [];
    private int[] _lengths = [];

    public int Capacity => _buffers.Length;

    public void Resize(int size)
    {
        Array.Resize(ref _buffers, size);
        Array.Resize(ref _lengths, size);
    }

    public void Clear(int groups)
    {
        Array.Clear(_buffers, 0, Math.Min(groups, _buffers.Length));
        Array.Clear(_lengths, 0, Math.Min(groups, _lengths.Length));
    }

    /// <summary>True when group <paramref name="g"/> has had an append (possibly of nothing).</summary>
    public bool Has(int g) => _buffers[g] is not null;

    /// <summary>The bytes of group <paramref name="g"/> (empty when it has none).</summary>
    public ReadOnlySpan<byte> Get(int g) => _buffers[g] is { } b ? b.AsSpan(0, _lengths[g]) : [];

    /// <summary>Appends <paramref name="value"/> to group <paramref name="g"/>, after <paramref name="separator"/> unless it is the group's first value.</summary>
    public void Append(int g, ReadOnlySpan<byte> separator, ReadOnlySpan<byte> value)
    {
        var buffer = _buffers[g];
        var length = _lengths[g];
        if (buffer is null) separator = [];
        var needed = length + separator.Length + value.Length;
        if (buffer is null || needed > buffer.Length)
        {
            var grown = new byte[Math.Max(needed, Math.Max(16, (buffer?.Length ?? 0) * 2))];
            buffer?.AsSpan(0, length).CopyTo(grown);
            _buffers[g] = buffer = grown;
        }
        separator.CopyTo(buffer.AsSpan(length));
        value.CopyTo(buffer.AsSpan(length + separator.Length));
        _lengths[g] = needed;
    }
}
