using Tarn.Storage.Engine;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Scans;

/// <summary>
/// A batch of rows from one bucket in offset order, starting at <see cref="FirstOffset"/> or later. Offsets have no
/// gaps except where rows were removed: by INSERT OVERWRITE, or by compaction of a primary-key table, which drops
/// versions superseded by a newer change of the same key (DB-052). The <c>$offset</c> column gives each row's offset.
/// </summary>
public sealed record StreamBatch(int Bucket, long FirstOffset, ColumnBatch Rows)
{
    /// <summary>Per row, its <see cref="RowKind"/> (+I, -U, +U, -D); null when every row is an insert (tables without a primary key).</summary>
    public sbyte[]? Kinds { get; init; }

    public RowKind KindOf(int row) => Kinds is null ? RowKind.Insert : (RowKind)Kinds[row];
}

/// <summary>
/// Follows a table as a log: returns every committed row exactly once, in offset (= commit) order per bucket, and
/// waits for new commits without polling — it is woken by the committer (storage-spec/01-database-layout.md,
/// "Streaming reads"). Batches carry the user columns, then <c>$offset</c> and the bucket.
/// </summary>
public sealed class StreamingReader
{
    private readonly StorageEngine _engine;
    private readonly long _tableId;
    private readonly int[] _columnIds;
    private readonly long[] _positions;
    private readonly int _maxRows;
    private int _nextBucket;
    private long[]? _limit;

    public StreamingReader(StorageEngine engine, long tableId, StreamStart start, IReadOnlyList<int>? columnIds = null, int maxBatchRows = 65536)
    {
        _engine = engine;
        _tableId = tableId;
        var table = Table();
        _columnIds = columnIds?.ToArray() ?? table.Layout.Schema.Columns.Select(c => c.Id).ToArray();
        _maxRows = maxBatchRows;
        _positions = Resolve(table, start);
    }

    /// <summary>The next offset this reader will return, per bucket (what a consumer commits).</summary>
    public IReadOnlyList<long> Positions => _positions;

    private TableVersion Table() =>
        _engine.GetTable(_tableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the table was dropped");

    private static long[] Resolve(TableVersion table, StreamStart start)
    {
        var buckets = table.Layout.BucketCount;
        switch (start)
        {
            case StreamStart.EarliestStart:
                return new long[buckets];
            case StreamStart.LatestStart:
                return table.NextOffsets.ToArray();
            case StreamStart.ConsumerStart c:
                return table.Consumers.TryGetValue(c.Name, out var committed) ? committed.ToArray() : Resolve(table, c.Fallback);
            case StreamStart.OffsetsStart o:
                if (o.Offsets.Length != buckets) ThrowHelper.Argument($"the table has {buckets} buckets but {o.Offsets.Length} offsets were given");
                for (var b = 0; b < buckets; b++)
                    if (o.Offsets[b] < 0 || o.Offsets[b] > table.NextOffsets[b])
                        throw new TarnException(SqlStates.OffsetOutOfRange, $"offset {o.Offsets[b]} is out of range for bucket {b} (valid: 0 to {table.NextOffsets[b]})");
                return (long[])o.Offsets.Clone();
            case StreamStart.TimestampStart t:
            {
                // Rows committed strictly before the timestamp are skipped: the newest snapshot at or before t - 1 µs.
                var before = table.FindSnapshotAsOf(t.Micros - 1, out var exact);
                if (!exact)
                    throw new TarnException(SqlStates.SnapshotTooOld, "older snapshots are kept one per second, and none of them ends right before that timestamp; start from a whole second, an offset or 'earliest'");
                if (before is not null) return (long[])before.EndOffsets.Clone();
                var expired = table.Snapshots.Count > 0 && table.Snapshots[0].SnapshotId > 1;
                if (expired && table.Snapshots[0].TimestampMicros >= t.Micros)
                    throw new TarnException(SqlStates.SnapshotTooOld, "the timestamp is older than the oldest retained snapshot; start from 'earliest' or a later time");
                return new long[buckets];
            }
            case StreamStart.SnapshotStart s:
            {
                if (s.SnapshotId <= 1) return new long[buckets];
                var previous = table.FindSnapshot(s.SnapshotId - 1);
                if (previous is null)
                {
                    if (s.SnapshotId > table.LastSnapshotId + 1)
                        throw new TarnException(SqlStates.OffsetOutOfRange, $"snapshot {s.SnapshotId} does not exist yet (latest is {table.LastSnapshotId})");
                    throw new TarnException(SqlStates.SnapshotTooOld, $"snapshot {s.SnapshotId - 1} has expired; cannot position after it");
                }
                return (long[])previous.EndOffsets.Clone();
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(start));
        }
    }

    /// <summary>
    /// Durably records this reader's positions under <paramref name="consumer"/>, so a reader started later with
    /// <see cref="StreamStart.ForConsumer"/> continues exactly after the rows returned so far.
    /// </summary>
    public Task CommitAsync(string consumer)
    {
        if (string.IsNullOrEmpty(consumer)) ThrowHelper.Argument("a consumer needs a name");
        return _engine.CommitAsync([new Log.ConsumerOp(_tableId, consumer, (long[])_positions.Clone())]);
    }

    /// <summary>
    /// Reads no row at or after offset <paramref name="limit"/>[b] of bucket b (null: no limit). A streaming job
    /// replaying its input up to the end of its last committed epoch sets it, so the replay stops exactly there.
    /// </summary>
    public void LimitTo(long[]? limit)
    {
        if (limit is not null && limit.Length != _positions.Length)
            ThrowHelper.Argument($"the table has {_positions.Length} buckets but a limit of {limit.Length} offsets was given");
        _limit = limit is null ? null : (long[])limit.Clone();
    }

    /// <summary>Returns the next batch if one is committed, without waiting.</summary>
    public StreamBatch? TryRead()
    {
        while (true)
        {
            if (TryReadStep(out var skippedGap) is { } batch) return batch;
            if (!skippedGap) return null;
        }
    }

    /// <summary>Reads the next range of one bucket; a range whose rows were all removed yields null with <paramref name="skippedGap"/> set.</summary>
    private StreamBatch? TryReadStep(out bool skippedGap)
    {
        skippedGap = false;
        var table = Table();
        var buckets = table.Layout.BucketCount;
        var withKinds = table.Layout.HasPrimaryKey;
        for (var i = 0; i < buckets; i++)
        {
            var b = (_nextBucket + i) % buckets;
            var pos = _positions[b];
            var available = _limit is null ? table.NextOffsets[b] : Math.Min(table.NextOffsets[b], _limit[b]);
            if (available <= pos) continue;
            var end = Math.Min(available, pos + _maxRows);
            var starts = new long[buckets];
            var ends = table.NextOffsets.ToArray();
            starts[b] = pos;
            ends[b] = end;
            var spec = new ScanSpec
            {
                Table = table,
                ColumnIds = _columnIds,
                IncludeOffsetAndBucket = true,
                Changelog = true,
                IncludeRowKind = withKinds,
                Bucket = b,
                StartOffsets = starts,
                EndOffsets = ends,
            };
            List<ColumnBatch> parts = [];
            using (var scan = TableScan.Plan(_engine, spec))
            {
                var morsels = scan.Morsels.OrderBy(m => m.MinOffset).ToList();
                foreach (var m in morsels) parts.Add(m.Read());
            }
            var offsetColumn = _columnIds.Length;
            var rows = MergeByOffset(parts, offsetColumn);
            if (rows.RowCount > end - pos)
                ThrowHelper.Corrupt(_engine.Directory, $"bucket {b} of table {_tableId} should hold at most offsets {pos} to {end - 1} but {rows.RowCount} rows were found");
            _positions[b] = end;
            _nextBucket = (b + 1) % buckets;
            // Rows removed by an overwrite or by compaction of a primary-key table leave gaps: skip a range without rows.
            if (rows.RowCount == 0)
            {
                skippedGap = true;
                return null;
            }
            sbyte[]? kinds = null;
            if (withKinds)
            {
                var kindVector = (PrimitiveVector<sbyte>)rows.Columns[^1];
                kinds = kindVector.Values.Length == rows.RowCount ? kindVector.Values : kindVector.Values[..rows.RowCount];
                rows = new ColumnBatch(rows.Columns[..^1], rows.RowCount);
            }
            return new StreamBatch(b, pos, rows) { Kinds = kinds };
        }
        return null;
    }

    /// <summary>Waits for and returns the next batch.</summary>
    public async ValueTask<StreamBatch> ReadAsync(CancellationToken cancellation = default)
    {
        while (true)
        {
            // Take the wake-up task before looking, so a commit between the look and the wait is not missed.
            var next = _engine.NextCommitAsync();
            if (TryRead() is { } batch) return batch;
            await next.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Offsets are column <paramref name="at"/>: put rows of several parts into offset order.</summary>
    private static ColumnBatch MergeByOffset(List<ColumnBatch> parts, int at)
    {
        if (parts.Count == 1) return parts[0];
        if (parts.Count == 0) return new ColumnBatch([], 0);
        var n = parts[0].ColumnCount;
        // Rotate so the offset column is first (the layout OffsetOrder expects), merge, rotate back.
        var rotated = parts.Select(p => new ColumnBatch([p.Columns[at], .. p.Columns[..at], .. p.Columns[(at + 1)..]], p.RowCount)).ToList();
        var merged = OffsetOrder.Merge(rotated);
        var total = 0;
        foreach (var m in merged) total += m.RowCount;
        var result = new ColumnVector[n];
        for (var c = 0; c < n; c++)
        {
            var src = c == at ? 0 : c < at ? c + 1 : c;
            var v = ColumnVector.Create(merged[0].Columns[src].Type, total);
            foreach (var m in merged)
            {
                var col = m.Columns[src] is DictionaryVector d ? d.Flatten() : m.Columns[src];
                for (var r = 0; r < m.RowCount; r++) v.AppendFrom(col, r);
            }
            result[c] = v;
        }
        return new ColumnBatch(result, total);
    }
}
