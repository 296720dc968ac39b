using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>
/// A cell is one value of one column, referenced as (source, row) packed in a long: the source is an incoming batch, a
/// batch of stored rows, or the column's vector of computed values (<see cref="Computed"/>). Merging moves references
/// instead of copying values, so a key's value costs no allocation until the changelog is gathered.
/// </summary>
internal static class Cells
{
    /// <summary>No value (the key has no row).</summary>
    public const long Absent = -1;

    /// <summary>A NULL that no source holds (an aggregate retracted to NULL).</summary>
    public const long Null = -2;

    /// <summary>The source number of a column's computed values.</summary>
    public const int Computed = int.MaxValue;

    public static long Ref(int source, int row) => ((long)source << 32) | (uint)row;

    public static int Source(long cell) => (int)(cell >> 32);

    public static int Row(long cell) => (int)(uint)cell;

    /// <summary>Orders two non-NULL values of the same type (strings by their UTF-8 bytes, i.e. by code point).</summary>
    public static int Compare(ColumnVector a, int rowA, ColumnVector b, int rowB)
    {
        switch (a)
        {
            case PrimitiveVector<long> x: return x.Values[rowA].CompareTo(((PrimitiveVector<long>)b).Values[rowB]);
            case PrimitiveVector<int> x: return x.Values[rowA].CompareTo(((PrimitiveVector<int>)b).Values[rowB]);
            case PrimitiveVector<short> x: return x.Values[rowA].CompareTo(((PrimitiveVector<short>)b).Values[rowB]);
            case PrimitiveVector<sbyte> x: return x.Values[rowA].CompareTo(((PrimitiveVector<sbyte>)b).Values[rowB]);
            case PrimitiveVector<double> x: return x.Values[rowA].CompareTo(((PrimitiveVector<double>)b).Values[rowB]);
            case PrimitiveVector<float> x: return x.Values[rowA].CompareTo(((PrimitiveVector<float>)b).Values[rowB]);
            case PrimitiveVector<Int128> x: return x.Values[rowA].CompareTo(((PrimitiveVector<Int128>)b).Values[rowB]);
            case PrimitiveVector<bool> x: return x.Values[rowA].CompareTo(((PrimitiveVector<bool>)b).Values[rowB]);
            default: return Bytes(a, rowA).SequenceCompareTo(Bytes(b, rowB));
        }
    }

    public static ReadOnlySpan<byte> Bytes(ColumnVector v, int row) => v switch
    {
        BinaryVector b => b.GetBytes(row),
        DictionaryVector d => d.Dictionary.GetBytes(d.Codes[row]),
        _ => throw new InvalidOperationException($"{v.GetType().Name} holds no bytes"),
    };

    /// <summary>The value of an integer-typed cell as a long (sequence fields); NULL orders first.</summary>
    public static long Integer(ColumnVector v, int row)
    {
        if (v.IsNull(row)) return long.MinValue;
        return v switch
        {
            PrimitiveVector<long> x => x.Values[row],
            PrimitiveVector<int> x => x.Values[row],
            PrimitiveVector<short> x => x.Values[row],
            PrimitiveVector<sbyte> x => x.Values[row],
            _ => throw new InvalidOperationException($"{v.GetType().Name} is not an integer vector"),
        };
    }

    /// <summary>
    /// The column built from <paramref name="cells"/>, each resolved by <paramref name="resolve"/> to a vector and row:
    /// one typed loop per column (the vector is re-resolved only when the source changes).
    /// </summary>
    public static ColumnVector Gather(DataType type, ReadOnlySpan<long> cells, Func<long, ColumnVector> resolve) => type.Physical switch
    {
        PhysicalType.Bool => GatherPrimitive<bool>(type, cells, resolve),
        PhysicalType.Int8 => GatherPrimitive<sbyte>(type, cells, resolve),
        PhysicalType.Int16 => GatherPrimitive<short>(type, cells, resolve),
        PhysicalType.Int32 => GatherPrimitive<int>(type, cells, resolve),
        PhysicalType.Int64 => GatherPrimitive<long>(type, cells, resolve),
        PhysicalType.Int128 => GatherPrimitive<Int128>(type, cells, resolve),
        PhysicalType.Float32 => GatherPrimitive<float>(type, cells, resolve),
        PhysicalType.Float64 => GatherPrimitive<double>(type, cells, resolve),
        _ => GatherBinary(type, cells, resolve),
    };

    private static PrimitiveVector<T> GatherPrimitive<T>(DataType type, ReadOnlySpan<long> cells, Func<long, ColumnVector> resolve) where T : unmanaged
    {
        var values = new T[Math.Max(cells.Length, 1)];
        byte[]? nulls = null;
        var lastSource = -1;
        PrimitiveVector<T>? vector = null;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell < 0)
            {
                (nulls ??= new byte[values.Length])[i] = 1;
                continue;
            }
            var source = Source(cell);
            if (source != lastSource || vector is null)
            {
                vector = (PrimitiveVector<T>)resolve(cell);
                lastSource = source;
            }
            var row = Row(cell);
            if (vector.Nulls is { } n && n[row] != 0) (nulls ??= new byte[values.Length])[i] = 1;
            else values[i] = vector.Values[row];
        }
        return new PrimitiveVector<T>(type, values, cells.Length, nulls);
    }

    private static BinaryVector GatherBinary(DataType type, ReadOnlySpan<long> cells, Func<long, ColumnVector> resolve)
    {
        var result = new BinaryVector(type, cells.Length);
        var lastSource = -1;
        ColumnVector? vector = null;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell < 0)
            {
                result.AppendNull();
                continue;
            }
            var source = Source(cell);
            if (source != lastSource || vector is null)
            {
                vector = resolve(cell);
                lastSource = source;
            }
            var row = Row(cell);
            if (vector.IsNull(row)) result.AppendNull();
            else result.Append(Bytes(vector, row));
        }
        return result;
    }
}
