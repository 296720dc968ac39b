using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Flink's event-time temporal join (TemporalRowTimeJoinOperator): the versioned side's changes become versions per
/// key (+I/+U a version valid from its rowtime, -D a deletion from its rowtime, -U ignored); probe rows wait until
/// the combined watermark passes their time and then join the key's latest version not after that time (a LEFT
/// join pads them when there is none or the residual condition fails). When both inputs finish, everything still
/// waiting is emitted. Versions older than the latest one at the watermark are dropped.
/// <para>
/// State: one record per join key in the job's FASTER store holding its versions and waiting probe rows (rows as
/// <see cref="ValueCodec"/> bytes); the operator works on an in-memory copy, loaded at its first use, and writes the
/// keys it changed at every flush, so after a flush the store holds everything.
/// </para>
/// </summary>
public sealed partial class StreamTemporalJoin
{
    private const byte KeySpace = 1;

    private sealed record Version(long Time, byte[]? Row);

    private sealed record Waiting(long Time, long Seq, sbyte Kind, byte[] Row);

    private sealed class Entry
    {
        public readonly List<Version> Versions = [];
        public readonly List<Waiting> Waiting = [];
    }

    private readonly VectorExpression[] _leftKeys;
    private readonly int _leftTime;
    private readonly int[] _versionKeys;
    private readonly int _versionTime;
    private readonly VectorExpression? _residual;
    private readonly bool _leftOuter;
    private readonly DataType[] _outputTypes;
    private readonly int _leftWidth;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly Dictionary<byte[], Entry> _entries = new(ByteKeyComparer.Instance);
    private readonly HashSet<byte[]> _dirty = new(ByteKeyComparer.Instance);
    private readonly HashSet<byte[]> _withWaiting = new(ByteKeyComparer.Instance);
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _row = new(256);
    private readonly long[] _watermarks = [long.MinValue, long.MinValue];
    private readonly bool[] _finished = new bool[2];
    private long _emitted = long.MinValue;
    private long _nextSeq;
    private bool _loaded;

    public StreamTemporalJoin(IReadOnlyList<BoundExpression> leftKeys, int leftTime, IReadOnlyList<int> versionKeys, int versionTime,
        BoundExpression? residual, bool leftOuter, IReadOnlyList<DataType> outputTypes, int leftWidth, OperatorState state,
        ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _leftKeys = [.. leftKeys.Select(compiler.Compile)];
        _leftTime = leftTime;
        _versionKeys = [.. versionKeys];
        _versionTime = versionTime;
        _residual = residual is null ? null : compiler.CompileAs(residual, DataType.Boolean);
        _leftOuter = leftOuter;
        _outputTypes = [.. outputTypes];
        _leftWidth = leftWidth;
        _state = state;
        _output = output;
        Left = new Port(this, 0);
        Right = new Port(this, 1);
    }

    /// <summary>The probe side's input.</summary>
    public IChangeConsumer Left { get; }

    /// <summary>The versioned table's input.</summary>
    public IChangeConsumer Right { get; }

    /// <summary>Event time in microseconds (a precision above 6 stores nanoseconds).</summary>
    private static long Micros(ColumnVector v, int row) =>
        v.Type.Precision > 6 ? ((PrimitiveVector<long>)v).Values[row] / 1000 : ((PrimitiveVector<long>)v).Values[row];

    private Entry EntryOf(byte[] key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry();
            _entries[key] = entry;
        }
        return entry;
    }

    private void PushLeft(ChangeBatch batch)
    {
        Load();
        var rows = batch.Rows;
        var n = rows.RowCount;
        var keys = new ColumnVector[_leftKeys.Length];
        for (var k = 0; k < keys.Length; k++) keys[k] = _leftKeys[k].Evaluate(rows);
        var time = rows.Columns[_leftTime];
        List<(sbyte Kind, byte[] Row)>? unmatched = null;
        for (var r = 0; r < n; r++)
        {
            var kind = batch.Kinds is null ? (sbyte)0 : batch.Kinds[r];
            var row = EncodeRow(rows, 0, _leftWidth, r);
            if (time.IsNull(r) || !Lookup.LookupKeyCodec.TryWrite(_scratch, keys, r))
            {
                // A NULL key or time never matches a version.
                if (_leftOuter) (unmatched ??= []).Add((kind, row));
                continue;
            }
            var key = _scratch.WrittenSpan.ToArray();
            EntryOf(key).Waiting.Add(new Waiting(Micros(time, r), _nextSeq++, kind, row));
            _dirty.Add(key);
            _withWaiting.Add(key);
        }
        if (unmatched is not null) Emit(unmatched.Select(u => (u.Kind, u.Row, (byte[]?)null)).ToList());
    }

    private void PushRight(ChangeBatch batch)
    {
        Load();
        var rows = batch.Rows;
        var n = rows.RowCount;
        var time = rows.Columns[_versionTime];
        for (var r = 0; r < n; r++)
        {
            var kind = batch.KindOf(r);
            if (kind == Tarn.Storage.Tables.RowKind.UpdateBefore || time.IsNull(r)) continue;
            if (!Lookup.LookupKeyCodec.TryWrite(_scratch, rows, _versionKeys, r)) continue;
            var key = _scratch.WrittenSpan.ToArray();
            var versions = EntryOf(key).Versions;
            var version = new Version(Micros(time, r), kind == Tarn.Storage.Tables.RowKind.Delete ? null : EncodeRow(rows, 0, rows.ColumnCount, r));
            var at = versions.Count;
            while (at > 0 && versions[at - 1].Time > version.Time) at--;
            if (at > 0 && versions[at - 1].Time == version.Time) versions[at - 1] = version; // the last change at a time wins
            else versions.Insert(at, version);
            _dirty.Add(key);
        }
    }

    private byte[] EncodeRow(ColumnBatch rows, int from, int to, int row)
    {
        _row.Clear();
        for (var c = from; c < to; c++) ValueCodec.Write(_row, rows.Columns[c], row);
        return _row.ToArray();
    }

    private void OnWatermark(int input, long watermark)
    {
        _watermarks[input] = Math.Max(_watermarks[input], watermark);
        AdvanceWatermark();
    }

    private void AdvanceWatermark()
    {
        var min = _idle is null ? Math.Min(_watermarks[0], _watermarks[1]) : CombinedIgnoringIdle();
        if (min <= _emitted) return;
        _emitted = min;
        EmitUpTo(min == long.MaxValue ? long.MaxValue : min * 1000);
        if (min != long.MaxValue) _output.Watermark(min);
    }

    private void OnFinish(int input)
    {
        _finished[input] = true;
        if (!_finished[0] || !_finished[1])
        {
            OnFlush();
            return;
        }
        OnWatermark(0, long.MaxValue);
        OnWatermark(1, long.MaxValue);
        WriteDirty();
        _output.Finish();
    }

    private void OnFlush()
    {
        WriteDirty();
        _output.Flush();
    }

    /// <summary>Joins and emits the waiting rows with a time at or before <paramref name="micros"/>, in time order.</summary>
    private void EmitUpTo(long micros)
    {
        Load();
        var due = new List<(Waiting Row, byte[]? Version)>();
        List<byte[]>? drained = null;
        foreach (var key in _withWaiting)
        {
            var entry = _entries[key];
            var kept = 0;
            for (var i = 0; i < entry.Waiting.Count; i++)
            {
                var w = entry.Waiting[i];
                if (w.Time > micros)
                {
                    entry.Waiting[kept++] = w;
                    continue;
                }
                byte[]? version = null;
                for (var v = entry.Versions.Count - 1; v >= 0; v--)
                    if (entry.Versions[v].Time <= w.Time)
                    {
                        version = entry.Versions[v].Row;
                        break;
                    }
                due.Add((w, version));
            }
            if (kept == entry.Waiting.Count) continue;
            entry.Waiting.RemoveRange(kept, entry.Waiting.Count - kept);
            _dirty.Add(key);
            if (kept == 0) (drained ??= []).Add(key);
        }
        if (drained is not null) foreach (var key in drained) _withWaiting.Remove(key);
        if (micros != long.MaxValue) DropOldVersions(micros);
        if (due.Count == 0) return;
        due.Sort((a, b) => a.Row.Time != b.Row.Time ? a.Row.Time.CompareTo(b.Row.Time) : a.Row.Seq.CompareTo(b.Row.Seq));
        var rows = new List<(sbyte Kind, byte[] Row, byte[]? Version)>(due.Count);
        foreach (var (w, version) in due) rows.Add((w.Kind, w.Row, version));
        Emit(rows);
    }

    /// <summary>Keeps, per key, the latest version at or before the watermark and the later ones.</summary>
    private void DropOldVersions(long micros)
    {
        foreach (var (key, entry) in _entries)
        {
            var versions = entry.Versions;
            var latest = -1;
            for (var v = 0; v < versions.Count && versions[v].Time <= micros; v++) latest = v;
            if (latest <= 0) continue;
            versions.RemoveRange(0, latest);
            _dirty.Add(key);
        }
    }

    /// <summary>Emits probe rows joined with their version (null: none), applying the residual condition.</summary>
    private void Emit(List<(sbyte Kind, byte[] Row, byte[]? Version)> rows)
    {
        var joined = Decode(rows, null);
        var pass = new bool[rows.Count];
        if (_residual is null)
            for (var i = 0; i < pass.Length; i++) pass[i] = rows[i].Version is not null;
        else
        {
            var selection = new int[rows.Count];
            var selected = _residual.Select(joined, Execution.Vectors.Selection.All(rows.Count), selection);
            for (var i = 0; i < selected; i++) pass[selection[i]] = rows[selection[i]].Version is not null;
        }
        var keep = new List<int>();
        var anyPadded = false;
        for (var i = 0; i < pass.Length; i++)
        {
            if (pass[i]) keep.Add(i);
            else if (_leftOuter)
            {
                keep.Add(i);
                anyPadded = true;
            }
        }
        if (keep.Count == 0) return;
        var output = anyPadded ? Decode(rows, pass) : joined;
        if (keep.Count != rows.Count) output = output.Gather(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keep));
        sbyte[]? kinds = null;
        for (var i = 0; i < keep.Count; i++)
        {
            var kind = rows[keep[i]].Kind;
            if (kind == 0 && kinds is null) continue;
            kinds ??= new sbyte[keep.Count];
            kinds[i] = kind;
        }
        _output.Push(new ChangeBatch(output, kinds));
    }

    /// <summary>Decodes the probe rows and their versions (NULLs where there is none, or where <paramref name="joinedOnly"/> is false).</summary>
    private ColumnBatch Decode(List<(sbyte Kind, byte[] Row, byte[]? Version)> rows, bool[]? joinedOnly)
    {
        var columns = new ColumnVector[_outputTypes.Length];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(_outputTypes[c], rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var reader = new ByteReader(rows[i].Row, "temporal join state");
            for (var c = 0; c < _leftWidth; c++) ValueCodec.ReadInto(ref reader, columns[c]);
            if (rows[i].Version is { } version && (joinedOnly is null || joinedOnly[i]))
            {
                var v = new ByteReader(version, "temporal join state");
                for (var c = _leftWidth; c < columns.Length; c++) ValueCodec.ReadInto(ref v, columns[c]);
            }
            else
                for (var c = _leftWidth; c < columns.Length; c++) columns[c].AppendNull();
        }
        return new ColumnBatch(columns, rows.Count);
    }

    /// <summary>Loads every key's versions and waiting rows from state (a restarted job resumes with them).</summary>
    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        var prefix = new ByteWriter(16);
        _state.WritePrefix(prefix, KeySpace);
        using var scan = _state.Session.ScanPrefix(prefix.WrittenSpan);
        while (scan.MoveNext())
        {
            var key = scan.Key[OperatorState.PrefixLength..].ToArray();
            var entry = EntryOf(key);
            var r = new ByteReader(scan.Value, "temporal join state");
            var versions = r.ReadInt32();
            for (var i = 0; i < versions; i++)
            {
                var time = r.ReadInt64();
                var present = r.ReadByte() != 0;
                entry.Versions.Add(new Version(time, present ? r.ReadBlob().ToArray() : null));
            }
            var waiting = r.ReadInt32();
            for (var i = 0; i < waiting; i++)
            {
                var w = new Waiting(r.ReadInt64(), r.ReadInt64(), (sbyte)r.ReadByte(), r.ReadBlob().ToArray());
                entry.Waiting.Add(w);
                _nextSeq = Math.Max(_nextSeq, w.Seq + 1);
            }
            if (entry.Waiting.Count > 0) _withWaiting.Add(key);
        }
    }

    private void WriteDirty()
    {
        if (_dirty.Count == 0) return;
        var value = new ByteWriter(256);
        foreach (var key in _dirty)
        {
            var stateKey = _state.BeginKey(KeySpace);
            stateKey.WriteBytes(key);
            var entry = _entries[key];
            if (entry.Versions.Count == 0 && entry.Waiting.Count == 0)
            {
                _state.Session.Delete(stateKey.WrittenSpan);
                _entries.Remove(key);
                continue;
            }
            value.Clear();
            value.WriteInt32(entry.Versions.Count);
            foreach (var v in entry.Versions)
            {
                value.WriteInt64(v.Time);
                value.WriteByte(v.Row is null ? (byte)0 : (byte)1);
                if (v.Row is not null) value.WriteBlob(v.Row);
            }
            value.WriteInt32(entry.Waiting.Count);
            foreach (var w in entry.Waiting)
            {
                value.WriteInt64(w.Time);
                value.WriteInt64(w.Seq);
                value.WriteByte((byte)w.Kind);
                value.WriteBlob(w.Row);
            }
            _state.Session.Upsert(stateKey.WrittenSpan, value.WrittenSpan);
        }
        _dirty.Clear();
    }

    private sealed class Port(StreamTemporalJoin join, int index) : IChangeConsumer, EventTime.IWatermarkInput
    {
        public void AddSource(EventTime.SourceActivity source) => join.AddIdleSource(index, source);

        public void Push(ChangeBatch batch)
        {
            if (batch.RowCount == 0) return;
            if (index == 0) join.PushLeft(batch);
            else join.PushRight(batch);
        }

        public void Watermark(long watermark) => join.OnWatermark(index, watermark);

        public void Flush() => join.OnFlush();

        public void Finish() => join.OnFinish(index);
    }
}
