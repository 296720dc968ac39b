using Tarn.Storage.Tables;

namespace Tarn.Server.Kafka;

/// <summary>
/// The commit time of rows of one bucket, for fetched records whose table keeps no record timestamp: the time of the
/// snapshot that added the row (every commit makes one), so a record shows the same timestamp on every fetch. Once
/// the newest 1000 snapshots have moved past it, snapshots are thinned to the newest of each second (storage-spec
/// DB-031) and the time is that of the newest commit of the same second; a row committed before the oldest retained
/// snapshot (they expire after the retention) has no known commit time and is reported as -1, Kafka's "no timestamp".
/// Lookups of ascending offsets (a fetch) reuse the last snapshot found.
/// </summary>
internal sealed class CommitTimes(IReadOnlyList<SnapshotInfo> snapshots, int bucket)
{
    private const long Unknown = -1;
    private long _from = long.MaxValue; // the cached range [_from, _to) of offsets committed at _millis
    private long _to = long.MinValue;
    private long _millis;

    public long MillisOf(long offset)
    {
        if (offset >= _from && offset < _to) return _millis;
        // the first snapshot whose end offset in the bucket lies past the row (end offsets never decrease)
        int lo = 0, hi = snapshots.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (EndOf(snapshots[mid]) > offset) hi = mid;
            else lo = mid + 1;
        }
        if (lo == snapshots.Count) return Unknown;
        var found = snapshots[lo];
        long from;
        if (lo > 0) from = EndOf(snapshots[lo - 1]);
        else if (found.SnapshotId <= 1) from = 0;
        else return Unknown; // older snapshots expired: the row may have been committed by any of them
        _from = from;
        _to = EndOf(found);
        _millis = found.TimestampMicros / 1000;
        return _millis;
    }

    private long EndOf(SnapshotInfo snapshot) => bucket < snapshot.EndOffsets.Length ? snapshot.EndOffsets[bucket] : 0;
}
