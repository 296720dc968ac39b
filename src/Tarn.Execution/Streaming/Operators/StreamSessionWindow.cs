using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.State;
using Tarn.Execution.WindowTvf;
using Tarn.Planner.Logical;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(ts), gap) on an insert-only stream with a watermark (Flink's
/// merging session windows): per partition, each row opens the window [ts, ts + gap); windows that touch or overlap
/// merge as rows arrive (Flink's TimeWindow.intersects, as in the batch <see cref="SessionWindowOperator"/>). A
/// session is final once the watermark reaches its last millisecond (end - 1): then its rows are emitted once (+I)
/// with window_start, window_end and window_time appended, and forgotten. A row whose merged session would already
/// be final is late: dropped, counted in <see cref="LateRows"/> and reported (event time = the merged session's end)
/// when the job routes late rows to a table. A GROUP BY window_start, window_end above
/// aggregates each session once (the window mode of the group aggregate), so the output is insert-only.
/// <para>
/// State: the rows of open sessions (<see cref="EventTimeBuffer"/>, one entry per row holding its partition key and
/// the row); the sessions themselves (bounds and row ids) are an in-memory index rebuilt from those entries after a
/// restart, so nothing dirty stays in memory across a Flush.
/// </para>
/// </summary>
public sealed class StreamSessionWindow : IChangeConsumer, ILateRowOperator
{
    private const byte RowSpace = 1;

    private readonly int _timeColumn;
    private readonly int[] _partitionColumns;
    private readonly long _gap;
    private readonly WindowClock _clock;
    private readonly DataType[] _inputTypes;
    private readonly DataType[] _outputTypes;
    private readonly EventTimeBuffer _buffer;
    private readonly IChangeConsumer _output;
    private readonly Dictionary<byte[], List<Session>> _open = new(ByteKeyComparer.Instance);
    private readonly SortedDictionary<long, List<Session>> _byEnd = [];
    private readonly ByteWriter _key = new(64);
    private readonly ByteWriter _value = new(256);
    private bool _loaded;

    private sealed class Session(byte[] partition, long start, long end)
    {
        public byte[] Partition { get; } = partition;
        public long Start { get; set; } = start;
        public long End { get; set; } = end;
        public List<(long Bucket, long Sequence)> Rows { get; } = [];
    }

    public StreamSessionWindow(LogicalWindowTvf node, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        if (node.Kind != WindowTvfKind.Session) throw new ArgumentException("only SESSION windows", nameof(node));
        _timeColumn = node.TimeColumn;
        _partitionColumns = [.. node.PartitionColumns];
        _gap = node.SizeMillis;
        _inputTypes = [.. node.Input.Output.Select(c => c.Type)];
        _clock = new WindowClock(_inputTypes[node.TimeColumn], context.SessionTimeZone);
        _outputTypes = [.. node.Output.Select(c => c.Type)];
        _buffer = new EventTimeBuffer(state, RowSpace);
        _output = output;
    }

    /// <summary>Rows dropped because the watermark had passed the end of their session when they arrived.</summary>
    public long LateRows { get; private set; }

    public LateRowReporter? LateRowReporter { get; set; }

    /// <summary>Sessions waiting for the watermark.</summary>
    public int OpenSessions
    {
        get
        {
            var n = 0;
            foreach (var (_, sessions) in _open) n += sessions.Count;
            return n;
        }
    }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        batch.RequireInsertOnly("SESSION windows in streaming mode");
        Load();
        var rows = batch.Rows;
        var time = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(rows[_timeColumn]);
        List<int>? late = null;
        List<long>? lateEnds = null;
        for (var r = 0; r < n; r++)
        {
            if (time.IsNull(r)) continue; // in no window, as in batch mode
            var t = _clock.ToMillis(time.Values[r]);
            _key.Clear();
            foreach (var c in _partitionColumns) ValueCodec.Write(_key, rows[c], r);
            var partition = _key.ToArray();
            if (!_open.TryGetValue(partition, out var sessions)) sessions = null;
            long start = t, end = t + _gap;
            if (sessions is not null)
                foreach (var s in sessions)
                    if (Touches(s, start, end)) { start = Math.Min(start, s.Start); end = Math.Max(end, s.End); }
            if (end - 1 <= _buffer.Watermark)
            {
                LateRows++;
                if (LateRowReporter is not null)
                {
                    (late ??= []).Add(r);
                    (lateEnds ??= []).Add(end);
                }
                continue;
            }
            _value.Clear();
            _value.WriteBlob(partition);
            RowCodec.Write(_value, rows, r);
            var sequence = _buffer.Add(t, _value.WrittenSpan);
            AddRow(partition, t, sequence);
        }
        if (late is not null) LateRowReporter!.Report(rows, [.. late], [.. lateEnds!], _buffer.Watermark);
    }

    private static bool Touches(Session s, long start, long end) => start <= s.End && end >= s.Start;

    /// <summary>Puts a row of time <paramref name="t"/> into its partition's sessions, merging those it touches.</summary>
    private void AddRow(byte[] partition, long t, long sequence)
    {
        if (!_open.TryGetValue(partition, out var sessions)) _open[partition] = sessions = [];
        var merged = new Session(partition, t, t + _gap);
        merged.Rows.Add((t, sequence));
        // One merge can make the window touch a session it did not touch before: repeat until nothing touches.
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = sessions.Count - 1; i >= 0; i--)
            {
                var s = sessions[i];
                if (!Touches(s, merged.Start, merged.End)) continue;
                merged.Start = Math.Min(merged.Start, s.Start);
                merged.End = Math.Max(merged.End, s.End);
                merged.Rows.AddRange(s.Rows);
                sessions.RemoveAt(i);
                Unindex(s);
                changed = true;
            }
        }
        sessions.Add(merged);
        if (!_byEnd.TryGetValue(merged.End, out var ending)) _byEnd[merged.End] = ending = [];
        ending.Add(merged);
    }

    private void Unindex(Session s)
    {
        if (!_byEnd.TryGetValue(s.End, out var ending)) return;
        ending.Remove(s);
        if (ending.Count == 0) _byEnd.Remove(s.End);
    }

    public void Watermark(long watermark)
    {
        Load();
        if (watermark > _buffer.Watermark)
        {
            _buffer.Watermark = watermark;
            Fire(watermark);
        }
        _output.Watermark(watermark);
    }

    /// <summary>Emits the sessions whose last millisecond the watermark has reached and forgets them.</summary>
    private void Fire(long watermark)
    {
        var fired = new List<Session>();
        var ends = new List<long>();
        foreach (var (end, sessions) in _byEnd)
        {
            if (end - 1 > watermark) break;
            fired.AddRange(sessions);
            ends.Add(end);
        }
        if (fired.Count == 0) return;
        foreach (var end in ends) _byEnd.Remove(end);
        var ids = new List<(long Bucket, long Sequence)>();
        var starts = new List<long>();
        var endsOfRows = new List<long>();
        var windowTimes = new List<long>();
        foreach (var s in fired)
        {
            var sessions = _open[s.Partition];
            sessions.Remove(s);
            if (sessions.Count == 0) _open.Remove(s.Partition);
            var windowTime = _clock.WindowTimeMicros(s.End);
            foreach (var id in s.Rows)
            {
                ids.Add(id);
                starts.Add(s.Start * 1000);
                endsOfRows.Add(s.End * 1000);
                windowTimes.Add(windowTime);
            }
        }
        var values = _buffer.Take(ids);
        var columns = RowCodec.NewColumns(_inputTypes, values.Count);
        foreach (var value in values)
        {
            var reader = new ByteReader(value, "session row");
            reader.ReadBlob(); // partition key
            RowCodec.ReadInto(ref reader, columns);
        }
        var rows = new ColumnBatch(columns, values.Count);
        _output.Push(new ChangeBatch(WindowTvfOperator.WithWindowColumns(rows, [.. starts], [.. endsOfRows], [.. windowTimes], values.Count, _outputTypes)));
    }

    /// <summary>After a restart: the open sessions, rebuilt from the buffered rows (merging them in time order).</summary>
    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        var held = new List<(byte[] Partition, long Time, long Sequence)>();
        _buffer.EnsureLoaded((bucket, sequence, value) =>
        {
            var reader = new ByteReader(value, "session row");
            held.Add((reader.ReadBlob().ToArray(), bucket, sequence));
        });
        held.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        foreach (var (partition, time, sequence) in held) AddRow(partition, time, sequence);
    }

    public void Flush()
    {
        _buffer.Save();
        _output.Flush();
    }

    public void Finish() => _output.Finish();
}
