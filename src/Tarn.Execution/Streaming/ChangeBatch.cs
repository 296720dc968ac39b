using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming;

/// <summary>
/// The unit that flows between streaming operators: a column batch plus, per row, its change kind (Flink's RowKind:
/// +I, -U, +U, -D). <see cref="Kinds"/> is null when every row is an insert, the common case of append-only inputs,
/// so insert-only pipelines carry no per-row kind array at all.
/// </summary>
public sealed class ChangeBatch
{
    public ChangeBatch(ColumnBatch rows, sbyte[]? kinds = null)
    {
        if (kinds is not null && kinds.Length < rows.RowCount) throw new ArgumentException("one kind per row is required", nameof(kinds));
        Rows = rows;
        Kinds = kinds;
    }

    public ColumnBatch Rows { get; }

    /// <summary>Per row, a <see cref="RowKind"/> value; null means all rows are +I. May be longer than the row count.</summary>
    public sbyte[]? Kinds { get; }

    public int RowCount => Rows.RowCount;

    public bool IsInsertOnly => Kinds is null;

    public RowKind KindOf(int row) => Kinds is null ? RowKind.Insert : (RowKind)Kinds[row];

    /// <summary>
    /// Throws 0A000 unless every row is an insert: for operators that the planner only gives insert-only inputs, so a
    /// retraction means the input's changelog mode was misjudged, and continuing would give wrong results.
    /// </summary>
    /// <param name="requirement">Completes "... requires an insert-only input", e.g. "window Top-N".</param>
    public void RequireInsertOnly(string requirement)
    {
        if (Kinds is not { } kinds) return;
        for (var r = 0; r < RowCount; r++)
            if (kinds[r] != (sbyte)RowKind.Insert)
                throw new TarnException(SqlStates.FeatureNotSupported, $"{requirement} requires an insert-only input, but it received an update or delete");
    }

    /// <summary>The rows at <paramref name="selection"/>, with their kinds.</summary>
    public ChangeBatch Gather(ReadOnlySpan<int> selection)
    {
        var rows = Rows.Gather(selection);
        if (Kinds is null) return new ChangeBatch(rows);
        var kinds = new sbyte[selection.Length];
        for (var i = 0; i < kinds.Length; i++) kinds[i] = Kinds[selection[i]];
        return new ChangeBatch(rows, kinds);
    }

    /// <summary>The same kinds over other columns (a projection of this batch).</summary>
    public ChangeBatch WithRows(ColumnBatch rows) => new(rows, Kinds);
}
