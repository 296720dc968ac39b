using System.Collections.Immutable;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Engine;

/// <summary>
/// Retention of snapshots for time travel (Paimon's defaults: keep an hour, and at least ten), with all of the newest
/// <paramref name="DenseRetained"/> kept and older ones thinned to one per second (DB-031).
/// </summary>
public sealed record SnapshotRetention(TimeSpan TimeRetained, int MinRetained, int MaxRetained, int DenseRetained = 1000)
{
    public static readonly SnapshotRetention Default = new(TimeSpan.FromHours(1), 10, int.MaxValue);
}

/// <summary>
/// The whole database's storage metadata at one commit sequence number. Applying a log record yields the next
/// state; the same code runs when committing and when replaying the log on open, so both agree by construction.
/// </summary>
public sealed class StorageState
{
    public StorageState(long seq, long nextTableId, long nextSegmentId, ReadOnlyMemory<byte> catalogImage, ImmutableDictionary<long, TableVersion> tables,
        ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>? jobs = null)
    {
        Seq = seq;
        NextTableId = nextTableId;
        NextSegmentId = nextSegmentId;
        CatalogImage = catalogImage;
        Tables = tables;
        Jobs = jobs ?? ImmutableSortedDictionary.Create<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
    }

    public static readonly StorageState Empty = new(0, 1, 1, ReadOnlyMemory<byte>.Empty, ImmutableDictionary<long, TableVersion>.Empty);

    public long Seq { get; }
    public long NextTableId { get; }
    public long NextSegmentId { get; }
    public ReadOnlyMemory<byte> CatalogImage { get; }
    public ImmutableDictionary<long, TableVersion> Tables { get; }

    /// <summary>The newest progress record of every streaming job, by job id (<see cref="JobProgressOp"/>).</summary>
    public ImmutableSortedDictionary<string, ReadOnlyMemory<byte>> Jobs { get; }

    /// <summary>What applying a record did, beyond the new state.</summary>
    public sealed class ApplyEffects
    {
        public List<(long TableId, SegmentEntry Segment)> ObsoleteSegments { get; } = [];
        public List<TableLayout> DroppedTables { get; } = [];
        public HashSet<long> ChangedTables { get; } = [];
        public bool CatalogChanged { get; set; }
    }

    /// <summary>Checks that a record can be applied (tables exist, ids are fresh) without changing anything.</summary>
    public void Validate(IReadOnlyList<LogOp> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case AppendOp a when !Tables.ContainsKey(a.TableId):
                case ReplaceOp r when !Tables.ContainsKey(r.TableId):
                case AlterSchemaOp s when !Tables.ContainsKey(s.TableId):
                case DropTableOp d when !Tables.ContainsKey(d.TableId):
                case ConsumerOp c when !Tables.ContainsKey(c.TableId):
                    throw new TarnException(SqlStates.UndefinedTable, "the table was dropped concurrently");
                case AppendOp a when a.Bucket >= Tables[a.TableId].Layout.BucketCount:
                    throw new TarnException(SqlStates.InternalError, $"bucket {a.Bucket} out of range");
                case ConsumerOp c when c.Offsets is not null && (c.Offsets.Length != Tables[c.TableId].Layout.BucketCount
                                                                 || c.Offsets.Where((o, b) => o < 0 || o > Tables[c.TableId].NextOffsets[b]).Any()):
                    throw new TarnException(SqlStates.OffsetOutOfRange, $"consumer '{c.Name}' positions do not fit the table's buckets");
                case CreateTableOp c when Tables.ContainsKey(c.Layout.TableId):
                    throw new TarnException(SqlStates.DuplicateTable, $"table id {c.Layout.TableId} exists");
                case ReplaceOp r:
                    ValidateReplace(Tables[r.TableId], r);
                    break;
            }
        }
    }

    /// <summary>
    /// A replace removes exactly what its writer saw (LOG-006): if a concurrent flush, compaction or overwrite already
    /// removed a part, applying it would drop or resurrect rows, so the commit fails and the writer retries.
    /// </summary>
    private static void ValidateReplace(TableVersion table, ReplaceOp r)
    {
        if (r.RemovedSegmentIds.Count > 0)
        {
            var present = new HashSet<long>();
            foreach (var s in table.Segments) present.Add(s.SegmentId);
            foreach (var id in r.RemovedSegmentIds)
                if (!present.Contains(id))
                    throw new TarnException(SqlStates.SerializationFailure, $"segment {id} of table {table.TableId} was replaced concurrently; retry");
        }
        if (r.RemovedInline.Count > 0)
        {
            var present = new HashSet<InlineRange>();
            foreach (var p in table.Inline) present.Add(new InlineRange(p.Bucket, p.BaseOffset));
            foreach (var range in r.RemovedInline)
                if (!present.Contains(range))
                    throw new TarnException(SqlStates.SerializationFailure, $"inline rows of table {table.TableId} were flushed concurrently; retry");
        }
    }

    /// <summary>
    /// True for a replace that removes rows without adding any: the removal half of INSERT OVERWRITE (DB-032).
    /// Flushes and compactions always add the segments holding the rows they remove.
    /// </summary>
    public static bool IsOverwrite(ReplaceOp r) => r.Added.Count == 0 && (r.RemovedSegmentIds.Count > 0 || r.RemovedInline.Count > 0);

    public StorageState Apply(LogRecord record, SnapshotRetention retention, ApplyEffects effects)
    {
        var tables = Tables;
        var nextTableId = NextTableId;
        var nextSegmentId = NextSegmentId;
        var catalog = CatalogImage;
        var jobs = Jobs;
        var rowsAdded = new Dictionary<long, long>();
        HashSet<long>? overwritten = null;

        foreach (var op in record.Ops)
        {
            switch (op)
            {
                case CreateTableOp c:
                    tables = tables.SetItem(c.Layout.TableId, TableVersion.Empty(c.Layout, record.Seq));
                    nextTableId = Math.Max(nextTableId, c.Layout.TableId + 1);
                    effects.ChangedTables.Add(c.Layout.TableId);
                    break;
                case DropTableOp d:
                    if (tables.TryGetValue(d.TableId, out var dropped))
                    {
                        effects.DroppedTables.Add(dropped.Layout);
                        tables = tables.Remove(d.TableId);
                        effects.ChangedTables.Add(d.TableId);
                    }
                    break;
                case AlterSchemaOp s:
                {
                    var t = Get(tables, s.TableId, record);
                    tables = tables.SetItem(s.TableId, t.With(layout: t.Layout with { Schema = s.Schema }, seq: record.Seq));
                    effects.ChangedTables.Add(s.TableId);
                    break;
                }
                case AppendOp a:
                {
                    var t = Get(tables, a.TableId, record);
                    if (a.BaseOffset != t.NextOffsets[a.Bucket])
                        ThrowHelper.Corrupt(null, $"commit {record.Seq} appends at offset {a.BaseOffset} of bucket {a.Bucket}, expected {t.NextOffsets[a.Bucket]}");
                    var segments = t.Segments;
                    var inline = t.Inline;
                    foreach (var part in a.Parts)
                    {
                        switch (part)
                        {
                            case InlineAppendPart i:
                                inline = inline.Add(new InlinePart(a.Bucket, a.BaseOffset, a.RowCount, i.Image, record.Seq));
                                break;
                            case FileAppendPart f:
                                segments = segments.Add(new SegmentEntry(f.SegmentId, a.Bucket, f.Partition, f.RowCount, a.BaseOffset,
                                    a.BaseOffset + f.MinRelativeOffset, a.BaseOffset + f.MaxRelativeOffset, f.FileLength));
                                nextSegmentId = Math.Max(nextSegmentId, f.SegmentId + 1);
                                break;
                        }
                    }
                    var next = t.NextOffsets.SetItem(a.Bucket, a.BaseOffset + a.RowCount);
                    tables = tables.SetItem(a.TableId, t.With(nextOffsets: next, segments: segments, inline: inline, seq: record.Seq));
                    rowsAdded[a.TableId] = rowsAdded.GetValueOrDefault(a.TableId) + a.RowCount;
                    effects.ChangedTables.Add(a.TableId);
                    break;
                }
                case ReplaceOp r:
                {
                    var t = Get(tables, r.TableId, record);
                    var segments = t.Segments;
                    if (r.RemovedSegmentIds.Count > 0)
                    {
                        var removed = new HashSet<long>(r.RemovedSegmentIds);
                        foreach (var s in t.Segments)
                            if (removed.Contains(s.SegmentId)) effects.ObsoleteSegments.Add((r.TableId, s));
                        segments = segments.RemoveAll(s => removed.Contains(s.SegmentId));
                    }
                    var inline = t.Inline;
                    if (r.RemovedInline.Count > 0)
                    {
                        var removed = new HashSet<InlineRange>(r.RemovedInline);
                        inline = inline.RemoveAll(p => removed.Contains(new InlineRange(p.Bucket, p.BaseOffset)));
                    }
                    foreach (var e in r.Added) nextSegmentId = Math.Max(nextSegmentId, e.SegmentId + 1);
                    if (IsOverwrite(r))
                    {
                        (overwritten ??= []).Add(r.TableId);
                        rowsAdded[r.TableId] = rowsAdded.GetValueOrDefault(r.TableId);
                    }
                    segments = segments.AddRange(r.Added);
                    tables = tables.SetItem(r.TableId, t.With(segments: segments, inline: inline, seq: record.Seq));
                    effects.ChangedTables.Add(r.TableId);
                    break;
                }
                case CatalogOp c:
                    catalog = c.Image;
                    effects.CatalogChanged = true;
                    break;
                case ConsumerOp c:
                {
                    var t = Get(tables, c.TableId, record);
                    var consumers = c.Offsets is null ? t.Consumers.Remove(c.Name) : t.Consumers.SetItem(c.Name, ImmutableArray.Create(c.Offsets));
                    tables = tables.SetItem(c.TableId, t.With(consumers: consumers, seq: record.Seq));
                    effects.ChangedTables.Add(c.TableId);
                    break;
                }
                case JobProgressOp j:
                    jobs = j.Progress is { } progress ? jobs.SetItem(j.JobId, progress) : jobs.Remove(j.JobId);
                    break;
            }
        }

        foreach (var (tableId, added) in rowsAdded)
        {
            var t = tables[tableId];
            var snapshot = new SnapshotInfo(t.LastSnapshotId + 1, record.Seq, record.TimestampMicros, t.NextOffsets.ToArray(), added);
            // The rows older snapshots hold are gone after an overwrite: they expire rather than answer differently.
            var previous = overwritten is not null && overwritten.Contains(tableId) ? ImmutableList<SnapshotInfo>.Empty : t.Snapshots;
            var snapshots = Expire(SnapshotThinning.Thin(previous.Add(snapshot), retention.DenseRetained), record.TimestampMicros, retention);
            tables = tables.SetItem(tableId, t.With(snapshots: snapshots, lastSnapshotId: snapshot.SnapshotId));
        }

        return new StorageState(record.Seq, nextTableId, nextSegmentId, catalog, tables, jobs);
    }

    private static ImmutableList<SnapshotInfo> Expire(ImmutableList<SnapshotInfo> snapshots, long nowMicros, SnapshotRetention retention)
    {
        var cutoff = nowMicros - (long)(retention.TimeRetained.TotalMilliseconds * 1000);
        var remove = 0;
        while (snapshots.Count - remove > retention.MinRetained
               && (snapshots.Count - remove > retention.MaxRetained || snapshots[remove].TimestampMicros < cutoff))
            remove++;
        return remove == 0 ? snapshots : snapshots.RemoveRange(0, remove);
    }

    private static TableVersion Get(ImmutableDictionary<long, TableVersion> tables, long id, LogRecord record) =>
        tables.TryGetValue(id, out var t) ? t : ThrowHelper.Corrupt<TableVersion>(null, $"commit {record.Seq} refers to unknown table {id}");

    public StorageState WithIds(long nextTableId, long nextSegmentId) =>
        new(Seq, Math.Max(NextTableId, nextTableId), Math.Max(NextSegmentId, nextSegmentId), CatalogImage, Tables, Jobs);
}
