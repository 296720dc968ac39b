using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// The window mode of the group aggregate: groups are (window, key); a window's groups are emitted as +I once the
/// watermark reaches the window's last millisecond, then forgotten. The groups waiting for their window to close are
/// indexed by window end in memory and in state (namespace 3, one small entry per window end and group, so a window
/// with millions of groups is no single huge record), so a restart finds them.
/// </summary>
public sealed partial class StreamGroupAggregate
{
    private const byte PendingSpace = 3;

    private readonly int _windowEndKey;
    private readonly SortedDictionary<long, HashSet<byte[]>> _pending = [];
    private readonly Dictionary<(long End, byte[] Key), bool> _dirtyPending = new(PendingComparer.Instance);
    private bool _pendingLoaded;
    private long _watermark = long.MinValue;

    /// <summary>Rows that arrived after the watermark had closed their window (not applied; Flink drops them too).</summary>
    public long LateRows { get; private set; }

    /// <summary>Keeps the rows whose window is still open; false when none is.</summary>
    private bool DropLateRows(ref ChangeBatch batch, ref ColumnVector[] keyVectors)
    {
        LoadPending();
        if (_watermark == long.MinValue) return true;
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(keyVectors[_windowEndKey]);
        var n = batch.RowCount;
        var keep = new int[n];
        var kept = 0;
        for (var r = 0; r < n; r++)
        {
            if (!ends.IsNull(r) && EndMillis(ends.Values[r]) - 1 <= _watermark) continue;
            keep[kept++] = r;
        }
        if (kept == n) return true;
        LateRows += n - kept;
        ReportLateRows(batch.Rows, ends);
        if (kept == 0) return false;
        var selection = keep.AsSpan(0, kept);
        batch = batch.Gather(selection);
        for (var k = 0; k < keyVectors.Length; k++) keyVectors[k] = keyVectors[k].Gather(selection);
        return true;
    }

    private static long EndMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    private void RememberWindows(ColumnVector[] keyVectors, int slots)
    {
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(keyVectors[_windowEndKey]);
        for (var s = 0; s < slots; s++)
        {
            var end = ends.Values[_slotFirstRow[s]];
            if (!_pending.TryGetValue(end, out var groups)) _pending[end] = groups = new HashSet<byte[]>(ByteKeyComparer.Instance);
            if (groups.Add(_slotKeys[s])) _dirtyPending[(end, _slotKeys[s])] = true;
        }
    }

    private void FireWindows(long watermark)
    {
        LoadPending();
        if (watermark <= _watermark) return;
        _watermark = watermark;
        var fired = new List<long>();
        foreach (var (end, _) in _pending)
        {
            if (EndMillis(end) - 1 > watermark) break;
            fired.Add(end);
        }
        foreach (var end in fired)
        {
            var groups = _pending[end];
            EmitWindow(groups);
            _pending.Remove(end);
            // an entry added since the last save was never written: forgetting it beats writing a tombstone
            foreach (var key in groups)
                if (!_dirtyPending.Remove((end, key), out var added) || !added) _dirtyPending[(end, key)] = false;
        }
    }

    /// <summary>Emits the final results of a closed window's groups (+I) and deletes their state.</summary>
    private void EmitWindow(HashSet<byte[]> groups)
    {
        var keys = groups.ToList();
        _reads.Clear();
        foreach (var key in keys) _reads.Add(StateKey(key));
        _state.Session.Read(_reads);
        foreach (var a in _accumulators) a.Prepare(keys.Count);
        var live = new List<int>(keys.Count);
        var keyColumns = new ColumnVector[_keyTypes.Length];
        for (var k = 0; k < keyColumns.Length; k++) keyColumns[k] = ColumnVector.Create(_keyTypes[k], Math.Max(keys.Count, 1));
        for (var s = 0; s < keys.Count; s++)
        {
            if (!_reads.TryGetValue(s, out var stored)) continue;
            var reader = new ByteReader(stored, "group state");
            reader.ReadInt64(); // last touched
            if (reader.ReadInt64() <= 0) continue;
            foreach (var a in _accumulators) a.Load(s, ref reader);
            var keyReader = new ByteReader(keys[s], "group key");
            for (var k = 0; k < keyColumns.Length; k++) ValueCodec.ReadInto(ref keyReader, keyColumns[k]);
            live.Add(s);
        }
        foreach (var key in keys) _state.Session.Delete(StateKey(key));
        if (live.Count == 0) return;
        var slots = live.ToArray();
        var columns = new ColumnVector[keyColumns.Length + _accumulators.Length];
        Array.Copy(keyColumns, columns, keyColumns.Length);
        for (var i = 0; i < _accumulators.Length; i++) columns[keyColumns.Length + i] = _accumulators[i].Results(slots);
        _output.Push(new ChangeBatch(new ColumnBatch(columns, slots.Length)));
    }

    /// <summary>Writes the changed entries of the pending-window index (before the epoch's state checkpoint).</summary>
    private void SavePendingWindows()
    {
        foreach (var ((end, key), present) in _dirtyPending)
        {
            var stateKey = PendingKey(end, key);
            if (present) _state.Session.Upsert(stateKey, []);
            else _state.Session.Delete(stateKey);
        }
        _dirtyPending.Clear();
        _scratch.Clear();
        _scratch.WriteInt64(_watermark);
        _state.Session.Upsert(WatermarkKey(), _scratch.WrittenSpan);
    }

    private byte[] PendingKey(long end, byte[] group)
    {
        var w = _state.BeginKey(PendingSpace);
        w.WriteByte(1);
        w.WriteInt64(end);
        w.WriteBytes(group);
        return w.ToArray();
    }

    private sealed class PendingComparer : IEqualityComparer<(long End, byte[] Key)>
    {
        public static readonly PendingComparer Instance = new();
        public bool Equals((long End, byte[] Key) x, (long End, byte[] Key) y) => x.End == y.End && x.Key.AsSpan().SequenceEqual(y.Key);
        public int GetHashCode((long End, byte[] Key) obj) => HashCode.Combine(obj.End, ByteKeyComparer.Instance.GetHashCode(obj.Key));
    }

    private byte[] WatermarkKey()
    {
        var w = _state.BeginKey(PendingSpace);
        w.WriteByte(0);
        return w.ToArray();
    }

    /// <summary>After a restart: the windows still open and the watermark, from the last checkpoint.</summary>
    private void LoadPending()
    {
        if (_pendingLoaded) return;
        _pendingLoaded = true;
        if (_state.Session.TryRead(WatermarkKey(), out var stored)) _watermark = new ByteReader(stored, "window watermark").ReadInt64();
        var prefix = _state.BeginKey(PendingSpace);
        prefix.WriteByte(1);
        using var scan = _state.Session.ScanPrefix(prefix.WrittenSpan);
        while (scan.MoveNext())
        {
            var entry = scan.Key[(OperatorState.PrefixLength + 1)..];
            var end = new ByteReader(entry, "pending window").ReadInt64();
            if (!_pending.TryGetValue(end, out var groups)) _pending[end] = groups = new HashSet<byte[]>(ByteKeyComparer.Instance);
            groups.Add(entry[8..].ToArray());
        }
    }
}
