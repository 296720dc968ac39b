using System.Collections.Immutable;

namespace Tarn.Storage.Tables;

/// <summary>
/// Thinning of old snapshots (storage-spec DB-031). Every commit makes a snapshot, and a server taking thousands of
/// commits a second would otherwise hold millions of them for the hour they are retained: memory, manifest size and
/// changelog compaction (whose boundaries are the retained snapshots) would all grow with the commit rate. So only the
/// newest <see cref="Engine.SnapshotRetention.DenseRetained"/> snapshots are all kept; older ones are kept one per
/// interval of <see cref="IntervalMicros"/>: the newest snapshot committed in each interval (t − 1 s, t] ending on a
/// whole second t. Time travel to any whole second therefore stays exact, and a timestamp that falls where snapshots
/// were removed is refused rather than answered with an older table.
/// </summary>
public static class SnapshotThinning
{
    public const long IntervalMicros = 1_000_000;

    /// <summary>The whole second ending the interval a commit at <paramref name="timestampMicros"/> belongs to.</summary>
    public static long IntervalEnd(long timestampMicros)
    {
        // Truncating division rounds toward zero, which is already the ceiling for negative times.
        var q = Math.DivRem(timestampMicros, IntervalMicros, out var r);
        return (r > 0 ? q + 1 : q) * IntervalMicros;
    }

    /// <summary>The exclusive start of that interval: snapshots thinned away before a retained one lie after it.</summary>
    public static long IntervalStart(long timestampMicros) => IntervalEnd(timestampMicros) - IntervalMicros;

    /// <summary>
    /// Applied after each snapshot is appended: the snapshot that just left the dense window is compared with the one
    /// before it, which is dropped when both fall in the same interval. Each snapshot leaves the window once, so the
    /// thinned part holds at most one snapshot per interval; the same step runs at commit and at replay.
    /// </summary>
    public static ImmutableList<SnapshotInfo> Thin(ImmutableList<SnapshotInfo> snapshots, int denseRetained)
    {
        var left = snapshots.Count - denseRetained - 1;
        if (left < 1) return snapshots;
        return IntervalEnd(snapshots[left].TimestampMicros) == IntervalEnd(snapshots[left - 1].TimestampMicros)
            ? snapshots.RemoveAt(left - 1)
            : snapshots;
    }
}
