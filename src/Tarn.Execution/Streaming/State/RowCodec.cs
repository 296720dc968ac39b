using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.State;

/// <summary>Whole rows as state values: each column's value through <see cref="ValueCodec"/>, in column order.</summary>
public static class RowCodec
{
    public static void Write(ByteWriter w, ColumnBatch rows, int row)
    {
        for (var c = 0; c < rows.ColumnCount; c++) ValueCodec.Write(w, rows[c], row);
    }

    /// <summary>Appends one row read from <paramref name="reader"/> to <paramref name="columns"/>.</summary>
    public static void ReadInto(ref ByteReader reader, ColumnVector[] columns)
    {
        for (var c = 0; c < columns.Length; c++) ValueCodec.ReadInto(ref reader, columns[c]);
    }

    /// <summary>Empty vectors of <paramref name="types"/> sized for <paramref name="capacity"/> rows.</summary>
    public static ColumnVector[] NewColumns(IReadOnlyList<DataType> types, int capacity)
    {
        var columns = new ColumnVector[types.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(types[c], Math.Max(capacity, 1));
        return columns;
    }
}
