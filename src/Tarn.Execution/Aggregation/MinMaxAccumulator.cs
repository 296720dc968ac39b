using System.Numerics;
using System.Runtime.InteropServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>MIN / MAX over a primitive type (booleans compared as bytes: FALSE &lt; TRUE).</summary>
public sealed class MinMaxAccumulator<T>(DataType resultType, bool max) : Accumulator(resultType)
    where T : unmanaged, IComparisonOperators<T, T, bool>
{
    private T[] _values = [];
    private bool[] _has = [];

    public override int Capacity => _values.Length;

    public override long BytesPerGroup => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 1;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _values.Length) return;
        var size = Grow(_values.Length, groups);
        Array.Resize(ref _values, size);
        Array.Resize(ref _has, size);
    }

    public override void Clear(int groups) => Array.Clear(_has, 0, Math.Min(groups, _has.Length));

    private static ReadOnlySpan<T> ValuesOf(ColumnVector v) => v is PrimitiveVector<bool> b
        ? MemoryMarshal.Cast<bool, T>(b.Values.AsSpan())
        : ((PrimitiveVector<T>)v).Values;

    private void Offer(int g, T v)
    {
        if (!_has[g]) { _values[g] = v; _has[g] = true; }
        else if (Better(v, _values[g])) _values[g] = v;
    }

    /// <summary>
    /// Whether <paramref name="v"/> replaces <paramref name="current"/>. NaN is above every other float (as in
    /// ORDER BY), so MIN/MAX do not depend on the order rows arrive in (parallel, spilled).
    /// </summary>
    private bool Better(T v, T current)
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
        {
            var vNaN = typeof(T) == typeof(double) ? double.IsNaN(System.Runtime.CompilerServices.Unsafe.As<T, double>(ref v)) : float.IsNaN(System.Runtime.CompilerServices.Unsafe.As<T, float>(ref v));
            var cNaN = typeof(T) == typeof(double) ? double.IsNaN(System.Runtime.CompilerServices.Unsafe.As<T, double>(ref current)) : float.IsNaN(System.Runtime.CompilerServices.Unsafe.As<T, float>(ref current));
            if (vNaN || cNaN) return max ? vNaN && !cNaN : !vNaN && cNaN;
        }
        return max ? v > current : v < current;
    }

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var values = ValuesOf(input!);
        var nulls = input!.Nulls;
        if (rows is null)
        {
            for (var i = 0; i < n; i++)
                if (nulls is null || nulls[i] == 0) Offer(groupIds[i], values[i]);
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (nulls is null || nulls[r] == 0) Offer(groupIds[r], values[r]);
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (MinMaxAccumulator<T>)other;
        for (var g = 0; g < otherGroups; g++)
            if (o._has[g] && groupMap[g] >= 0) Offer(groupMap[g], o._values[g]);
    }

    public override ColumnVector Results(int start, int count) => PrimitiveResults(_values, _has, start, count);

    public override Accumulator NewEmpty() => new MinMaxAccumulator<T>(ResultType, max);
}

/// <summary>MIN / MAX over strings or bytes (byte-wise order).</summary>
public sealed class StringMinMaxAccumulator(DataType resultType, bool max) : Accumulator(resultType)
{
    private byte[]?[] _values = [];

    public override int Capacity => _values.Length;

    public override long BytesPerGroup => 48;

    public override void EnsureGroups(int groups)
    {
        if (groups > _values.Length) Array.Resize(ref _values, Grow(_values.Length, groups));
    }

    public override void Clear(int groups) => Array.Clear(_values, 0, Math.Min(groups, _values.Length));

    private void Offer(int g, ReadOnlySpan<byte> v)
    {
        var current = _values[g];
        if (current is null) { _values[g] = v.ToArray(); return; }
        var order = v.SequenceCompareTo(current);
        if (max ? order > 0 : order < 0) _values[g] = v.ToArray();
    }

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var view = new StringView(input!);
        if (rows is null)
        {
            for (var i = 0; i < n; i++)
                if (!view.IsNull(i)) Offer(groupIds[i], view.Get(i));
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (!view.IsNull(r)) Offer(groupIds[r], view.Get(r));
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (StringMinMaxAccumulator)other;
        for (var g = 0; g < otherGroups; g++)
            if (o._values[g] is { } v && groupMap[g] >= 0) Offer(groupMap[g], v);
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, count);
        for (var i = 0; i < count; i++)
        {
            if (_values[start + i] is { } v) result.Append(v);
            else result.AppendNull();
        }
        return result;
    }

    public override Accumulator NewEmpty() => new StringMinMaxAccumulator(ResultType, max);
}
