using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Window Top-N and window deduplication (Flink's WindowRankOperator / WindowDeduplicateOperator):
/// <c>ROW_NUMBER() OVER (PARTITION BY window_start, window_end [, k] ORDER BY ..)</c> filtered to a range of row
/// numbers, directly over a window table function or a window aggregate. Per window and partition the state keeps
/// only the best <c>End</c> rows seen so far (an input that never retracts cannot bring a dropped row back); when the
/// watermark reaches the window's last millisecond (window_end - 1) the rows ranked in the range are emitted once
/// (+I, insert-only output: no sink primary key needed) with the row number appended, and the window's state is
/// deleted. A row whose window had already closed when it arrived is late: dropped, counted in
/// <see cref="LateRows"/> and reported (event time = window_end) when the job routes late rows to a table. Ties in the ORDER BY are broken by the encoded row (deterministic, as in StreamTopN).
/// <para>
/// State: one entry per (window end, partition) with its ranked rows; the windows still open are an in-memory index
/// rebuilt by one prefix scan after a restart; the watermark is one more entry, written at Flush.
/// </para>
/// </summary>
public sealed class StreamWindowRank : IChangeConsumer, ILateRowOperator
{
    private const byte GroupSpace = 1;
    private const byte WatermarkSpace = 2;

    private readonly VectorExpression[] _partitionKeys;
    private readonly VectorExpression[] _orderKeys;
    private readonly bool[] _descending;
    private readonly bool[] _nullsFirst;
    private readonly int _windowEndColumn;
    private readonly DataType[] _inputTypes;
    private readonly DataType _rankType;
    private readonly long _start;
    private readonly long _end;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly SortedDictionary<long, HashSet<byte[]>> _open = [];
    private readonly StateReadBatch _reads = new();
    private readonly Dictionary<byte[], int> _slots = new(ByteKeyComparer.Instance);
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _value = new(1024);
    private long _watermark = long.MinValue;
    private readonly StoredWatermark _storedWatermark;
    private bool _loaded;

    public StreamWindowRank(IReadOnlyList<BoundExpression> partitionBy, IReadOnlyList<BoundSortKey> orderBy, int windowEndColumn,
        IReadOnlyList<DataType> inputTypes, DataType rankType, long start, long end, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _partitionKeys = [.. partitionBy.Select(compiler.Compile)];
        _orderKeys = [.. orderBy.Select(k => compiler.Compile(k.Expression))];
        _descending = [.. orderBy.Select(k => k.Descending)];
        _nullsFirst = [.. orderBy.Select(k => k.EffectiveNullsFirst)];
        _windowEndColumn = windowEndColumn;
        _inputTypes = [.. inputTypes];
        _rankType = rankType;
        _start = start;
        _end = end;
        _state = state;
        _storedWatermark = new StoredWatermark(state, WatermarkSpace, "window rank watermark");
        _output = output;
    }

    /// <summary>Rows dropped because their window had closed when they arrived.</summary>
    public long LateRows { get; private set; }

    public LateRowReporter? LateRowReporter { get; set; }

    /// <summary>(window, partition) groups waiting for the watermark.</summary>
    public int OpenGroups
    {
        get
        {
            var n = 0;
            foreach (var (_, groups) in _open) n += groups.Count;
            return n;
        }
    }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        batch.RequireInsertOnly("window Top-N");
        Load();
        var rows = batch.Rows;
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(rows[_windowEndColumn]);
        var partitionVectors = new ColumnVector[_partitionKeys.Length];
        for (var k = 0; k < partitionVectors.Length; k++) partitionVectors[k] = _partitionKeys[k].Evaluate(rows);
        var orderVectors = new ColumnVector[_orderKeys.Length];
        for (var k = 0; k < orderVectors.Length; k++) orderVectors[k] = _orderKeys[k].Evaluate(rows);

        // Group the rows by (window end, partition): one state entry each.
        _slots.Clear();
        var groupKeys = new List<byte[]>();
        var groupEnds = new List<long>();
        var slotOfRow = new int[n];
        List<int>? late = null;
        List<long>? lateEnds = null;
        for (var r = 0; r < n; r++)
        {
            slotOfRow[r] = -1;
            if (ends.IsNull(r)) continue;
            var end = FloorMillis(ends.Values[r]);
            if (end - 1 <= _watermark)
            {
                LateRows++;
                if (LateRowReporter is not null)
                {
                    (late ??= []).Add(r);
                    (lateEnds ??= []).Add(end);
                }
                continue;
            }
            _scratch.Clear();
            _scratch.WriteInt64(end);
            for (var k = 0; k < partitionVectors.Length; k++) ValueCodec.Write(_scratch, partitionVectors[k], r);
            var lookup = _slots.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var slot))
            {
                slot = groupKeys.Count;
                var key = _scratch.ToArray();
                _slots[key] = slot;
                groupKeys.Add(key);
                groupEnds.Add(end);
            }
            slotOfRow[r] = slot;
        }
        if (late is not null) LateRowReporter!.Report(rows, [.. late], [.. lateEnds!], _watermark);
        if (groupKeys.Count == 0) return;

        var groups = Read(groupKeys);
        for (var r = 0; r < n; r++)
        {
            if (slotOfRow[r] < 0) continue;
            _scratch.Clear();
            for (var k = 0; k < orderVectors.Length; k++) OrderedKeyCodec.Write(_scratch, orderVectors[k], r, _descending[k], _nullsFirst[k]);
            var sort = _scratch.ToArray();
            _scratch.Clear();
            RowCodec.Write(_scratch, rows, r);
            Add(groups[slotOfRow[r]], new RankedRow(sort, _scratch.ToArray(), 1));
        }
        for (var s = 0; s < groupKeys.Count; s++)
        {
            Truncate(groups[s]);
            Write(groupKeys[s], groups[s]);
            if (!_open.TryGetValue(groupEnds[s], out var open)) _open[groupEnds[s]] = open = new HashSet<byte[]>(ByteKeyComparer.Instance);
            open.Add(groupKeys[s]);
        }
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    private static void Add(List<RankedRow> ranked, RankedRow entry)
    {
        var i = ranked.BinarySearch(entry, RankedRowOrder.Instance);
        if (i >= 0) ranked[i].Count++;
        else ranked.Insert(~i, entry);
    }

    /// <summary>Keeps the first <c>End</c> rows: later rows of the window can only rank lower than the rows dropped.</summary>
    private void Truncate(List<RankedRow> ranked)
    {
        if (_end <= 0)
        {
            ranked.Clear(); // a filter such as rn < 1 keeps nothing
            return;
        }
        long seen = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            if (seen + ranked[i].Count >= _end)
            {
                ranked[i].Count = (int)(_end - seen);
                ranked.RemoveRange(i + 1, ranked.Count - i - 1);
                return;
            }
            seen += ranked[i].Count;
        }
    }

    private byte[] StateKey(byte[] group)
    {
        var w = _state.BeginKey(GroupSpace);
        w.WriteBytes(group);
        return w.ToArray();
    }

    private List<List<RankedRow>> Read(List<byte[]> groups)
    {
        _reads.Clear();
        foreach (var g in groups) _reads.Add(StateKey(g));
        _state.Session.Read(_reads);
        var result = new List<List<RankedRow>>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var ranked = new List<RankedRow>();
            if (_reads.TryGetValue(i, out var stored))
            {
                var reader = new ByteReader(stored, "window rank state");
                var count = reader.ReadInt32();
                for (var e = 0; e < count; e++)
                {
                    var sort = reader.ReadBlob().ToArray();
                    var row = reader.ReadBlob().ToArray();
                    ranked.Add(new RankedRow(sort, row, reader.ReadInt32()));
                }
            }
            result.Add(ranked);
        }
        return result;
    }

    private void Write(byte[] group, List<RankedRow> ranked)
    {
        _value.Clear();
        _value.WriteInt32(ranked.Count);
        foreach (var e in ranked)
        {
            _value.WriteBlob(e.Sort);
            _value.WriteBlob(e.Row);
            _value.WriteInt32(e.Count);
        }
        _state.Session.Upsert(StateKey(group), _value.WrittenSpan);
    }

    public void Watermark(long watermark)
    {
        Load();
        if (watermark > _watermark)
        {
            _watermark = watermark;
            Fire(watermark);
        }
        _output.Watermark(watermark);
    }

    /// <summary>Emits the ranked rows of the windows whose last millisecond the watermark reached, and deletes them.</summary>
    private void Fire(long watermark)
    {
        var groups = new List<byte[]>();
        var closed = new List<long>();
        foreach (var (end, open) in _open)
        {
            if (end - 1 > watermark) break;
            closed.Add(end);
            groups.AddRange(open);
        }
        if (groups.Count == 0) return;
        foreach (var end in closed) _open.Remove(end);
        var ranked = Read(groups);
        foreach (var g in groups) _state.Session.Delete(StateKey(g));
        var columns = RowCodec.NewColumns(_inputTypes, groups.Count);
        var rank = ColumnVector.Create(_rankType, Math.Max(1, groups.Count));
        var count = 0;
        foreach (var group in ranked)
        {
            long position = 0;
            foreach (var e in group)
            {
                for (var c = 0; c < e.Count; c++)
                {
                    position++;
                    if (position < _start || position > _end) continue;
                    var reader = new ByteReader(e.Row, "window rank row");
                    RowCodec.ReadInto(ref reader, columns);
                    AppendRank(rank, position);
                    count++;
                }
            }
        }
        if (count == 0) return;
        var output = new ColumnVector[columns.Length + 1];
        Array.Copy(columns, output, columns.Length);
        output[^1] = rank;
        _output.Push(new ChangeBatch(new ColumnBatch(output, count)));
    }

    private void AppendRank(ColumnVector rank, long value)
    {
        switch (rank)
        {
            case PrimitiveVector<long> l: l.Append(value); break;
            case PrimitiveVector<int> i: i.Append((int)value); break;
            default: throw new InvalidOperationException($"row number of type {_rankType} is not supported");
        }
    }

    /// <summary>After a restart: the open windows (from the keys of their entries) and the watermark.</summary>
    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        _watermark = _storedWatermark.Load();
        var prefix = _state.BeginKey(GroupSpace);
        using var scan = _state.Session.ScanPrefix(prefix.WrittenSpan);
        while (scan.MoveNext())
        {
            var group = scan.Key[OperatorState.PrefixLength..].ToArray();
            var end = new ByteReader(group, "window rank key").ReadInt64();
            if (!_open.TryGetValue(end, out var open)) _open[end] = open = new HashSet<byte[]>(ByteKeyComparer.Instance);
            open.Add(group);
        }
    }

    public void Flush()
    {
        if (_loaded) _storedWatermark.Save(_watermark);
        _output.Flush();
    }

    public void Finish() => _output.Finish();
}
