using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Window join (Flink's WindowJoinOperator): both inputs are insert-only window outputs (window TVFs or window
/// aggregates) and the equi-join keys include both sides' window_end. Rows are buffered per (window end, join key)
/// and side as they arrive; when the merged watermark (min of the inputs, idle inputs left out) reaches the window's
/// last millisecond the window's rows are joined — inner, LEFT/RIGHT/FULL with NULL padding, SEMI, ANTI — emitted as
/// inserts only, and the window's state is deleted. A row whose window had already fired when it arrived is late:
/// dropped and counted in <see cref="LateRows"/>. A row with a NULL join key never matches: an outer (or anti) side
/// emits it padded at once, other sides drop it.
/// <para>
/// State: per (side, window end, join key) one chunk entry per input batch with rows for it, written blind as rows
/// arrive (an append reads nothing); the windows still open and their chunk counts are an in-memory index rebuilt by
/// one prefix scan after a restart; the watermark is one more entry, written at Flush. So state is complete after
/// every Flush.
/// </para>
/// </summary>
public sealed class StreamWindowJoin
{
    private const byte RowSpace = 1;
    private const byte WatermarkSpace = 2;
    private const int PairChunk = 4096;

    private readonly LogicalJoinKind _kind;
    private readonly JoinSide[] _sides;
    private readonly VectorExpression? _residual;
    private readonly DataType[] _outputTypes;
    private readonly OperatorState _state;
    private readonly ExecutionContext _context;
    private readonly IChangeConsumer _output;

    /// <summary>
    /// Open windows: window end (as stored, microseconds) → groups (end + join key bytes) → how many chunks of rows
    /// each side has written for the group (one per input batch that had rows for it).
    /// </summary>
    private readonly SortedDictionary<long, Dictionary<byte[], int[]>> _open = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _value = new(1024);
    private readonly ByteWriter _rowsOfChunk = new(1024);

    /// <summary>Bytes of encoded rows per state entry: well below a state page, and small enough to write blind cheaply.</summary>
    private const int ChunkBytes = 64 * 1024;
    private readonly long[] _watermarks = [long.MinValue, long.MinValue];
    private readonly bool[] _finished = new bool[2];
    private IdleInputs? _idle;
    private long _watermark = long.MinValue;
    private readonly StoredWatermark _storedWatermark;
    private bool _loaded;

    private sealed class JoinSide(int index, VectorExpression[] keys, DataType[] types, int windowEndColumn, bool emitUnmatched)
    {
        public int Index { get; } = index;
        public VectorExpression[] Keys { get; } = keys;
        public DataType[] Types { get; } = types;
        public int WindowEndColumn { get; } = windowEndColumn;
        public bool EmitUnmatched { get; } = emitUnmatched;
    }

    public StreamWindowJoin(LogicalJoinKind kind, IReadOnlyList<DataType> leftTypes, IReadOnlyList<DataType> rightTypes,
        IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual,
        int leftWindowEnd, int rightWindowEnd, IReadOnlyList<DataType> outputTypes, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        if (kind is not (LogicalJoinKind.Inner or LogicalJoinKind.Left or LogicalJoinKind.Right or LogicalJoinKind.Full or LogicalJoinKind.Semi or LogicalJoinKind.Anti))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{kind} window joins are not supported in streaming mode");
        var compiler = new ExpressionCompiler(context);
        _kind = kind;
        _sides =
        [
            new JoinSide(0, [.. leftKeys.Select(compiler.Compile)], [.. leftTypes], leftWindowEnd,
                kind is LogicalJoinKind.Left or LogicalJoinKind.Full or LogicalJoinKind.Anti),
            new JoinSide(1, [.. rightKeys.Select(compiler.Compile)], [.. rightTypes], rightWindowEnd,
                kind is LogicalJoinKind.Right or LogicalJoinKind.Full),
        ];
        _residual = residual is null ? null : compiler.CompileAs(residual, DataType.Boolean);
        _outputTypes = [.. outputTypes];
        _state = state;
        _storedWatermark = new StoredWatermark(state, WatermarkSpace, "window join watermark");
        _context = context;
        _output = output;
        _inputs = [new WindowJoinInput(this, 0), new WindowJoinInput(this, 1)];
    }

    private readonly WindowJoinInput[] _inputs;

    public IChangeConsumer Left => _inputs[0];

    public IChangeConsumer Right => _inputs[1];

    /// <summary>Rows dropped because their window had fired when they arrived (both inputs).</summary>
    public long LateRows => _inputs[0].LateRows + _inputs[1].LateRows;

    /// <summary>(window, join key) groups waiting for the watermark.</summary>
    public int OpenGroups
    {
        get
        {
            var n = 0;
            foreach (var (_, groups) in _open) n += groups.Count;
            return n;
        }
    }

    private bool EmitsPairs => _kind is not (LogicalJoinKind.Semi or LogicalJoinKind.Anti);

    /// <summary>
    /// One input port. Each port is its own <see cref="ILateRowOperator"/> (the job registers the consumer it lowers an
    /// input into), so a late row is counted once and reported with its own input's column names.
    /// </summary>
    private sealed class WindowJoinInput(StreamWindowJoin join, int side) : IChangeConsumer, IWatermarkInput, ILateRowOperator
    {
        public long LateRows { get; set; }

        public LateRowReporter? LateRowReporter { get; set; }

        public void AddSource(SourceActivity source)
        {
            join._idle ??= new IdleInputs(2);
            join._idle.Add(side, source, join.AdvanceWatermark);
        }

        public void Push(ChangeBatch batch) => join.OnPush(side, batch);

        public void Watermark(long watermark)
        {
            join._watermarks[side] = Math.Max(join._watermarks[side], watermark);
            join.AdvanceWatermark();
        }

        public void Flush() => join.Flush();

        public void Finish() => join.OnFinish(side);
    }

    private void AdvanceWatermark()
    {
        Load();
        var min = _idle is null ? Math.Min(_watermarks[0], _watermarks[1]) : _idle.Min(_watermarks);
        if (min <= _watermark) return;
        _watermark = min;
        Fire(min);
        _output.Watermark(min);
    }

    private void OnFinish(int side)
    {
        _finished[side] = true;
        _watermarks[side] = long.MaxValue;
        if (_finished[0] && _finished[1])
        {
            // bounded inputs ended: every window still open is complete
            Load();
            _watermark = long.MaxValue;
            Fire(long.MaxValue);
            Flush();
            _output.Finish();
            return;
        }
        AdvanceWatermark();
        Flush();
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    private void OnPush(int sideIndex, ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        _context.ThrowIfCanceled();
        if (batch.Kinds is { } kinds)
            for (var r = 0; r < n; r++)
                if (kinds[r] != (sbyte)RowKind.Insert)
                    throw new TarnException(SqlStates.FeatureNotSupported, "a window join requires insert-only inputs, but it received an update or delete");
        Load();
        var side = _sides[sideIndex];
        var rows = batch.Rows;
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(rows[side.WindowEndColumn]);
        var keyVectors = new ColumnVector[side.Keys.Length];
        for (var k = 0; k < keyVectors.Length; k++) keyVectors[k] = side.Keys[k].Evaluate(rows);

        var slots = new Dictionary<byte[], int>(ByteKeyComparer.Instance);
        var groups = new List<byte[]>();
        var groupEnds = new List<long>();
        var groupRows = new List<List<int>>();
        List<int>? late = null, unmatched = null;
        for (var r = 0; r < n; r++)
        {
            var nullKey = ends.IsNull(r);
            if (!nullKey && FloorMillis(ends.Values[r]) - 1 <= _watermark)
            {
                (late ??= []).Add(r);
                continue;
            }
            for (var k = 0; k < keyVectors.Length && !nullKey; k++) nullKey = keyVectors[k].IsNull(r);
            if (nullKey)
            {
                if (side.EmitUnmatched) (unmatched ??= []).Add(r);
                continue;
            }
            _scratch.Clear();
            _scratch.WriteInt64(ends.Values[r]);
            for (var k = 0; k < keyVectors.Length; k++) ValueCodec.Write(_scratch, keyVectors[k], r);
            var lookup = slots.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var slot))
            {
                slot = groups.Count;
                var group = _scratch.ToArray();
                slots[group] = slot;
                groups.Add(group);
                groupEnds.Add(ends.Values[r]);
                groupRows.Add([]);
            }
            groupRows[slot].Add(r);
        }
        if (late is not null) ReportLate(sideIndex, rows, ends, late);
        if (groups.Count > 0) Append(sideIndex, rows, groups, groupEnds, groupRows);
        if (unmatched is not null) EmitPadded(sideIndex, rows, unmatched);
    }

    /// <summary>
    /// Writes the batch's rows of each group as new chunks of the group's rows on this side; a chunk holds at most
    /// about <see cref="ChunkBytes"/>, so a window whose rows share one key (Nexmark q5 joins on the window alone)
    /// never makes a state record larger than a state page.
    /// </summary>
    private void Append(int side, ColumnBatch rows, List<byte[]> groups, List<long> groupEnds, List<List<int>> groupRows)
    {
        for (var s = 0; s < groups.Count; s++)
        {
            if (!_open.TryGetValue(groupEnds[s], out var open)) _open[groupEnds[s]] = open = new Dictionary<byte[], int[]>(ByteKeyComparer.Instance);
            if (!open.TryGetValue(groups[s], out var chunks)) open[groups[s]] = chunks = new int[2];
            var members = groupRows[s];
            for (var first = 0; first < members.Count;)
            {
                _rowsOfChunk.Clear();
                var bytes = 0;
                var next = first;
                while (next < members.Count && (next == first || bytes < ChunkBytes))
                {
                    _scratch.Clear();
                    RowCodec.Write(_scratch, rows, members[next++]);
                    _rowsOfChunk.WriteBlob(_scratch.WrittenSpan);
                    bytes = _rowsOfChunk.Length;
                }
                _value.Clear();
                _value.WriteInt32(next - first);
                _value.WriteBytes(_rowsOfChunk.WrittenSpan);
                _state.Session.Upsert(StateKey(side, groups[s], chunks[side]++), _value.WrittenSpan);
                first = next;
            }
        }
    }

    private void ReportLate(int side, ColumnBatch rows, PrimitiveVector<long> ends, List<int> late)
    {
        var input = _inputs[side];
        input.LateRows += late.Count;
        if (input.LateRowReporter is not { } reporter) return;
        var times = new long[late.Count];
        for (var i = 0; i < times.Length; i++) times[i] = FloorMillis(ends.Values[late[i]]);
        reporter.Report(rows, [.. late], times, _watermark);
    }

    /// <summary>Rows of an outer (or anti) side that can never match (NULL join key), NULL-padded.</summary>
    private void EmitPadded(int side, ColumnBatch rows, List<int> unmatched)
    {
        var self = unmatched.ToArray();
        var none = new int[self.Length];
        Array.Fill(none, -1);
        var left = side == 0 ? self : none;
        var right = side == 0 ? none : self;
        var leftSource = side == 0 ? rows.Columns : RowCodec.NewColumns(_sides[0].Types, 1);
        var rightSource = side == 0 ? RowCodec.NewColumns(_sides[1].Types, 1) : rows.Columns;
        _output.Push(Build(leftSource, rightSource, left, right));
    }

    private byte[] StateKey(int side, byte[] group, int chunk)
    {
        var w = _state.BeginKey(RowSpace);
        w.WriteByte((byte)side);
        w.WriteBytes(group);
        w.WriteInt32(chunk);
        return w.ToArray();
    }

    /// <summary>Joins the windows whose last millisecond the watermark reached, emits the result and deletes them.</summary>
    private void Fire(long watermark)
    {
        var groups = new List<byte[]>();
        var chunks = new List<int[]>();
        var closed = new List<long>();
        foreach (var (end, open) in _open)
        {
            if (FloorMillis(end) - 1 > watermark) break;
            closed.Add(end);
            foreach (var (group, count) in open)
            {
                groups.Add(group);
                chunks.Add(count);
            }
        }
        if (groups.Count == 0) return;
        foreach (var end in closed) _open.Remove(end);
        _context.ThrowIfCanceled();

        // both sides' rows of every fired group, decoded into one batch per side; group g owns rows [start[g], start[g + 1])
        var columns = new ColumnVector[2][];
        var starts = new int[2][];
        _reads.Clear();
        var keys = new List<byte[]>();
        for (var side = 0; side < 2; side++)
            for (var g = 0; g < groups.Count; g++)
                for (var c = 0; c < chunks[g][side]; c++) keys.Add(StateKey(side, groups[g], c));
        foreach (var key in keys) _reads.Add(key);
        _state.Session.Read(_reads);
        var next = 0;
        for (var side = 0; side < 2; side++)
        {
            columns[side] = RowCodec.NewColumns(_sides[side].Types, 16);
            var start = starts[side] = new int[groups.Count + 1];
            var count = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                start[g] = count;
                for (var c = 0; c < chunks[g][side]; c++)
                {
                    if (!_reads.TryGetValue(next++, out var stored)) continue;
                    var reader = new ByteReader(stored, "window join rows");
                    var rows = reader.ReadInt32();
                    for (var i = 0; i < rows; i++)
                    {
                        var row = new ByteReader(reader.ReadBlob(), "window join row");
                        RowCodec.ReadInto(ref row, columns[side]);
                    }
                    count += rows;
                }
            }
            start[groups.Count] = count;
        }
        foreach (var key in keys) _state.Session.Delete(key);

        var leftCount = starts[0][groups.Count];
        var rightCount = starts[1][groups.Count];
        var pairLeft = new List<int>();
        var pairRight = new List<int>();
        for (var g = 0; g < groups.Count; g++)
            for (var l = starts[0][g]; l < starts[0][g + 1]; l++)
                for (var r = starts[1][g]; r < starts[1][g + 1]; r++)
                {
                    pairLeft.Add(l);
                    pairRight.Add(r);
                }
        if (_residual is not null && pairLeft.Count > 0) FilterPairs(columns[0], columns[1], pairLeft, pairRight);

        var leftMatched = new bool[leftCount];
        var rightMatched = new bool[rightCount];
        for (var p = 0; p < pairLeft.Count; p++)
        {
            leftMatched[pairLeft[p]] = true;
            rightMatched[pairRight[p]] = true;
        }
        List<int> outLeft, outRight;
        switch (_kind)
        {
            case LogicalJoinKind.Semi or LogicalJoinKind.Anti:
                outLeft = [];
                var wanted = _kind == LogicalJoinKind.Semi;
                for (var l = 0; l < leftCount; l++)
                    if (leftMatched[l] == wanted) outLeft.Add(l);
                outRight = [.. Enumerable.Repeat(-1, outLeft.Count)];
                break;
            default:
                outLeft = pairLeft;
                outRight = pairRight;
                if (_sides[0].EmitUnmatched)
                    for (var l = 0; l < leftCount; l++)
                        if (!leftMatched[l]) { outLeft.Add(l); outRight.Add(-1); }
                if (_sides[1].EmitUnmatched)
                    for (var r = 0; r < rightCount; r++)
                        if (!rightMatched[r]) { outLeft.Add(-1); outRight.Add(r); }
                break;
        }
        if (outLeft.Count == 0) return;
        _output.Push(Build(columns[0], columns[1], [.. outLeft], [.. outRight]));
    }

    /// <summary>Keeps the candidate pairs for which the residual condition is true, evaluated a chunk of pairs at a time.</summary>
    private void FilterPairs(ColumnVector[] left, ColumnVector[] right, List<int> pairLeft, List<int> pairRight)
    {
        var count = pairLeft.Count;
        var ls = pairLeft.ToArray();
        var rs = pairRight.ToArray();
        var selected = new int[PairChunk];
        var combined = new ColumnVector[left.Length + right.Length];
        pairLeft.Clear();
        pairRight.Clear();
        for (var start = 0; start < count; start += PairChunk)
        {
            var len = Math.Min(PairChunk, count - start);
            var lsel = ls.AsSpan(start, len);
            var rsel = rs.AsSpan(start, len);
            for (var c = 0; c < left.Length; c++) combined[c] = left[c].Gather(lsel);
            for (var c = 0; c < right.Length; c++) combined[left.Length + c] = right[c].Gather(rsel);
            var kept = _residual!.Select(new ColumnBatch(combined, len), Execution.Vectors.Selection.All(len), selected);
            for (var k = 0; k < kept; k++)
            {
                pairLeft.Add(lsel[selected[k]]);
                pairRight.Add(rsel[selected[k]]);
            }
        }
    }

    /// <summary>The output rows: left columns (and, unless semi/anti, right columns), NULL where a row index is -1.</summary>
    private ChangeBatch Build(ColumnVector[] leftSource, ColumnVector[] rightSource, int[] left, int[] right)
    {
        var n = left.Length;
        var columns = new ColumnVector[_outputTypes.Length];
        for (var c = 0; c < leftSource.Length; c++) columns[c] = GatherOrNull(leftSource[c], left, _outputTypes[c]);
        if (EmitsPairs)
            for (var c = 0; c < rightSource.Length; c++)
                columns[leftSource.Length + c] = GatherOrNull(rightSource[c], right, _outputTypes[leftSource.Length + c]);
        return new ChangeBatch(new ColumnBatch(columns, n));
    }

    private static ColumnVector GatherOrNull(ColumnVector source, ReadOnlySpan<int> rows, DataType type)
    {
        var n = rows.Length;
        if (!rows.Contains(-1)) return Vectors.PhysicalValues.Retype(source.Gather(rows), type);
        if (source.Count == 0 || rows.IndexOfAnyExcept(-1) < 0) return Vectors.PhysicalValues.Repeat(type, null, n);
        var valid = new int[n];
        var nulls = new byte[n];
        for (var i = 0; i < n; i++)
        {
            if (rows[i] < 0) nulls[i] = 1;
            else valid[i] = rows[i];
        }
        var gathered = source.Gather(valid);
        if (gathered.Nulls is { } sourceNulls)
            for (var i = 0; i < n; i++) nulls[i] |= sourceNulls[i];
        return Vectors.PhysicalValues.WithNulls(Vectors.PhysicalValues.Retype(gathered, type), nulls);
    }

    /// <summary>After a restart: the open windows (from the keys of their entries) and the watermark.</summary>
    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        _watermark = _storedWatermark.Load();
        var prefix = _state.BeginKey(RowSpace);
        using var scan = _state.Session.ScanPrefix(prefix.WrittenSpan);
        while (scan.MoveNext())
        {
            var side = scan.Key[OperatorState.PrefixLength];
            var group = scan.Key[(OperatorState.PrefixLength + 1)..^4].ToArray();
            var chunk = new ByteReader(scan.Key[^4..], "window join chunk").ReadInt32();
            var end = new ByteReader(group, "window join key").ReadInt64();
            if (!_open.TryGetValue(end, out var open)) _open[end] = open = new Dictionary<byte[], int[]>(ByteKeyComparer.Instance);
            if (!open.TryGetValue(group, out var chunks)) open[group] = chunks = new int[2];
            chunks[side] = Math.Max(chunks[side], chunk + 1);
        }
    }

    private void Flush()
    {
        if (_loaded) _storedWatermark.Save(_watermark);
        _output.Flush();
    }
}
