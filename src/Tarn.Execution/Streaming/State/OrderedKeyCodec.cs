using System.Buffers.Binary;
using Tarn.Execution.Vectors;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// Encodes ORDER BY keys as bytes whose unsigned lexicographic order is the SQL order of the keys (a "memcomparable"
/// encoding), so streaming operators can sort rows kept in state by comparing byte strings: no decoding, no boxing.
/// The order matches the batch sort (Sorting/SortColumn.cs): integers by value, floating point with -0.0 = 0.0 and
/// every NaN above +Infinity, strings and binaries by their bytes. Per key: a NULL marker byte placed where NULLS
/// FIRST/LAST says, then (non-NULL) the value, bit-inverted for DESC. Variable-length values escape 0x00 as 0x00 0xFF
/// and end with 0x00 0x01, so no encoding is a prefix of another and inversion reverses the order.
/// </summary>
public static class OrderedKeyCodec
{
    private const byte NullFirst = 0x00;
    private const byte NotNull = 0x01;
    private const byte NullLast = 0x02;

    public static void Write(ByteWriter w, ColumnVector v, int row, bool descending, bool nullsFirst)
    {
        if (v.IsNull(row))
        {
            w.WriteByte(nullsFirst ? NullFirst : NullLast);
            return;
        }
        w.WriteByte(NotNull);
        var start = w.Length;
        switch (v)
        {
            case PrimitiveVector<bool> b: w.WriteByte(b.Values[row] ? (byte)1 : (byte)0); break;
            case PrimitiveVector<sbyte> i8: w.WriteByte((byte)(i8.Values[row] ^ sbyte.MinValue)); break;
            case PrimitiveVector<short> i16: WriteBigEndian(w, (ushort)(i16.Values[row] ^ short.MinValue)); break;
            case PrimitiveVector<int> i32: WriteBigEndian(w, (uint)(i32.Values[row] ^ int.MinValue)); break;
            case PrimitiveVector<long> i64: WriteBigEndian(w, (ulong)(i64.Values[row] ^ long.MinValue)); break;
            case PrimitiveVector<Int128> i128:
                var x = i128.Values[row];
                WriteBigEndian(w, (ulong)(x >> 64) ^ 0x8000_0000_0000_0000UL);
                WriteBigEndian(w, (ulong)x);
                break;
            case PrimitiveVector<float> f: WriteBigEndian(w, DoubleOrderBits(f.Values[row])); break;
            case PrimitiveVector<double> d: WriteBigEndian(w, DoubleOrderBits(d.Values[row])); break;
            case BinaryVector or DictionaryVector: WriteEscaped(w, new StringView(v).Get(row)); break;
            default: throw new TarnException(SqlStates.FeatureNotSupported, $"ORDER BY {v.Type.ToSql()} is not supported in streaming mode");
        }
        if (descending)
        {
            var written = w.Slice(start, w.Length - start);
            for (var i = 0; i < written.Length; i++) written[i] = (byte)~written[i];
        }
    }

    /// <summary>Floats are widened to double (exact), so FLOAT and DOUBLE share one encoding.</summary>
    private static ulong DoubleOrderBits(double d)
    {
        if (d == 0) d = 0; // -0.0 sorts with 0.0
        if (double.IsNaN(d)) return ulong.MaxValue;
        var bits = BitConverter.DoubleToInt64Bits(d);
        return bits < 0 ? ~(ulong)bits : (ulong)bits ^ 0x8000_0000_0000_0000UL;
    }

    private static void WriteBigEndian(ByteWriter w, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(w.GetSpan(2), value);
        w.Advance(2);
    }

    private static void WriteBigEndian(ByteWriter w, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    private static void WriteBigEndian(ByteWriter w, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void WriteEscaped(ByteWriter w, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            w.WriteByte(b);
            if (b == 0) w.WriteByte(0xFF);
        }
        w.WriteByte(0x00);
        w.WriteByte(0x01);
    }
}
