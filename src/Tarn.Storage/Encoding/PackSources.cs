namespace Tarn.Storage.Encodings;

/// <summary>Supplies the unsigned values to pack; implemented by ref structs so the JIT inlines <see cref="Get"/>.</summary>
internal interface IPackSource
{
    ulong Get(int index);
}

/// <summary>value - reference (wrapping), the frame-of-reference offsets.</summary>
internal readonly ref struct OffsetSource : IPackSource
{
    private readonly ReadOnlySpan<long> _values;
    private readonly long _reference;

    public OffsetSource(ReadOnlySpan<long> values, long reference)
    {
        _values = values;
        _reference = reference;
    }

    public ulong Get(int index) => unchecked((ulong)(_values[index] - _reference));
}

/// <summary>values[i+1] - values[i] - minDelta (wrapping), the min-adjusted deltas.</summary>
internal readonly ref struct DeltaSource : IPackSource
{
    private readonly ReadOnlySpan<long> _values;
    private readonly long _minDelta;

    public DeltaSource(ReadOnlySpan<long> values, long minDelta)
    {
        _values = values;
        _minDelta = minDelta;
    }

    public ulong Get(int index) => unchecked((ulong)(_values[index + 1] - _values[index] - _minDelta));
}

/// <summary>Non-negative 32-bit values as they are (codes, run lengths minus one).</summary>
internal readonly ref struct IntSource : IPackSource
{
    private readonly ReadOnlySpan<int> _values;
    private readonly int _subtract;

    public IntSource(ReadOnlySpan<int> values, int subtract = 0)
    {
        _values = values;
        _subtract = subtract;
    }

    public ulong Get(int index) => (uint)(_values[index] - _subtract);
}

/// <summary>Int128 values minus a reference; the caller guarantees every offset fits in 64 bits.</summary>
internal readonly ref struct Int128OffsetSource : IPackSource
{
    private readonly ReadOnlySpan<Int128> _values;
    private readonly Int128 _reference;

    public Int128OffsetSource(ReadOnlySpan<Int128> values, Int128 reference)
    {
        _values = values;
        _reference = reference;
    }

    public ulong Get(int index) => (ulong)(_values[index] - _reference);
}
