using System.Collections.Immutable;

namespace Tarn.Storage.Tables;

/// <summary>
/// An immutable picture of one table's storage at a commit: where every row lives (segment files and inline
/// parts), the next offset of each bucket, the retained snapshots and the durable consumers. A commit publishes a
/// new version; readers keep using the version they started with.
/// </summary>
public sealed class TableVersion
{
    public TableVersion(
        TableLayout layout,
        ImmutableArray<long> nextOffsets,
        ImmutableList<SegmentEntry> segments,
        ImmutableList<InlinePart> inline,
        ImmutableList<SnapshotInfo> snapshots,
        long lastSnapshotId,
        ImmutableDictionary<string, ImmutableArray<long>> consumers,
        long seq)
    {
        Layout = layout;
        NextOffsets = nextOffsets;
        Segments = segments;
        Inline = inline;
        Snapshots = snapshots;
        LastSnapshotId = lastSnapshotId;
        Consumers = consumers;
        Seq = seq;
        long bytes = 0;
        foreach (var p in inline) bytes += p.Image.Length;
        InlineBytes = bytes;
    }

    public static TableVersion Empty(TableLayout layout, long seq) => new(
        layout,
        ImmutableArray.Create(new long[layout.BucketCount]),
        ImmutableList<SegmentEntry>.Empty,
        ImmutableList<InlinePart>.Empty,
        ImmutableList<SnapshotInfo>.Empty,
        0,
        ImmutableDictionary<string, ImmutableArray<long>>.Empty,
        seq);

    public TableLayout Layout { get; }
    public long TableId => Layout.TableId;

    /// <summary>Per bucket, the offset the next appended row will get (= number of rows ever appended).</summary>
    public ImmutableArray<long> NextOffsets { get; }
    public ImmutableList<SegmentEntry> Segments { get; }
    public ImmutableList<InlinePart> Inline { get; }
    public ImmutableList<SnapshotInfo> Snapshots { get; }
    public long LastSnapshotId { get; }
    public ImmutableDictionary<string, ImmutableArray<long>> Consumers { get; }

    /// <summary>Sequence number of the last commit that changed this table.</summary>
    public long Seq { get; }

    /// <summary>Bytes of rows held inline (in memory and in the log) and not yet flushed to segment files.</summary>
    public long InlineBytes { get; }

    public long TotalRows
    {
        get
        {
            long n = 0;
            foreach (var o in NextOffsets) n += o;
            return n;
        }
    }

    public SnapshotInfo? LatestSnapshot => Snapshots.Count == 0 ? null : Snapshots[^1];

    internal TableVersion With(
        TableLayout? layout = null,
        ImmutableArray<long>? nextOffsets = null,
        ImmutableList<SegmentEntry>? segments = null,
        ImmutableList<InlinePart>? inline = null,
        ImmutableList<SnapshotInfo>? snapshots = null,
        long? lastSnapshotId = null,
        ImmutableDictionary<string, ImmutableArray<long>>? consumers = null,
        long? seq = null) => new(
            layout ?? Layout,
            nextOffsets ?? NextOffsets,
            segments ?? Segments,
            inline ?? Inline,
            snapshots ?? Snapshots,
            lastSnapshotId ?? LastSnapshotId,
            consumers ?? Consumers,
            seq ?? Seq);

    /// <summary>The snapshot with this id, or null if it never existed or has expired.</summary>
    public SnapshotInfo? FindSnapshot(long snapshotId)
    {
        foreach (var s in Snapshots) if (s.SnapshotId == snapshotId) return s;
        return null;
    }

    /// <summary>The newest snapshot committed at or before <paramref name="timestampMicros"/>.</summary>
    public SnapshotInfo? FindSnapshotAsOf(long timestampMicros)
    {
        SnapshotInfo? best = null;
        foreach (var s in Snapshots)
        {
            if (s.TimestampMicros <= timestampMicros) best = s;
            else break;
        }
        return best;
    }
}
