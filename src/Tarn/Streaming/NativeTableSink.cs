using Tarn.Execution.Streaming;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Streaming;

/// <summary>
/// Writes a job's output into a native table. Rows are buffered for the current epoch and handed to the job's commit
/// as append operations, so they become visible together with the job's progress record, never without it.
/// A table without a primary key accepts inserts only (checked at planning); a primary-key table receives upserts:
/// +I/+U write the row for its key, -U/-D delete the key (a -U followed by a +U of the same key nets to the update).
/// </summary>
internal sealed class NativeTableSink(StorageEngine storage, long tableId, bool hasPrimaryKey) : IJobSink
{
    private readonly List<(ColumnBatch Rows, RowKind Kind)> _pending = [];

    public long PendingRows { get; private set; }

    public long RowsOut { get; private set; }

    public bool Finished { get; private set; }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        PendingRows += n;
        RowsOut += n;
        if (batch.Kinds is null || !hasPrimaryKey)
        {
            _pending.Add((batch.Rows, RowKind.Insert));
            return;
        }
        // Split into runs of rows that write (+I/+U) or delete (-U/-D), keeping their order.
        var start = 0;
        var kinds = batch.Kinds;
        for (var r = 1; r <= n; r++)
        {
            if (r < n && RowKinds.IsLive(kinds[r]) == RowKinds.IsLive(kinds[start])) continue;
            var kind = RowKinds.IsLive(kinds[start]) ? RowKind.Insert : RowKind.Delete;
            _pending.Add((batch.Rows.Slice(start, r - start), kind));
            start = r;
        }
    }

    public void Watermark(long watermark) { }

    public void Flush() { }

    public void Finish() => Finished = true;

    /// <summary>Writes the epoch's rows (segment files for large epochs) and returns the operations to commit with the epoch.</summary>
    public (IReadOnlyList<LogOp> Ops, AppendBuilder? Builder) TakeOps()
    {
        if (_pending.Count == 0) return ([], null);
        var table = storage.GetTable(tableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the sink table of the job was dropped");
        var builder = new AppendBuilder(storage, table);
        foreach (var (rows, kind) in _pending) builder.Add(rows, kind);
        _pending.Clear();
        PendingRows = 0;
        return (builder.Finish(), builder);
    }
}
