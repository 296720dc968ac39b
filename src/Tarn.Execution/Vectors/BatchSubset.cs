using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Vectors;

/// <summary>
/// Builds a batch holding only some rows, copying only the columns an expression reads (the others are
/// placeholders that must not be read). Used to evaluate an expression lazily, on the rows that need it.
/// </summary>
public static class BatchSubset
{
    private static readonly ColumnVector s_placeholder = new PrimitiveVector<sbyte>(DataType.Null, 1);

    public static ColumnBatch Gather(ColumnBatch batch, ReadOnlySpan<int> rows, int[] usedColumns)
    {
        var cols = new ColumnVector[batch.ColumnCount];
        for (var i = 0; i < cols.Length; i++) cols[i] = s_placeholder;
        foreach (var c in usedColumns) cols[c] = batch.Columns[c].Gather(rows);
        return new ColumnBatch(cols, rows.Length);
    }
}
