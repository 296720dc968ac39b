using System.Runtime.CompilerServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// One column of a group table's stored keys, with the batch-wise operations the table needs: hash a batch column,
/// compare candidate groups with rows, append a new group's key. One virtual call per batch and column.
/// </summary>
public abstract class KeyColumn
{
    public abstract int Count { get; }

    /// <summary>Hashes rows [0, n) of <paramref name="v"/> into <paramref name="hashes"/> (combining unless <paramref name="first"/>).</summary>
    public abstract void Hash(ColumnVector v, int n, uint[] hashes, bool first);

    public abstract void Append(ColumnVector v, int row);

    /// <summary>Clears <c>match[k]</c> when group <c>groups[k]</c>'s key differs from row <c>rows[k]</c> of <paramref name="v"/>.</summary>
    public abstract void Compare(ColumnVector v, int[] groups, int[] rows, int count, bool[] match);

    public abstract ColumnVector Slice(int start, int count);

    public abstract long Bytes { get; }

    public static KeyColumn Create(DataType type) => type.Physical switch
    {
        PhysicalType.Bool => new PrimitiveKeyColumn<bool>(type),
        PhysicalType.Int8 => new PrimitiveKeyColumn<sbyte>(type),
        PhysicalType.Int16 => new PrimitiveKeyColumn<short>(type),
        PhysicalType.Int32 => new PrimitiveKeyColumn<int>(type),
        PhysicalType.Int64 => new PrimitiveKeyColumn<long>(type),
        PhysicalType.Int128 => new PrimitiveKeyColumn<Int128>(type),
        PhysicalType.Float32 => new PrimitiveKeyColumn<float>(type),
        PhysicalType.Float64 => new PrimitiveKeyColumn<double>(type),
        _ => new StringKeyColumn(type),
    };
}

/// <summary>Normalized 64-bit images of key values for hashing and equality (-0.0 = 0.0, NaN = NaN).</summary>
public static class KeyBits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of<T>(T v) where T : unmanaged
    {
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref v) ? 1UL : 0UL;
        if (typeof(T) == typeof(sbyte)) return (ulong)Unsafe.As<T, sbyte>(ref v);
        if (typeof(T) == typeof(short)) return (ulong)Unsafe.As<T, short>(ref v);
        if (typeof(T) == typeof(int)) return (ulong)Unsafe.As<T, int>(ref v);
        if (typeof(T) == typeof(long)) return (ulong)Unsafe.As<T, long>(ref v);
        if (typeof(T) == typeof(float)) return (ulong)Hashing.NormalizedBits(Unsafe.As<T, float>(ref v));
        if (typeof(T) == typeof(double)) return (ulong)Hashing.NormalizedBits(Unsafe.As<T, double>(ref v));
        if (typeof(T) == typeof(Int128))
        {
            var x = Unsafe.As<T, Int128>(ref v);
            return (ulong)x ^ ((ulong)(x >> 64) * 0x9E3779B97F4A7C15UL);
        }
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Same<T>(T a, T b) where T : unmanaged
    {
        if (typeof(T) == typeof(Int128)) return Unsafe.As<T, Int128>(ref a) == Unsafe.As<T, Int128>(ref b);
        return Of(a) == Of(b);
    }
}

public sealed class PrimitiveKeyColumn<T>(DataType type) : KeyColumn where T : unmanaged
{
    private T[] _values = new T[16];
    private byte[] _nulls = new byte[16];
    private int _count;

    public override int Count => _count;

    public override long Bytes => (long)_values.Length * Unsafe.SizeOf<T>() + _nulls.Length;

    public override void Hash(ColumnVector v, int n, uint[] hashes, bool first)
    {
        var p = (PrimitiveVector<T>)v;
        var values = p.Values;
        var nulls = p.Nulls;
        for (var i = 0; i < n; i++)
        {
            var h = nulls is not null && nulls[i] != 0 ? Hashing.NullHash : Hashing.Mix(KeyBits.Of(values[i]));
            hashes[i] = first ? h : Hashing.Combine(hashes[i], h);
        }
    }

    public override void Append(ColumnVector v, int row)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _count * 2);
            Array.Resize(ref _nulls, _count * 2);
        }
        var isNull = v.IsNull(row);
        _values[_count] = isNull ? default : ((PrimitiveVector<T>)v).Values[row];
        _nulls[_count] = isNull ? (byte)1 : (byte)0;
        _count++;
    }

    public override void Compare(ColumnVector v, int[] groups, int[] rows, int count, bool[] match)
    {
        var p = (PrimitiveVector<T>)v;
        var values = p.Values;
        var nulls = p.Nulls;
        for (var k = 0; k < count; k++)
        {
            var g = groups[k];
            var r = rows[k];
            var rowNull = nulls is not null && nulls[r] != 0;
            var groupNull = _nulls[g] != 0;
            match[k] &= rowNull ? groupNull : !groupNull && KeyBits.Same(_values[g], values[r]);
        }
    }

    public override ColumnVector Slice(int start, int count)
    {
        var values = new T[Math.Max(count, 1)];
        Array.Copy(_values, start, values, 0, count);
        return new PrimitiveVector<T>(type, values, count, NullMask.Copy(_nulls.AsSpan(start, count).ToArray(), count));
    }
}

/// <summary>String/bytes keys in one byte arena. Dictionary-encoded input is hashed once per dictionary entry.</summary>
public sealed class StringKeyColumn(DataType type) : KeyColumn
{
    private byte[] _data = new byte[256];
    private int[] _offsets = new int[17];
    private byte[] _nulls = new byte[16];
    private int _count;
    private BinaryVector? _hashedDictionary;
    private uint[] _dictionaryHashes = [];

    public override int Count => _count;

    public override long Bytes => _data.Length + _offsets.LongLength * 4 + _nulls.Length;

    private ReadOnlySpan<byte> Get(int g) => _data.AsSpan(_offsets[g], _offsets[g + 1] - _offsets[g]);

    public override void Hash(ColumnVector v, int n, uint[] hashes, bool first)
    {
        var nulls = v.Nulls;
        if (v is DictionaryVector d)
        {
            if (!ReferenceEquals(d.Dictionary, _hashedDictionary))
            {
                var dict = d.Dictionary;
                _dictionaryHashes = new uint[dict.Count];
                for (var e = 0; e < dict.Count; e++) _dictionaryHashes[e] = Hashing.Bytes(dict.GetBytes(e));
                _hashedDictionary = dict;
            }
            var codes = d.Codes;
            var dh = _dictionaryHashes;
            for (var i = 0; i < n; i++)
            {
                var h = nulls is not null && nulls[i] != 0 ? Hashing.NullHash : dh[codes[i]];
                hashes[i] = first ? h : Hashing.Combine(hashes[i], h);
            }
            return;
        }
        var view = new StringView(v);
        for (var i = 0; i < n; i++)
        {
            var h = nulls is not null && nulls[i] != 0 ? Hashing.NullHash : Hashing.Bytes(view.Get(i));
            hashes[i] = first ? h : Hashing.Combine(hashes[i], h);
        }
    }

    public override void Append(ColumnVector v, int row)
    {
        if (_count + 1 >= _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
            Array.Resize(ref _nulls, _offsets.Length);
        }
        var start = _offsets[_count];
        if (v.IsNull(row))
        {
            _nulls[_count] = 1;
            _offsets[++_count] = start;
            return;
        }
        var bytes = new StringView(v).Get(row);
        if (start + bytes.Length > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, start + bytes.Length));
        bytes.CopyTo(_data.AsSpan(start));
        _nulls[_count] = 0;
        _offsets[++_count] = start + bytes.Length;
    }

    public override void Compare(ColumnVector v, int[] groups, int[] rows, int count, bool[] match)
    {
        var view = new StringView(v);
        var nulls = v.Nulls;
        for (var k = 0; k < count; k++)
        {
            var g = groups[k];
            var r = rows[k];
            var rowNull = nulls is not null && nulls[r] != 0;
            var groupNull = _nulls[g] != 0;
            match[k] &= rowNull ? groupNull : !groupNull && Get(g).SequenceEqual(view.Get(r));
        }
    }

    public override ColumnVector Slice(int start, int count)
    {
        var result = new BinaryVector(type, count, _offsets[start + count] - _offsets[start]);
        for (var g = start; g < start + count; g++)
        {
            if (_nulls[g] != 0) result.AppendNull();
            else result.Append(Get(g));
        }
        return result;
    }
}
