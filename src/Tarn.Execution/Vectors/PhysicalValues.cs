using System.Text;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Vectors;

/// <summary>
/// Values in their physical form (the representation <c>BoundLiteral</c> documents: int days for DATE, long units
/// for timestamps, unscaled integers for DECIMAL, string for CHAR/VARCHAR, byte[] for BINARY). Not for hot loops.
/// </summary>
public static class PhysicalValues
{
    public static object? Get(ColumnVector v, int row)
    {
        if (v.IsNull(row)) return null;
        return v switch
        {
            PrimitiveVector<bool> b => b.Values[row],
            PrimitiveVector<sbyte> x => v.Type.Kind == TypeKind.Null ? null : x.Values[row],
            PrimitiveVector<short> x => x.Values[row],
            PrimitiveVector<int> x => x.Values[row],
            PrimitiveVector<long> x => x.Values[row],
            PrimitiveVector<Int128> x => x.Values[row],
            PrimitiveVector<float> x => x.Values[row],
            PrimitiveVector<double> x => x.Values[row],
            BinaryVector or DictionaryVector => Bytes(v, row),
            _ => throw new InvalidOperationException($"unknown vector {v.GetType().Name}"),
        };
    }

    private static object Bytes(ColumnVector v, int row)
    {
        var bytes = new StringView(v).Get(row);
        return v.Type.IsString ? Encoding.UTF8.GetString(bytes) : bytes.ToArray();
    }

    /// <summary>Appends a physical value (or null) to a vector of the matching layout.</summary>
    public static void Append(ColumnVector target, object? value)
    {
        if (value is null) { target.AppendNull(); return; }
        switch (target)
        {
            case PrimitiveVector<bool> b: b.Append((bool)value); break;
            case PrimitiveVector<sbyte> x: x.Append((sbyte)value); break;
            case PrimitiveVector<short> x: x.Append((short)value); break;
            case PrimitiveVector<int> x: x.Append((int)value); break;
            case PrimitiveVector<long> x: x.Append((long)value); break;
            case PrimitiveVector<Int128> x: x.Append((Int128)value); break;
            case PrimitiveVector<float> x: x.Append((float)value); break;
            case PrimitiveVector<double> x: x.Append((double)value); break;
            case BinaryVector bin:
                if (value is string s) bin.Append(s);
                else bin.Append((byte[])value);
                break;
            default: throw new InvalidOperationException($"cannot append to {target.GetType().Name}");
        }
    }

    /// <summary>A vector of <paramref name="count"/> copies of a physical value (null = all NULL).</summary>
    public static ColumnVector Repeat(DataType type, object? value, int count)
    {
        var n = Math.Max(count, 1);
        if (type.Physical == PhysicalType.Binary)
        {
            var dict = new BinaryVector(type, 1);
            if (value is null) dict.Append([]);
            else Append(dict, value);
            return new DictionaryVector(dict, new int[n], count, value is null ? NullMask.AllNull(n) : null);
        }
        var nulls = value is null ? NullMask.AllNull(n) : null;
        return type.Physical switch
        {
            PhysicalType.Bool => Fill(type, value is null ? default : (bool)value, n, count, nulls),
            PhysicalType.Int8 => Fill(type, value is null ? default : (sbyte)value, n, count, nulls),
            PhysicalType.Int16 => Fill(type, value is null ? default : (short)value, n, count, nulls),
            PhysicalType.Int32 => Fill(type, value is null ? default : (int)value, n, count, nulls),
            PhysicalType.Int64 => Fill(type, value is null ? default : (long)value, n, count, nulls),
            PhysicalType.Int128 => Fill(type, value is null ? default : (Int128)value, n, count, nulls),
            PhysicalType.Float32 => Fill(type, value is null ? default : (float)value, n, count, nulls),
            PhysicalType.Float64 => Fill(type, value is null ? default : (double)value, n, count, nulls),
            _ => throw new InvalidOperationException($"no vector for {type}"),
        };
    }

    private static PrimitiveVector<T> Fill<T>(DataType type, T value, int capacity, int count, byte[]? nulls) where T : unmanaged
    {
        var values = new T[capacity];
        values.AsSpan().Fill(value);
        return new PrimitiveVector<T>(type, values, count, nulls);
    }

    /// <summary>A vector over the same storage with another type of the same physical layout.</summary>
    public static ColumnVector Retype(ColumnVector v, DataType type)
    {
        if (v.Type.Equals(type)) return v;
        return v switch
        {
            PrimitiveVector<bool> x => new PrimitiveVector<bool>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<sbyte> x => new PrimitiveVector<sbyte>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<short> x => new PrimitiveVector<short>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<int> x => new PrimitiveVector<int>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<long> x => new PrimitiveVector<long>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<Int128> x => new PrimitiveVector<Int128>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<float> x => new PrimitiveVector<float>(type, x.Values, x.Count, x.Nulls),
            PrimitiveVector<double> x => new PrimitiveVector<double>(type, x.Values, x.Count, x.Nulls),
            BinaryVector x => new BinaryVector(type, x.Offsets, x.Data, x.Count, x.Nulls),
            DictionaryVector x => new DictionaryVector(new BinaryVector(type, x.Dictionary.Offsets, x.Dictionary.Data, x.Dictionary.Count, x.Dictionary.Nulls), x.Codes, x.Count, x.Nulls),
            _ => throw new InvalidOperationException($"cannot retype {v.GetType().Name}"),
        };
    }

    /// <summary>A vector with the same values whose null mask is <paramref name="nulls"/>.</summary>
    public static ColumnVector WithNulls(ColumnVector v, byte[]? nulls) => v switch
    {
        PrimitiveVector<bool> x => new PrimitiveVector<bool>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<sbyte> x => new PrimitiveVector<sbyte>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<short> x => new PrimitiveVector<short>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<int> x => new PrimitiveVector<int>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<long> x => new PrimitiveVector<long>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<Int128> x => new PrimitiveVector<Int128>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<float> x => new PrimitiveVector<float>(v.Type, x.Values, x.Count, nulls),
        PrimitiveVector<double> x => new PrimitiveVector<double>(v.Type, x.Values, x.Count, nulls),
        BinaryVector x => new BinaryVector(v.Type, x.Offsets, x.Data, x.Count, nulls),
        DictionaryVector x => new DictionaryVector(x.Dictionary, x.Codes, x.Count, nulls),
        _ => throw new InvalidOperationException($"unknown vector {v.GetType().Name}"),
    };

    /// <summary>The vector as a flat one (dictionary vectors are expanded).</summary>
    public static ColumnVector Flatten(ColumnVector v) => v is DictionaryVector d ? d.Flatten() : v;
}
