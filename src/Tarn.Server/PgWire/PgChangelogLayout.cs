using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>
/// The columns a changelog (SUBSCRIBE, a SUBSCRIBE cursor) is sent with. By default <c>op</c> (+I, -U, +U, -D) and
/// the query's columns. With <c>PROGRESS</c>, Materialize's layout as far as it maps: <c>mz_timestamp</c> (the storage
/// commit sequence the change was read at), <c>mz_progressed</c>, <c>op</c> (where Materialize has <c>mz_diff</c>),
/// then the columns; a progress row has <c>mz_progressed</c> true and NULL in <c>op</c> and every column, and says
/// that every change before its <c>mz_timestamp</c> has been sent.
/// </summary>
internal sealed class PgChangelogLayout
{
    private readonly int _prefix;

    public PgChangelogLayout(IReadOnlyList<TarnColumn> columns, bool progress)
    {
        Progress = progress;
        var all = new List<TarnColumn>(columns.Count + 3);
        if (progress)
        {
            all.Add(new TarnColumn("mz_timestamp", DataType.BigInt));
            all.Add(new TarnColumn("mz_progressed", DataType.Boolean));
        }
        all.Add(new TarnColumn("op", DataType.String));
        _prefix = all.Count;
        all.AddRange(columns);
        Columns = all;
    }

    public bool Progress { get; }

    /// <summary>Every column sent, the changelog's own first.</summary>
    public IReadOnlyList<TarnColumn> Columns { get; }

    /// <summary>Rows <paramref name="changes"/> is sent as: one for a progress batch, else one per change.</summary>
    public static int RowCount(TarnChangeBatch changes) => changes.IsProgress ? 1 : changes.RowCount;

    /// <summary>Rows [<paramref name="offset"/>, +<paramref name="count"/>) of <paramref name="changes"/> in this layout.</summary>
    public ColumnBatch Rows(TarnChangeBatch changes, int offset, int count)
    {
        var columns = new ColumnVector[Columns.Count];
        var capacity = Math.Max(count, 1);
        var op = new BinaryVector(DataType.String, capacity);
        if (Progress)
        {
            var timestamp = new PrimitiveVector<long>(DataType.BigInt, capacity);
            var progressed = new PrimitiveVector<bool>(DataType.Boolean, capacity);
            for (var r = 0; r < count; r++)
            {
                timestamp.Append(changes.Timestamp);
                progressed.Append(changes.IsProgress);
            }
            columns[0] = timestamp;
            columns[1] = progressed;
        }
        if (changes.IsProgress)
        {
            for (var r = 0; r < count; r++) op.AppendNull();
            for (var c = _prefix; c < columns.Length; c++)
            {
                var nulls = ColumnVector.Create(Columns[c].Type, capacity);
                for (var r = 0; r < count; r++) nulls.AppendNull();
                columns[c] = nulls;
            }
        }
        else
        {
            for (var r = 0; r < count; r++) op.Append(changes.KindOf(offset + r).ToShortString());
            var rows = offset == 0 && count == changes.RowCount ? changes.Rows : changes.Rows.Slice(offset, count);
            for (var c = _prefix; c < columns.Length; c++) columns[c] = rows.Columns[c - _prefix];
        }
        columns[_prefix - 1] = op;
        return new ColumnBatch(columns, count);
    }
}
