using Tarn.Internal;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn;

/// <summary>
/// A cursor over a durable subscription (RisingWave's <c>DECLARE c SUBSCRIPTION CURSOR FOR sub [SINCE ...|FULL]</c>,
/// <see cref="TarnSession.DeclareSubscriptionCursorAsync"/>): each <see cref="FetchAsync"/> returns the next changes of
/// the subscribed table as rows of the table's stored columns, then <c>op</c> (Insert, Delete, UpdateDelete,
/// UpdateInsert) and <c>rw_timestamp</c> (when the change was committed, Unix milliseconds; NULL for the rows of a
/// FULL cursor's snapshot). Changes of one bucket come in commit order. The cursor itself is not durable: resume after
/// a restart with <see cref="TarnSubscriptionStart.Since"/> and the last rw_timestamp seen plus one.
/// </summary>
public sealed class TarnSubscriptionCursor
{
    private readonly DatabaseCore _core;
    private readonly long _tableId;
    private readonly int _columnCount;
    private readonly Queue<ColumnBatch> _snapshot;
    private readonly StreamingReader _reader;
    private ColumnBatch? _current;
    private int _offset;

    internal TarnSubscriptionCursor(DatabaseCore core, long tableId, IReadOnlyList<TarnColumn> tableColumns, IReadOnlyList<int> columnIds,
        StreamStart start, IReadOnlyList<ColumnBatch> snapshot)
    {
        _core = core;
        _tableId = tableId;
        _columnCount = tableColumns.Count;
        var columns = new List<TarnColumn>(tableColumns) { new("op", DataType.String), new("rw_timestamp", DataType.BigInt) };
        Columns = columns;
        _reader = new StreamingReader(core.Storage, tableId, start, columnIds);
        _snapshot = new Queue<ColumnBatch>();
        foreach (var batch in snapshot)
            if (batch.RowCount > 0) _snapshot.Enqueue(WithChangeColumns(batch, null, null));
    }

    /// <summary>The table's stored columns, then <c>op</c> and <c>rw_timestamp</c>.</summary>
    public IReadOnlyList<TarnColumn> Columns { get; }

    /// <summary>
    /// At most <paramref name="count"/> changes (0 = every change ready now). When none is ready, waits up to
    /// <paramref name="timeout"/> for a commit that brings some (<see cref="TimeSpan.Zero"/>: answers at once, as
    /// RisingWave's FETCH does), then returns what is ready.
    /// </summary>
    public async Task<TarnResult> FetchAsync(int count, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var batches = new List<ColumnBatch>();
        var taken = Take(count, batches);
        if (taken == 0 && timeout > TimeSpan.Zero)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (taken == 0)
            {
                var next = _core.Storage.NextCommitAsync(); // taken before looking, so a commit in between is not missed
                taken = Take(count, batches);
                if (taken > 0) break;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) break;
                try
                {
                    await next.WaitAsync(left, cancellation).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    break;
                }
            }
        }
        return new TarnResult(StatementKind.Query, Columns, batches);
    }

    private int Take(int count, List<ColumnBatch> batches)
    {
        var taken = 0;
        while (count == 0 || taken < count)
        {
            if (_current is null || _offset >= _current.RowCount)
            {
                _current = _snapshot.Count > 0 ? _snapshot.Dequeue() : ReadChanges();
                _offset = 0;
                if (_current is null) break;
            }
            var n = _current.RowCount - _offset;
            if (count > 0) n = Math.Min(n, count - taken);
            batches.Add(_offset == 0 && n == _current.RowCount ? _current : _current.Slice(_offset, n));
            taken += n;
            _offset += n;
        }
        return taken;
    }

    /// <summary>The next committed batch of the table's log with op and rw_timestamp, or null when none is ready.</summary>
    private ColumnBatch? ReadChanges()
    {
        var batch = _reader.TryRead();
        if (batch is null) return null;
        return WithChangeColumns(batch.Rows, batch, _core.Storage.GetTable(_tableId));
    }

    /// <summary>The user columns of <paramref name="rows"/> with op and rw_timestamp appended (a snapshot's rows: Insert, NULL).</summary>
    private ColumnBatch WithChangeColumns(ColumnBatch rows, StreamBatch? changes, TableVersion? table)
    {
        var n = rows.RowCount;
        var op = new BinaryVector(DataType.String, Math.Max(n, 1));
        var timestamp = new PrimitiveVector<long>(DataType.BigInt, Math.Max(n, 1));
        if (changes is null)
        {
            for (var r = 0; r < n; r++)
            {
                op.Append("Insert");
                timestamp.AppendNull();
            }
        }
        else
        {
            var offsets = ((PrimitiveVector<long>)rows.Columns[_columnCount]).Values;
            var snapshots = table?.Snapshots;
            var s = 0;
            for (var r = 0; r < n; r++)
            {
                op.Append(OpName(changes.KindOf(r)));
                // The row became visible with the first snapshot whose end passes its offset (offsets ascend, so s only moves on).
                if (snapshots is null) { timestamp.AppendNull(); continue; }
                s = FirstSnapshotAfter(snapshots, changes.Bucket, offsets[r], s);
                if (s < snapshots.Count) timestamp.Append(snapshots[s].TimestampMicros / 1000);
                else timestamp.AppendNull();
            }
        }
        var columns = new ColumnVector[_columnCount + 2];
        Array.Copy(rows.Columns, columns, _columnCount);
        columns[_columnCount] = op;
        columns[_columnCount + 1] = timestamp;
        return new ColumnBatch(columns, n);
    }

    /// <summary>The index of the first snapshot at or after <paramref name="from"/> whose end offset in the bucket exceeds <paramref name="offset"/>.</summary>
    private static int FirstSnapshotAfter(IReadOnlyList<SnapshotInfo> snapshots, int bucket, long offset, int from)
    {
        int lo = from, hi = snapshots.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var ends = snapshots[mid].EndOffsets;
            if (bucket < ends.Length && ends[bucket] > offset) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static string OpName(RowKind kind) => kind switch
    {
        RowKind.Insert => "Insert",
        RowKind.UpdateBefore => "UpdateDelete",
        RowKind.UpdateAfter => "UpdateInsert",
        _ => "Delete",
    };
}
