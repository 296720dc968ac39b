using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Tarn.Execution.Vectors;
using Tarn.Vectors;

namespace Tarn.Execution.Sorting;

/// <summary>
/// A sort key column encoded as order-preserving 64-bit prefixes: comparing prefixes as unsigned integers orders
/// the values (descending keys are bit-inverted). Most types fit one prefix ("level"); DECIMAL(p&gt;18) needs two and
/// strings one per 7 bytes, the low byte of each string prefix holding how many bytes remain (8 = more follow).
/// </summary>
public abstract class SortColumn(ColumnVector values, bool descending)
{
    public byte[]? Nulls { get; } = NullMask.Any(values.Nulls, values.Count) ? values.Nulls : null;

    protected bool Descending { get; } = descending;

    /// <summary>Writes the prefixes of <paramref name="rows"/> (none NULL) at <paramref name="level"/>.</summary>
    public abstract void Encode(ReadOnlySpan<int> rows, int level, Span<ulong> prefixes);

    /// <summary>Whether rows sharing this encoded prefix must be compared at the next level.</summary>
    public abstract bool HasMoreLevels(ulong prefix, int level);

    protected ulong Directed(ulong v) => Descending ? ~v : v;

    public static SortColumn Create(ColumnVector v, bool descending) => v switch
    {
        PrimitiveVector<bool> b => new FixedSortColumn<bool>(b, descending),
        PrimitiveVector<sbyte> x => new FixedSortColumn<sbyte>(x, descending),
        PrimitiveVector<short> x => new FixedSortColumn<short>(x, descending),
        PrimitiveVector<int> x => new FixedSortColumn<int>(x, descending),
        PrimitiveVector<long> x => new FixedSortColumn<long>(x, descending),
        PrimitiveVector<float> x => new FixedSortColumn<float>(x, descending),
        PrimitiveVector<double> x => new FixedSortColumn<double>(x, descending),
        PrimitiveVector<Int128> x => new WideSortColumn(x, descending),
        _ => new TextSortColumn(v, descending),
    };
}

public sealed class FixedSortColumn<T>(PrimitiveVector<T> v, bool descending) : SortColumn(v, descending) where T : unmanaged
{
    private readonly T[] _values = v.Values;

    public override void Encode(ReadOnlySpan<int> rows, int level, Span<ulong> prefixes)
    {
        var values = _values;
        for (var i = 0; i < rows.Length; i++) prefixes[i] = Directed(OrderBits(values[rows[i]]));
    }

    private static ulong OrderBits(T value)
    {
        const ulong sign = 0x8000_0000_0000_0000UL;
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref value) ? 1UL : 0UL;
        if (typeof(T) == typeof(sbyte)) return (ulong)(long)Unsafe.As<T, sbyte>(ref value) ^ sign;
        if (typeof(T) == typeof(short)) return (ulong)(long)Unsafe.As<T, short>(ref value) ^ sign;
        if (typeof(T) == typeof(int)) return (ulong)(long)Unsafe.As<T, int>(ref value) ^ sign;
        if (typeof(T) == typeof(long)) return (ulong)Unsafe.As<T, long>(ref value) ^ sign;
        var d = typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);
        if (d == 0) d = 0; // -0.0 sorts with 0.0
        if (double.IsNaN(d)) return ulong.MaxValue; // all NaNs alike, above +Infinity
        var bits = BitConverter.DoubleToInt64Bits(d);
        return bits < 0 ? ~(ulong)bits : (ulong)bits ^ sign;
    }

    public override bool HasMoreLevels(ulong prefix, int level) => false;
}

public sealed class WideSortColumn(PrimitiveVector<Int128> v, bool descending) : SortColumn(v, descending)
{
    private readonly Int128[] _values = v.Values;

    public override void Encode(ReadOnlySpan<int> rows, int level, Span<ulong> prefixes)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var x = _values[rows[i]];
            prefixes[i] = Directed(level == 0 ? (ulong)(x >> 64) ^ 0x8000_0000_0000_0000UL : (ulong)x);
        }
    }

    public override bool HasMoreLevels(ulong prefix, int level) => level == 0;
}

public sealed class TextSortColumn(ColumnVector v, bool descending) : SortColumn(v, descending)
{
    private readonly StringView _view = new(v);

    public override void Encode(ReadOnlySpan<int> rows, int level, Span<ulong> prefixes)
    {
        Span<byte> buf = stackalloc byte[8];
        var offset = level * 7;
        for (var i = 0; i < rows.Length; i++)
        {
            var s = _view.Get(rows[i]);
            var remaining = Math.Max(0, s.Length - offset);
            buf.Clear();
            if (remaining > 0) s.Slice(offset, Math.Min(7, remaining)).CopyTo(buf);
            buf[7] = (byte)Math.Min(remaining, 8);
            prefixes[i] = Directed(BinaryPrimitives.ReadUInt64BigEndian(buf));
        }
    }

    public override bool HasMoreLevels(ulong prefix, int level) => (Directed(prefix) & 0xFF) == 8;
}
