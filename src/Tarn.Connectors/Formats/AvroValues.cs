using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>Conversions between Avro's values and Tarn's physical column values (shared by the avro decoder and encoder).</summary>
internal static class AvroValues
{
    /// <summary>TIME/TIMESTAMP units (µs up to precision 6, ns above) per millisecond and per microsecond.</summary>
    public static long UnitsPerMilli(DataType type) => type.Precision > 6 ? 1_000_000 : 1_000;

    public static long UnitsPerMicro(DataType type) => type.Precision > 6 ? 1_000 : 1;

    public static long FloorDiv(long a, long b) => a >= 0 ? a / b : (a - b + 1) / b;

    /// <summary>A decimal's unscaled value from Avro's big-endian two's-complement bytes.</summary>
    public static Int128 ReadUnscaled(ReadOnlySpan<byte> bytes, string field)
    {
        if (bytes.Length > 16) throw new RowDecodeException($"field '{field}': a decimal of {bytes.Length} bytes is too large");
        if (bytes.IsEmpty) return 0;
        Int128 v = (sbyte)bytes[0]; // sign-extends
        for (var i = 1; i < bytes.Length; i++) v = (v << 8) | bytes[i];
        return v;
    }

    /// <summary>Writes the minimal big-endian two's-complement bytes of <paramref name="unscaled"/>; returns the length.</summary>
    public static int WriteUnscaled(Int128 unscaled, Span<byte> buffer16)
    {
        var length = 16;
        // Drop leading bytes that only repeat the sign.
        while (length > 1)
        {
            var top = (byte)(unscaled >> ((length - 1) * 8));
            var next = (byte)(unscaled >> ((length - 2) * 8));
            if ((top == 0 && (next & 0x80) == 0) || (top == 0xFF && (next & 0x80) != 0)) length--;
            else break;
        }
        for (var i = 0; i < length; i++) buffer16[i] = (byte)(unscaled >> ((length - 1 - i) * 8));
        return length;
    }

    /// <summary>The unscaled value of a DECIMAL column's row (64-bit up to precision 18, 128-bit above).</summary>
    public static Int128 Unscaled(ColumnVector v, int row) =>
        v is PrimitiveVector<long> l ? l.Values[row] : ((PrimitiveVector<Int128>)v).Values[row];

    public static long Integer(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<sbyte> b => b.Values[row],
        PrimitiveVector<short> s => s.Values[row],
        PrimitiveVector<int> i => i.Values[row],
        _ => ((PrimitiveVector<long>)v).Values[row],
    };
}
