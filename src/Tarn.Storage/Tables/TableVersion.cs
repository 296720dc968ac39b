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

    /// <summary>The snapshot with this id, or null if it never existed, has expired or was thinned out (DB-031).</summary>
    public SnapshotInfo? FindSnapshot(long snapshotId)
    {
        // Ids ascend along the list (thinning and expiry only remove), so a binary search finds it.
        int lo = 0, hi = Snapshots.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var id = Snapshots[mid].SnapshotId;
            if (id == snapshotId) return Snapshots[mid];
            if (id < snapshotId) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
    }

    /// <summary>
    /// The newest retained snapshot committed at or before <paramref name="timestampMicros"/>, or null when none is.
    /// <paramref name="exact"/> is false when snapshots thinned out by retention (DB-031) may lie between that snapshot
    /// and the timestamp, so that reading it would not give the table as of that time.
    /// </summary>
    public SnapshotInfo? FindSnapshotAsOf(long timestampMicros, out bool exact)
    {
        exact = true;
        int lo = 0, hi = Snapshots.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Snapshots[mid].TimestampMicros <= timestampMicros)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }
        if (found < 0 || found == Snapshots.Count - 1) return found < 0 ? null : Snapshots[found];
        // Thinning removed the snapshots between two retained ones only from the later one's thinning interval, so
        // the answer is exact unless the timestamp falls inside that interval.
        var next = Snapshots[found + 1];
        if (next.SnapshotId > Snapshots[found].SnapshotId + 1 && timestampMicros > SnapshotThinning.IntervalStart(next.TimestampMicros))
            exact = false;
        return Snapshots[found];
    }
}
