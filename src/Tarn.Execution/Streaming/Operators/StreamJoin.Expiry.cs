using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.State;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// State cleanup of interval joins over insert-only inputs (Flink's IntervalJoinOperator keeps rows only while they
/// can still match): a left row with time tl can only match right rows with tr in [tl - upper, tl - lower], so once
/// the right input's watermark passes tl - lower it leaves state (right rows likewise against the left watermark).
/// Rows are found by time through timer records: per side and time bucket, the join keys that received rows in that
/// bucket; a per-side directory lists the buckets. A watermark that passes a whole bucket loads its keys, drops their
/// expired rows and forgets the bucket. Outputs never change: an expired row had every match it could have.
/// </summary>
public sealed partial class StreamJoin
{
    /// <summary>
    /// Width of a timer bucket, in time units (microseconds): one millisecond. A bucket record lists every join key with
    /// rows in it, so at Nexmark's event rates (10 M events per event-time second) a one-second bucket outgrew a state
    /// record; the bucket directory stays small because expired buckets leave it as the watermark advances.
    /// </summary>
    private const long BucketUnits = 1_000;

    private IntervalJoinBounds? _interval;
    private readonly SortedSet<long>?[] _buckets = new SortedSet<long>?[2];
    private readonly StateReadBatch _timerReads = new();
    private readonly Dictionary<long, HashSet<byte[]>> _newTimers = [];
    private readonly List<long> _timerBuckets = [];

    /// <summary>Enables state cleanup by watermark; only for joins whose inputs never retract (a retraction of an
    /// expired row could not be applied).</summary>
    public void EnableIntervalExpiry(IntervalJoinBounds bounds) => _interval = bounds;

    /// <summary>
    /// Whether the other input of an interval join has ended (its watermark reached the end of time): no row can come
    /// to match this side's rows, so new rows of this side are not stored and stored ones are not read back one by one
    /// to expire them (that read of the whole buffered side dominated bounded jobs). What stays behind is the side's
    /// rows from before the other input ended, a bounded amount (inputs that both end finish the job).
    /// </summary>
    private bool OtherEnded(int side) => _interval is not null && _watermarks[1 - side] == long.MaxValue;

    private int TimeColumn(int side) => side == 0 ? _interval!.LeftTimeColumn : _interval!.RightTimeColumn;

    /// <summary>Whether rows of <paramref name="side"/> ever expire: left rows need a lower bound, right rows an upper one.</summary>
    private bool Expires(int side) => _interval is { } b && (side == 0 ? b.Lower is not null : b.Upper is not null);

    private static long BucketOf(long time) => time >= 0 ? time / BucketUnits : ((time + 1) / BucketUnits) - 1;

    /// <summary>Records, for the pushed rows, their join key under their time bucket.</summary>
    private void RegisterTimers(int side, ColumnBatch rows)
    {
        if (!Expires(side)) return;
        if (rows.Columns[TimeColumn(side)] is not PrimitiveVector<long> times) return;
        _newTimers.Clear();
        for (var r = 0; r < rows.RowCount; r++)
        {
            var slot = _slotOfRow[r];
            if (slot < 0 || times.IsNull(r)) continue;
            var bucket = BucketOf(times.Values[r]);
            if (!_newTimers.TryGetValue(bucket, out var keys)) _newTimers[bucket] = keys = new HashSet<byte[]>(ByteKeyComparer.Instance);
            keys.GetAlternateLookup<ReadOnlySpan<byte>>().Add(SlotKey(slot));
        }
        if (_newTimers.Count == 0) return;
        _timerReads.Clear();
        _timerBuckets.Clear();
        foreach (var bucket in _newTimers.Keys)
        {
            _timerBuckets.Add(bucket);
            _timerReads.Add(TimerKey(side, bucket));
        }
        _state.Session.Read(_timerReads);
        for (var i = 0; i < _timerBuckets.Count; i++)
        {
            var keys = _newTimers[_timerBuckets[i]];
            if (_timerReads.TryGetValue(i, out var stored))
            {
                var reader = new ByteReader(stored, "join timers");
                while (!reader.AtEnd) keys.GetAlternateLookup<ReadOnlySpan<byte>>().Add(reader.ReadBlob());
            }
            _value.Clear();
            foreach (var key in keys) _value.WriteBlob(key);
            _state.Session.Upsert(TimerKey(side, _timerBuckets[i]), _value.WrittenSpan);
        }
        var directory = Buckets(side);
        var changed = false;
        foreach (var bucket in _timerBuckets) changed |= directory.Add(bucket);
        if (changed) SaveBuckets(side, directory);
    }

    /// <summary>Drops the rows no future row of the other side can match, after a watermark advanced.</summary>
    private void Expire()
    {
        if (_interval is not { } bounds) return;
        for (var side = 0; side < 2; side++)
        {
            if (!Expires(side) || OtherEnded(side)) continue;
            var watermark = _watermarks[1 - side];
            if (watermark <= long.MinValue / 2 / IntervalJoinBounds.UnitsPerMilli) continue; // none yet
            var bound = side == 0 ? bounds.Lower!.Value : -bounds.Upper!.Value;
            var threshold = watermark >= long.MaxValue / IntervalJoinBounds.UnitsPerMilli / 2
                ? long.MaxValue / 2
                : (watermark * IntervalJoinBounds.UnitsPerMilli) + bound;
            ExpireSide(side, threshold);
        }
    }

    private void ExpireSide(int side, long threshold)
    {
        var directory = Buckets(side);
        _timerBuckets.Clear();
        foreach (var bucket in directory)
        {
            // a bucket is done when its newest possible time is expired
            if (bucket >= (long.MaxValue / BucketUnits) - 1 || ((bucket + 1) * BucketUnits) - 1 > threshold) break;
            _timerBuckets.Add(bucket);
        }
        if (_timerBuckets.Count == 0) return;
        _timerReads.Clear();
        foreach (var bucket in _timerBuckets) _timerReads.Add(TimerKey(side, bucket));
        _state.Session.Read(_timerReads);

        // the keys to clean become this round's slots
        _arena.Clear();
        _slots.Clear();
        _slotKeyOffsets.Clear();
        _slotKeyLengths.Clear();
        for (var i = 0; i < _timerBuckets.Count; i++)
        {
            if (!_timerReads.TryGetValue(i, out var stored)) continue;
            var reader = new ByteReader(stored, "join timers");
            while (!reader.AtEnd) SlotOf(AppendToArena(reader.ReadBlob()));
        }
        var slots = _slotKeyOffsets.Count;
        Load(slots);
        var view = _sides[side].View;
        var timeColumn = TimeColumn(side);
        var types = _sides[side].Types;
        for (var e = 0; e < view.Count; e++)
        {
            ref var entry = ref view.Entries[e];
            var reader = new ByteReader(Bytes(entry.Offset, entry.Length), "join state row");
            for (var c = 0; c < timeColumn; c++) ValueCodec.Skip(ref reader, types[c]);
            if (reader.ReadByte() == 0) continue;
            if (reader.ReadInt64() > threshold) continue;
            entry.Count = 0;
            view.Dirty[entry.Slot] = true;
        }
        Store(slots);
        foreach (var bucket in _timerBuckets)
        {
            _state.Session.Delete(TimerKey(side, bucket));
            directory.Remove(bucket);
        }
        SaveBuckets(side, directory);
    }

    private ReadOnlySpan<byte> TimerKey(int side, long bucket)
    {
        var w = _state.BeginKey((byte)(5 + side));
        w.WriteInt64(bucket);
        return w.WrittenSpan;
    }

    /// <summary>The side's timer buckets (cached; the cache is clean, every change is written through).</summary>
    private SortedSet<long> Buckets(int side)
    {
        if (_buckets[side] is { } cached) return cached;
        var set = new SortedSet<long>();
        if (_state.Session.TryRead(_state.BeginKey((byte)(7 + side)).WrittenSpan, out ReadOnlySpan<byte> stored))
        {
            var reader = new ByteReader(stored, "join timer buckets");
            while (!reader.AtEnd) set.Add(reader.ReadInt64());
        }
        return _buckets[side] = set;
    }

    private void SaveBuckets(int side, SortedSet<long> buckets)
    {
        _value.Clear();
        foreach (var b in buckets) _value.WriteInt64(b);
        var key = _state.BeginKey((byte)(7 + side)).WrittenSpan;
        if (buckets.Count == 0) _state.Session.Delete(key);
        else _state.Session.Upsert(key, _value.WrittenSpan);
    }
}
