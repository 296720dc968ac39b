using Tarn.Storage.Engine;
using Tarn.Storage.IO;
using Tarn.Storage.Log;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// Collects the rows of one statement (or one appender flush) for a table and turns them into the log operations of
/// a single atomic commit. Small appends become inline segment images in the log record; large ones are written to
/// segment files first (synced), and the commit record only refers to them. Not thread-safe.
/// </summary>
public sealed class AppendBuilder : IDisposable
{
    private readonly StorageEngine _engine;
    private readonly TableVersion _table;
    private readonly Schema _stored;
    private readonly RowRouter _router;
    private readonly long[] _bucketRows;
    private readonly List<(ColumnBatch Rows, RowKind Kind, sbyte[]? Kinds)> _buffered = [];
    private long _bufferedRows;
    private readonly Dictionary<(int Bucket, int Partition), SegmentBuilder> _builders = [];
    private readonly List<PartitionKey> _partitionKeys = [];
    private readonly Dictionary<PartitionKey, int> _partitionIndex = [];
    private readonly List<(int Bucket, FileAppendPart Part, string Path)> _files = [];
    private bool _fileMode;
    private bool _finished;

    public AppendBuilder(StorageEngine engine, TableVersion table)
    {
        _engine = engine;
        _table = table;
        _stored = SystemColumns.StoredSchema(table.Layout);
        _router = new RowRouter(table.Layout);
        _bucketRows = new long[table.Layout.BucketCount];
    }

    public long TableId => _table.TableId;
    public long RowCount { get; private set; }

    /// <summary>
    /// When set, every row goes to this bucket instead of the one the router picks (a log producer that chose its
    /// partition, e.g. a Kafka client, on a table without a bucket key). Set before the first <see cref="Add(ColumnBatch)"/>.
    /// </summary>
    public int? TargetBucket { get; set; }

    private void RouteBuckets(ColumnBatch rows, Span<int> buckets)
    {
        if (TargetBucket is { } bucket) buckets[..rows.RowCount].Fill(bucket);
        else _router.RouteBuckets(rows, buckets);
    }

    /// <summary>Adds rows given in the table's column order. NOT NULL columns must not contain NULLs.</summary>
    public void Add(ColumnBatch userRows) => Add(userRows, RowKind.Insert);

    /// <summary>
    /// Adds rows of one kind. On a primary-key table +I is an upsert, -U/-D retract the key; tables without a
    /// primary key accept only +I.
    /// </summary>
    public void Add(ColumnBatch userRows, RowKind kind) => Add(userRows, kind, null);

    /// <summary>
    /// Adds rows of a primary-key table with a kind per row (a changelog, see Tarn.Storage.Changelog.UpsertWriter), kept
    /// in the given order within each bucket.
    /// </summary>
    public void Add(ColumnBatch userRows, sbyte[] kinds)
    {
        if (kinds.Length < userRows.RowCount) throw new ArgumentException("one kind per row is needed", nameof(kinds));
        Add(userRows, RowKind.Insert, kinds);
    }

    private void Add(ColumnBatch userRows, RowKind kind, sbyte[]? kinds)
    {
        if ((kind != RowKind.Insert || kinds is not null) && !_table.Layout.HasPrimaryKey)
            throw new TarnException(SqlStates.FeatureNotSupported, "only primary-key tables store changes other than inserts");
        if (_finished) throw new InvalidOperationException("append already finished");
        if (userRows.RowCount == 0) return;
        CheckShape(userRows);
        RowCount += userRows.RowCount;
        if (!_fileMode)
        {
            _buffered.Add((userRows, kind, kinds));
            _bufferedRows += userRows.RowCount;
            if (_bufferedRows < _engine.Options.DirectSegmentRows) return;
            _fileMode = true;
            foreach (var (b, k, ks) in _buffered) Route(b, k, ks);
            _buffered.Clear();
            return;
        }
        Route(userRows, kind, kinds);
    }

    private void CheckShape(ColumnBatch rows)
    {
        var schema = _table.Layout.Schema;
        if (rows.ColumnCount != schema.Count) ThrowHelper.Internal($"append of {rows.ColumnCount} columns to a table of {schema.Count}");
        for (var c = 0; c < schema.Count; c++)
        {
            var col = rows.Columns[c];
            if (col.Type.Physical != schema[c].Type.Physical) ThrowHelper.Internal($"column {schema[c].Name} has physical type {col.Type.Physical}, expected {schema[c].Type.Physical}");
            if (!schema[c].Type.Nullable && col.MayHaveNulls)
            {
                for (var r = 0; r < rows.RowCount; r++)
                    if (col.IsNull(r))
                        throw new TarnException(SqlStates.NotNullViolation, $"column '{schema[c].Name}' is NOT NULL but a NULL value was given");
            }
        }
    }

    /// <summary>
    /// Prefixes the user columns with <c>$offset</c> values (relative to the bucket's base offset of this commit) and,
    /// on a primary-key table, the <c>$kind</c> of the rows.
    /// </summary>
    private ColumnBatch WithOffsets(ColumnBatch userRows, ReadOnlySpan<int> rows, int bucket, RowKind kind, sbyte[]? perRow)
    {
        var offsets = new long[Math.Max(rows.Length, 1)];
        var next = _bucketRows[bucket];
        for (var i = 0; i < rows.Length; i++) offsets[i] = next + i;
        _bucketRows[bucket] = next + rows.Length;
        var prefix = SystemColumns.Prefix(_table.Layout);
        var cols = new ColumnVector[userRows.ColumnCount + prefix];
        cols[0] = new PrimitiveVector<long>(SystemColumns.Offset.Type, offsets, rows.Length);
        if (prefix == 2)
        {
            var kinds = new sbyte[Math.Max(rows.Length, 1)];
            if (perRow is null) Array.Fill(kinds, (sbyte)kind);
            else for (var i = 0; i < rows.Length; i++) kinds[i] = perRow[rows[i]];
            cols[1] = new PrimitiveVector<sbyte>(SystemColumns.Kind.Type, kinds, rows.Length);
        }
        var all = rows.Length == userRows.RowCount;
        for (var c = 0; c < userRows.ColumnCount; c++)
            cols[c + prefix] = all ? userRows.Columns[c] : userRows.Columns[c].Gather(rows);
        return new ColumnBatch(cols, rows.Length);
    }

    private void Route(ColumnBatch userRows, RowKind kind, sbyte[]? kinds)
    {
        var n = userRows.RowCount;
        var buckets = new int[n];
        var partitions = new int[n];
        RouteBuckets(userRows, buckets);
        _router.RoutePartitions(userRows, partitions, _partitionKeys, _partitionIndex);

        // Group row numbers by (bucket, partition), keeping row order inside each group.
        var groups = new Dictionary<(int, int), List<int>>();
        (int, int) lastKey = (-1, -1);
        List<int>? last = null;
        for (var r = 0; r < n; r++)
        {
            var key = (buckets[r], partitions[r]);
            if (key != lastKey || last is null)
            {
                if (!groups.TryGetValue(key, out last)) groups[key] = last = [];
                lastKey = key;
            }
            last.Add(r);
        }
        // Offsets must follow row order within a bucket, so assign them bucket by bucket in row order.
        if (groups.Count == 1)
        {
            var (key, rows) = groups.First();
            Feed(key, WithOffsets(userRows, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), key.Item1, kind, kinds));
            return;
        }
        var perBucket = new Dictionary<int, List<int>>();
        for (var r = 0; r < n; r++)
        {
            if (!perBucket.TryGetValue(buckets[r], out var list)) perBucket[buckets[r]] = list = [];
            list.Add(r);
        }
        foreach (var (bucket, rows) in perBucket)
        {
            var withOffsets = WithOffsets(userRows, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), bucket, kind, kinds);
            // Split this bucket's rows by partition, in order.
            var byPartition = new Dictionary<int, List<int>>();
            for (var i = 0; i < rows.Count; i++)
            {
                var p = partitions[rows[i]];
                if (!byPartition.TryGetValue(p, out var list)) byPartition[p] = list = [];
                list.Add(i);
            }
            foreach (var (p, sel) in byPartition)
                Feed((bucket, p), sel.Count == withOffsets.RowCount ? withOffsets : withOffsets.Gather(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sel)));
        }
    }

    private void Feed((int Bucket, int Partition) key, ColumnBatch stored)
    {
        if (!_builders.TryGetValue(key, out var builder))
        {
            builder = new SegmentBuilder(_stored, new SegmentWriterOptions { RowGroupRows = _engine.Options.RowGroupRows });
            _builders[key] = builder;
        }
        builder.Append(stored);
        if (builder.RowCount >= _engine.Options.CompactionTargetRows)
        {
            WriteFile(key, builder);
            _builders.Remove(key);
        }
    }

    private void WriteFile((int Bucket, int Partition) key, SegmentBuilder builder)
    {
        var image = builder.Finish();
        var partition = _partitionKeys[key.Partition];
        var segmentId = _engine.AllocateSegmentId();
        var path = _engine.SegmentPath(_table.Layout, segmentId, key.Bucket, partition);
        var fs = _engine.FileSystem;
        try
        {
            var dir = Path.GetDirectoryName(path)!;
            if (!fs.DirectoryExists(dir)) fs.CreateDirectory(dir);
            using var file = fs.Create(path);
            _files.Add((key.Bucket, new FileAppendPart(segmentId, partition, image.Footer.RowCount, 0, 0, image.Bytes.Length), path));
            file.Write(0, image.Bytes.Span);
            file.Sync();
        }
        catch (Exception e)
        {
            throw StorageErrors.Wrap(e, path, "write a segment file");
        }
        var offsets = image.Footer.ColumnStats(0);
        var last = _files[^1];
        _files[^1] = (last.Bucket, last.Part with { MinRelativeOffset = (long)offsets.MinInt, MaxRelativeOffset = (long)offsets.MaxInt }, last.Path);
    }

    /// <summary>
    /// Writes what is still buffered and returns the operations to commit. Segment files are durable when this
    /// returns (their directory entries too); if the commit then fails, call <see cref="Dispose"/> to delete them.
    /// </summary>
    public IReadOnlyList<LogOp> Finish()
    {
        if (_finished) throw new InvalidOperationException("append already finished");
        _finished = true;
        var ops = new List<LogOp>();
        if (!_fileMode)
        {
            if (_bufferedRows == 0) return ops;
            // Small append: one inline image per bucket, rows of all partitions together, in order.
            var perBucket = new Dictionary<int, SegmentBuilder>();
            foreach (var (batch, kind, kinds) in _buffered)
            {
                var buckets = new int[batch.RowCount];
                RouteBuckets(batch, buckets);
                var byBucket = new Dictionary<int, List<int>>();
                for (var r = 0; r < batch.RowCount; r++)
                {
                    if (!byBucket.TryGetValue(buckets[r], out var list)) byBucket[buckets[r]] = list = [];
                    list.Add(r);
                }
                foreach (var (bucket, rows) in byBucket)
                {
                    if (!perBucket.TryGetValue(bucket, out var builder))
                        perBucket[bucket] = builder = new SegmentBuilder(_stored, new SegmentWriterOptions { RowGroupRows = _engine.Options.RowGroupRows });
                    builder.Append(WithOffsets(batch, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), bucket, kind, kinds));
                }
            }
            foreach (var (bucket, builder) in perBucket.OrderBy(p => p.Key))
            {
                var image = builder.Finish();
                ops.Add(new AppendOp(_table.TableId, bucket, image.Footer.RowCount, [new InlineAppendPart(image.Bytes)]));
            }
            _buffered.Clear();
            return ops;
        }

        foreach (var (key, builder) in _builders) WriteFile(key, builder);
        _builders.Clear();
        var dirs = new HashSet<string>();
        foreach (var f in _files) dirs.Add(Path.GetDirectoryName(f.Path)!);
        foreach (var d in dirs) _engine.FileSystem.SyncDirectory(d);
        for (var bucket = 0; bucket < _bucketRows.Length; bucket++)
        {
            if (_bucketRows[bucket] == 0) continue;
            var parts = new List<AppendPart>();
            foreach (var f in _files) if (f.Bucket == bucket) parts.Add(f.Part);
            ops.Add(new AppendOp(_table.TableId, bucket, _bucketRows[bucket], parts));
        }
        return ops;
    }

    /// <summary>Deletes files written for a commit that did not happen. Call only when the commit failed or was abandoned.</summary>
    public void Abandon()
    {
        foreach (var f in _files)
        {
            _engine.ForgetUncommittedSegment(_table.TableId, f.Part.SegmentId);
            try { if (_engine.FileSystem.FileExists(f.Path)) _engine.FileSystem.DeleteFile(f.Path); }
            catch (Exception) { /* orphans are removed at the next open */ }
        }
        _files.Clear();
    }

    public void Dispose()
    {
        _builders.Clear();
        _buffered.Clear();
    }
}
