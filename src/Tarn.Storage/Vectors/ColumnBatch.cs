namespace Tarn.Vectors;

/// <summary>A set of equally long column vectors: the unit that flows between operators.</summary>
public sealed class ColumnBatch
{
    public ColumnBatch(ColumnVector[] columns, int rowCount)
    {
        Columns = columns;
        RowCount = rowCount;
    }

    public ColumnVector[] Columns { get; }
    public int RowCount { get; }
    public int ColumnCount => Columns.Length;
    public ColumnVector this[int index] => Columns[index];

    public ColumnBatch Gather(ReadOnlySpan<int> selection)
    {
        var cols = new ColumnVector[Columns.Length];
        for (var i = 0; i < cols.Length; i++) cols[i] = Columns[i].Gather(selection);
        return new ColumnBatch(cols, selection.Length);
    }

    public ColumnBatch Slice(int start, int length)
    {
        if (start == 0 && length == RowCount) return this;
        var cols = new ColumnVector[Columns.Length];
        for (var i = 0; i < cols.Length; i++) cols[i] = Columns[i].Slice(start, length);
        return new ColumnBatch(cols, length);
    }

    public ColumnBatch Project(ReadOnlySpan<int> columns)
    {
        var cols = new ColumnVector[columns.Length];
        for (var i = 0; i < cols.Length; i++) cols[i] = Columns[columns[i]];
        return new ColumnBatch(cols, RowCount);
    }
}
