using Tarn.Storage.IO;
using Tarn.Storage.Log;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Engine;

public sealed partial class StorageEngine
{
    private readonly Thread? _background;
    private readonly SemaphoreSlim _backgroundSignal = new(0);
    private volatile bool _stopBackground;
    private volatile Exception? _backgroundError;
    private TaskCompletionSource _inlineSpace = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last error of background work (flush, compaction, checkpoint), if it is failing.</summary>
    public Exception? BackgroundError => _backgroundError;

    private void SignalBackground()
    {
        if (_background is not null && _backgroundSignal.CurrentCount == 0) _backgroundSignal.Release();
    }

    private void StopBackground()
    {
        _stopBackground = true;
        if (_background is null) return;
        _backgroundSignal.Release();
        _background.Join();
    }

    /// <summary>Total inline bytes over all tables.</summary>
    public long InlineBytes
    {
        get
        {
            long n = 0;
            foreach (var t in _state.Tables.Values) n += t.InlineBytes;
            return n;
        }
    }

    /// <summary>Waits while inline rows exceed <see cref="StorageOptions.MaxInlineBytes"/> (writers call this before committing).</summary>
    public async Task WaitForInlineSpaceAsync(CancellationToken cancellation)
    {
        while (InlineBytes > Options.MaxInlineBytes && !_disposed)
        {
            if (_background is null)
            {
                RunMaintenance(force: true);
                return;
            }
            SignalBackground();
            var wait = Volatile.Read(ref _inlineSpace).Task;
            await Task.WhenAny(wait, Task.Delay(100, cancellation)).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    private void BackgroundLoop()
    {
        while (!_stopBackground)
        {
            _backgroundSignal.Wait(Options.FlushInterval / 4 + TimeSpan.FromMilliseconds(10));
            if (_stopBackground) break;
            try
            {
                RunMaintenance(force: false);
                _backgroundError = null;
            }
            catch (Exception e)
            {
                // Disk full and similar: keep the data inline and retry later; writers see their own errors.
                _backgroundError = e;
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>
    /// One round of background work: flush inline rows, compact small files, write a manifest, delete obsolete
    /// files. Runs on the background thread, or synchronously from tests and from <see cref="Checkpoint"/>.
    /// </summary>
    public void RunMaintenance(bool force)
    {
        var now = NowMicros();
        // Over the database-wide bound, writers are waiting (back-pressure): flush whatever is inline, even if no
        // table reached its own trigger, or they would wait for the age trigger (or forever, if that is long).
        var overBound = InlineBytes > Options.MaxInlineBytes;
        foreach (var table in _state.Tables.Values)
        {
            if (table.Inline.Count == 0) continue;
            var oldest = OldestInlineTimestamp(table);
            if (force || overBound || table.InlineBytes >= Options.FlushInlineBytes || table.Inline.Count >= Options.FlushInlineParts
                || now - oldest >= (long)(Options.FlushInterval.TotalMilliseconds * 1000))
                Flush(table);
        }
        Interlocked.Exchange(ref _inlineSpace, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        foreach (var table in _state.Tables.Values) Compact(table);
        if (force || Interlocked.Read(ref _logBytesSinceManifest) >= Options.CheckpointLogBytes) Checkpoint();
        DeleteObsoleteFiles();
    }

    private static long OldestInlineTimestamp(TableVersion table)
    {
        // Inline parts record their commit sequence; the snapshot list maps sequences to times.
        var seq = table.Inline[0].Seq;
        foreach (var s in table.Snapshots)
            if (s.Seq >= seq) return s.TimestampMicros;
        return 0;
    }

    /// <summary>Writes a manifest of the current state and deletes log files older than the previous manifest.</summary>
    public void Checkpoint()
    {
        lock (_checkpointLock)
        {
            var state = _state;
            if (state.Seq == _lastManifestSeq) return;
            var before = Interlocked.Read(ref _logBytesSinceManifest);
            _manifests.Write(state);
            Interlocked.Add(ref _logBytesSinceManifest, -before);
            _previousManifestSeq = _lastManifestSeq;
            _lastManifestSeq = state.Seq;
            // Keep the log since the previous manifest, so a damaged newest manifest can still be recovered from.
            if (_previousManifestSeq > 0) _log.DeleteFilesUpTo(_previousManifestSeq);
        }
    }

    private readonly object _checkpointLock = new();

    /// <summary>
    /// Moves a table's inline rows into segment files now, so every row lives in a file of one partition (an
    /// INSERT OVERWRITE of partitions removes whole files). Retries when background work flushed concurrently.
    /// </summary>
    public void FlushTable(long tableId)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var table = GetTable(tableId);
            if (table is null || table.Inline.Count == 0) return;
            try
            {
                Flush(table);
                return;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure)
            {
                // The background thread flushed some of these parts first; look again.
            }
        }
        throw new TarnException(SqlStates.SerializationFailure, $"could not flush table {tableId}: concurrent flushes kept conflicting; retry");
    }

    /// <summary>Moves a table's inline rows into segment files, one per partition and bucket.</summary>
    private void Flush(TableVersion table)
    {
        var layout = table.Layout;
        var stored = SystemColumns.StoredSchema(layout);
        var router = new RowRouter(layout);
        var keys = new List<PartitionKey>();
        var index = new Dictionary<PartitionKey, int>();
        var builders = new Dictionary<(int, int), SegmentBuilder>();
        var removed = new List<InlineRange>();
        foreach (var part in table.Inline.OrderBy(p => p.Bucket).ThenBy(p => p.BaseOffset))
        {
            using var reader = SegmentReader.Open(new MemorySegmentSource(part.Image, $"inline rows of table {layout.TableId} bucket {part.Bucket} at offset {part.BaseOffset}"));
            var batch = ReadAll(reader, layout);
            // Make $offset absolute: flushed files have base offset 0.
            var offsets = (PrimitiveVector<long>)batch.Columns[0];
            for (var i = 0; i < batch.RowCount; i++) offsets.Values[i] += part.BaseOffset;
            var user = new ColumnBatch(batch.Columns[SystemColumns.Prefix(layout)..], batch.RowCount);
            var partitions = new int[batch.RowCount];
            router.RoutePartitions(user, partitions, keys, index);
            var groups = new Dictionary<int, List<int>>();
            for (var r = 0; r < batch.RowCount; r++)
            {
                if (!groups.TryGetValue(partitions[r], out var list)) groups[partitions[r]] = list = [];
                list.Add(r);
            }
            foreach (var (p, rows) in groups)
            {
                if (!builders.TryGetValue((part.Bucket, p), out var b))
                    builders[(part.Bucket, p)] = b = new SegmentBuilder(stored, new SegmentWriterOptions { RowGroupRows = Options.RowGroupRows });
                if (rows.Count == batch.RowCount) b.Append(batch);
                else b.Append(batch, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
            }
            removed.Add(new InlineRange(part.Bucket, part.BaseOffset));
        }
        var added = WriteSegments(layout, builders, keys);
        Commit(new ReplaceOp(layout.TableId, added.Select(a => a.Entry).ToList(), [], removed), added);
    }

    private List<(SegmentEntry Entry, string Path)> WriteSegments(TableLayout layout, Dictionary<(int Bucket, int Partition), SegmentBuilder> builders, List<PartitionKey> keys)
    {
        var added = new List<(SegmentEntry, string)>();
        var dirs = new HashSet<string>();
        try
        {
            foreach (var ((bucket, p), builder) in builders)
            {
                var image = builder.Finish();
                var id = AllocateSegmentId();
                var offsets = image.Footer.ColumnStats(0);
                var entry = new SegmentEntry(id, bucket, keys[p], image.Footer.RowCount, 0, (long)offsets.MinInt, (long)offsets.MaxInt, image.Bytes.Length);
                var path = SegmentPath(layout, entry);
                var dir = Path.GetDirectoryName(path)!;
                if (!_fs.DirectoryExists(dir)) _fs.CreateDirectory(dir);
                using (var f = _fs.Create(path))
                {
                    added.Add((entry, path));
                    f.Write(0, image.Bytes.Span);
                    f.Sync();
                }
                dirs.Add(dir);
            }
            foreach (var d in dirs) _fs.SyncDirectory(d);
        }
        catch (Exception e)
        {
            DeleteQuietly(added);
            throw StorageErrors.Wrap(e, TableDirectory(layout.TableId), "write segment files");
        }
        return added;
    }

    private void Commit(ReplaceOp op, List<(SegmentEntry Entry, string Path)> files)
    {
        try
        {
            CommitAsync([op]).GetAwaiter().GetResult();
        }
        catch
        {
            DeleteQuietly(files);
            throw;
        }
    }

    private void DeleteQuietly(List<(SegmentEntry Entry, string Path)> files)
    {
        foreach (var (_, path) in files)
        {
            try { if (_fs.FileExists(path)) _fs.DeleteFile(path); } catch (Exception) { /* orphan, removed at next open */ }
        }
    }

    /// <summary>Reads every column of every row group of a segment into one batch (stored schema order).</summary>
    internal static ColumnBatch ReadAll(SegmentReader reader, TableLayout layout)
    {
        var footer = reader.Footer;
        var stored = SystemColumns.StoredSchema(layout);
        var total = checked((int)footer.RowCount);
        var cols = new ColumnVector[stored.Count];
        for (var c = 0; c < stored.Count; c++)
        {
            var fileColumn = footer.Schema.IndexOfId(stored[c].Id);
            var vector = ColumnVector.Create(stored[c].Type, Math.Max(total, 1));
            for (var rg = 0; rg < footer.RowGroups.Count; rg++)
            {
                var rows = footer.RowGroups[rg].RowCount;
                if (fileColumn < 0)
                {
                    // A file without $kind (written before primary-key tables stored it) holds inserts.
                    if (stored[c].Id == SystemColumns.RowKindId)
                        for (var i = 0; i < rows; i++) ((PrimitiveVector<sbyte>)vector).Append((sbyte)RowKind.Insert);
                    else
                        for (var i = 0; i < rows; i++) vector.AppendNull();
                    continue;
                }
                var part = reader.ReadColumn(rg, fileColumn);
                if (part is DictionaryVector d) part = d.Flatten();
                for (var i = 0; i < rows; i++) vector.AppendFrom(part, i);
            }
            cols[c] = vector;
        }
        return new ColumnBatch(cols, total);
    }

    /// <summary>
    /// Size-tiered compaction: small files of one bucket and partition are grouped into tiers of similar size
    /// (powers of four rows), and a tier with enough files is merged into one file of the next tier. Every row is
    /// therefore rewritten O(log n) times, not once per compaction round.
    /// </summary>
    private void Compact(TableVersion table)
    {
        var groups = table.Segments
            .Where(s => s.RowCount < Options.CompactionTargetRows / 2)
            .GroupBy(s => (s.Bucket, s.Partition, Tier: (int)Math.Log(Math.Max(1, s.RowCount), 4)));
        foreach (var group in groups)
        {
            var small = group.OrderBy(s => s.MinOffset).ToList();
            if (small.Count < Options.CompactionMinFiles) continue;
            var layout = table.Layout;
            var stored = SystemColumns.StoredSchema(layout);
            var batches = new List<ColumnBatch>();
            var taken = new List<long>();
            long rows = 0;
            using var lease = AcquireLease();
            foreach (var s in small)
            {
                if (rows >= Options.CompactionTargetRows) break;
                var reader = OpenSegment(layout, s);
                var batch = ReadAll(reader, layout);
                if (s.BaseOffset != 0)
                {
                    var offsets = (PrimitiveVector<long>)batch.Columns[0];
                    for (var i = 0; i < batch.RowCount; i++) offsets.Values[i] += s.BaseOffset;
                }
                batches.Add(batch);
                rows += batch.RowCount;
                taken.Add(s.SegmentId);
            }
            if (taken.Count < 2) continue;
            // Files of one partition can interleave in offset order (a flush of inline rows around a large direct
            // append), so merge by offset rather than concatenate.
            var builder = new SegmentBuilder(stored, new SegmentWriterOptions { RowGroupRows = Options.RowGroupRows });
            var ordered = OffsetOrder.Merge(batches);
            // A primary-key table keeps only the versions a reader can still need (storage-spec DB-052).
            if (layout.HasPrimaryKey) ordered = ChangelogCompaction.KeepNeeded(ordered, layout, ChangelogCompaction.Boundaries(table, group.Key.Bucket));
            foreach (var b in ordered) builder.Append(b);
            var keys = new List<PartitionKey> { group.Key.Partition };
            var added = WriteSegments(layout, new Dictionary<(int, int), SegmentBuilder> { [(group.Key.Bucket, 0)] = builder }, keys);
            Commit(new ReplaceOp(layout.TableId, added.Select(a => a.Entry).ToList(), taken, []), added);
        }
    }
}
