using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>Reads one cell of any vector layout the executor produces, for the row encoders.</summary>
internal static class EncodedValues
{
    /// <summary>The bytes of a (non-null) string, bytes or array cell, whether plain or dictionary encoded.</summary>
    public static ReadOnlySpan<byte> Bytes(ColumnVector column, int row) => column switch
    {
        BinaryVector b => b.GetBytes(row),
        DictionaryVector d => d.Dictionary.GetBytes(d.Codes[row]),
        _ => throw new InvalidOperationException($"not a binary vector: {column.GetType().Name}"),
    };

    /// <summary>The (non-null) value of an integer-backed cell (TINYINT..BIGINT, DATE, TIME, TIMESTAMP, DECIMAL(p ≤ 18)).</summary>
    public static long Integer(ColumnVector column, int row) => column switch
    {
        PrimitiveVector<long> v => v.Values[row],
        PrimitiveVector<int> v => v.Values[row],
        PrimitiveVector<short> v => v.Values[row],
        PrimitiveVector<sbyte> v => v.Values[row],
        _ => throw new InvalidOperationException($"not an integer vector: {column.GetType().Name}"),
    };

    /// <summary>The unscaled value of a (non-null) DECIMAL cell of any precision.</summary>
    public static Int128 Unscaled(ColumnVector column, int row) =>
        column is PrimitiveVector<Int128> wide ? wide.Values[row] : Integer(column, row);
}
