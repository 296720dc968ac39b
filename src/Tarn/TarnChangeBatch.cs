using Tarn.Types;
using Tarn.Vectors;

namespace Tarn;

/// <summary>One change of a streaming result: its kind and the row's values (CLR objects, null for SQL NULL).</summary>
public sealed record TarnChange(TarnRowKind Kind, IReadOnlyList<object?> Values)
{
    /// <summary>The kind as Flink prints it: +I, -U, +U, -D.</summary>
    public string Op => Kind.ToShortString();
}

/// <summary>
/// Changes of a subscription's result (<see cref="TarnSession.SubscribeAsync(string, CancellationToken)"/>), in order: the rows, kept as a column
/// batch (<see cref="Rows"/>, zero-copy), and per row its <see cref="TarnRowKind"/>.
/// </summary>
public sealed class TarnChangeBatch
{
    private readonly sbyte[]? _kinds;

    internal TarnChangeBatch(IReadOnlyList<TarnColumn> columns, ColumnBatch rows, sbyte[]? kinds, bool isCaughtUp, long timestamp = 0, bool isProgress = false)
    {
        Columns = columns;
        Rows = rows;
        _kinds = kinds;
        IsCaughtUp = isCaughtUp;
        Timestamp = timestamp;
        IsProgress = isProgress;
    }

    /// <summary>
    /// The logical time of these changes: the storage commit sequence number up to which the step that produced them had
    /// read the sources (Materialize's <c>mz_timestamp</c>). On a progress batch, the new frontier.
    /// </summary>
    public long Timestamp { get; }

    /// <summary>
    /// True on a batch without rows, yielded only with <see cref="TarnSubscribeOptions.Progress"/>: every change before
    /// <see cref="Timestamp"/> has been yielded (Materialize's <c>mz_progressed</c>).
    /// </summary>
    public bool IsProgress { get; }

    public IReadOnlyList<TarnColumn> Columns { get; }

    public ColumnBatch Rows { get; }

    public int RowCount => Rows.RowCount;

    /// <summary>
    /// True on the last batch of a step: with it, the result reflects everything committed to the sources when the step
    /// began (a good moment to redraw a view of the result).
    /// </summary>
    public bool IsCaughtUp { get; }

    public TarnRowKind KindOf(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row));
        return _kinds is null ? TarnRowKind.Insert : (TarnRowKind)_kinds[row];
    }

    /// <summary>The value at (row, column) as a CLR object (null for SQL NULL).</summary>
    public object? GetValue(int row, int column)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row));
        return Rows.Columns[column].GetValue(row);
    }

    /// <summary>Every change as its kind and an array of CLR values.</summary>
    public IEnumerable<TarnChange> Changes
    {
        get
        {
            for (var r = 0; r < RowCount; r++)
            {
                var values = new object?[Columns.Count];
                for (var c = 0; c < values.Length; c++) values[c] = Rows.Columns[c].GetValue(r);
                yield return new TarnChange(KindOf(r), values);
            }
        }
    }

    /// <summary>The changes as a result with an <c>op</c> column first (+I, -U, +U, -D), as Flink's changelog result mode shows them.</summary>
    public TarnResult ToChangelogResult()
    {
        var op = new BinaryVector(DataType.String, Math.Max(RowCount, 1));
        for (var r = 0; r < RowCount; r++) op.Append(KindOf(r).ToShortString());
        var columns = new List<TarnColumn>(Columns.Count + 1) { new("op", DataType.String) };
        columns.AddRange(Columns);
        return new TarnResult(StatementKind.Query, columns, [new ColumnBatch([op, .. Rows.Columns], RowCount)]);
    }
}
