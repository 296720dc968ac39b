using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Vectors;

/// <summary>
/// Assembles a vector from parts evaluated on disjoint row subsets (CASE arms, COALESCE operands): each part's
/// row k goes to result row <c>rows[k]</c>. Rows no part covers are NULL.
/// </summary>
public sealed class ScatterBuilder
{
    private readonly DataType _type;
    private readonly int _count;
    private readonly Array? _values;
    private readonly byte[] _nulls;
    private readonly List<(ColumnVector Part, int[] Rows)>? _stringParts;

    public ScatterBuilder(DataType type, int count)
    {
        _type = type;
        _count = count;
        _nulls = NullMask.AllNull(count);
        if (type.Physical == PhysicalType.Binary) _stringParts = [];
        else _values = ColumnVectorArrays.Allocate(type.Physical, Math.Max(count, 1));
    }

    public void Scatter(ColumnVector part, ReadOnlySpan<int> rows)
    {
        if (rows.Length == 0) return;
        if (_stringParts is not null)
        {
            _stringParts.Add((part, rows.ToArray()));
            var pn = part.Nulls;
            for (var k = 0; k < rows.Length; k++) _nulls[rows[k]] = pn is null ? (byte)0 : pn[k];
            return;
        }
        switch (part)
        {
            case PrimitiveVector<bool> p: Scatter(p, (bool[])_values!, rows); break;
            case PrimitiveVector<sbyte> p: Scatter(p, (sbyte[])_values!, rows); break;
            case PrimitiveVector<short> p: Scatter(p, (short[])_values!, rows); break;
            case PrimitiveVector<int> p: Scatter(p, (int[])_values!, rows); break;
            case PrimitiveVector<long> p: Scatter(p, (long[])_values!, rows); break;
            case PrimitiveVector<Int128> p: Scatter(p, (Int128[])_values!, rows); break;
            case PrimitiveVector<float> p: Scatter(p, (float[])_values!, rows); break;
            case PrimitiveVector<double> p: Scatter(p, (double[])_values!, rows); break;
            default: throw new InvalidOperationException($"cannot scatter {part.GetType().Name} into {_type}");
        }
    }

    private void Scatter<T>(PrimitiveVector<T> part, T[] target, ReadOnlySpan<int> rows) where T : unmanaged
    {
        var src = part.Values;
        var pn = part.Nulls;
        for (var k = 0; k < rows.Length; k++)
        {
            target[rows[k]] = src[k];
            _nulls[rows[k]] = pn is null ? (byte)0 : pn[k];
        }
    }

    public ColumnVector Build()
    {
        var nulls = NullMask.Copy(_nulls, _count);
        if (_stringParts is null) return ColumnVectorArrays.Wrap(_type, _values!, _count, nulls);
        var partOf = new short[Math.Max(_count, 1)];
        var indexIn = new int[Math.Max(_count, 1)];
        partOf.AsSpan().Fill(-1);
        var views = new StringView[_stringParts.Count];
        for (var p = 0; p < _stringParts.Count; p++)
        {
            views[p] = new StringView(_stringParts[p].Part);
            var rows = _stringParts[p].Rows;
            for (var k = 0; k < rows.Length; k++)
            {
                partOf[rows[k]] = (short)p;
                indexIn[rows[k]] = k;
            }
        }
        var result = new BinaryVector(_type, _count);
        for (var i = 0; i < _count; i++)
        {
            if (partOf[i] < 0 || _nulls[i] != 0) result.Append(ReadOnlySpan<byte>.Empty);
            else result.Append(views[partOf[i]].Get(indexIn[i]));
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>Typed backing arrays for primitive vectors, chosen by physical type.</summary>
public static class ColumnVectorArrays
{
    public static Array Allocate(PhysicalType physical, int length) => physical switch
    {
        PhysicalType.Bool => new bool[length],
        PhysicalType.Int8 => new sbyte[length],
        PhysicalType.Int16 => new short[length],
        PhysicalType.Int32 => new int[length],
        PhysicalType.Int64 => new long[length],
        PhysicalType.Int128 => new Int128[length],
        PhysicalType.Float32 => new float[length],
        PhysicalType.Float64 => new double[length],
        _ => throw new InvalidOperationException($"no array for {physical}"),
    };

    public static ColumnVector Wrap(DataType type, Array values, int count, byte[]? nulls) => values switch
    {
        bool[] a => new PrimitiveVector<bool>(type, a, count, nulls),
        sbyte[] a => new PrimitiveVector<sbyte>(type, a, count, nulls),
        short[] a => new PrimitiveVector<short>(type, a, count, nulls),
        int[] a => new PrimitiveVector<int>(type, a, count, nulls),
        long[] a => new PrimitiveVector<long>(type, a, count, nulls),
        Int128[] a => new PrimitiveVector<Int128>(type, a, count, nulls),
        float[] a => new PrimitiveVector<float>(type, a, count, nulls),
        double[] a => new PrimitiveVector<double>(type, a, count, nulls),
        _ => throw new InvalidOperationException($"no vector for {values.GetType().Name}"),
    };
}
