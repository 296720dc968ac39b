using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.Aggregation;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// GROUP BY over a changelog (Flink's GroupAggFunction with mini-batches): each batch's rows are grouped locally, the
/// touched groups' accumulators are read from state in one batched read, updated with the rows' signs, written back,
/// and for every group whose result changed the operator emits +I (new group), -U/+U (changed) or -D (its last row
/// was retracted). State lives in the job's FASTER store, so it may be far larger than memory.
/// </summary>
public sealed partial class StreamGroupAggregate : IChangeConsumer
{
    private const byte GroupSpace = 1;

    private readonly VectorExpression[] _keys;
    private readonly VectorExpression?[] _arguments;
    private readonly VectorExpression?[] _filters;
    private readonly StreamAccumulator[] _accumulators;
    private readonly DataType[] _keyTypes;
    private readonly OperatorState _state;
    private long _ttlMillis;
    private readonly IChangeConsumer _output;
    private readonly BatchKeyGrouper _grouper = new();

    /// <summary>The encoded key and first row of each slot of the current batch.</summary>
    private List<byte[]> _slotKeys => _grouper.Keys;

    private List<int> _slotFirstRow => _grouper.FirstRows;
    private readonly Dictionary<long, int> _longSlots = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _value = new(256);
    private int[] _slotOfRow = [];
    private sbyte[] _signs = [];
    private int[] _rows = [];
    private long[] _counts = [];
    private long[] _before = [];

    /// <param name="windowEndKey">
    /// For a window aggregate (GROUP BY window_start, window_end of a window TVF over an input with a watermark): the
    /// key holding window_end. Results are then emitted once per window, as inserts, when the watermark passes the
    /// window's end (Flink's window aggregate), and rows of windows already emitted are late: counted, not applied.
    /// -1 for a regular (updating) group aggregate.
    /// </param>
    public StreamGroupAggregate(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, bool inputRetracts,
        OperatorState state, ExecutionContext context, IChangeConsumer output, int windowEndKey = -1)
    {
        _windowEndKey = windowEndKey;
        var compiler = new ExpressionCompiler(context);
        _keys = [.. keys.Select(compiler.Compile)];
        _keyTypes = [.. keys.Select(k => k.Type)];
        _arguments = [.. aggregates.Select(a => a.Argument is null ? null : compiler.Compile(a.Argument))];
        _filters = [.. aggregates.Select(a => a.Filter is null ? null : compiler.CompileAs(a.Filter, DataType.Boolean))];
        _accumulators = [.. aggregates.Select((a, i) => StreamAccumulatorFactory.Create(a, inputRetracts, state, i))];
        _state = state;
        _output = output;
        _ttlMillis = (long)context.StateTtl.TotalMilliseconds;
    }

    private static long NowMillis() => Environment.TickCount64 + EpochOffset;

    /// <summary>Wall-clock milliseconds (TTL survives restarts, so it cannot use a process-relative clock alone).</summary>
    private static readonly long EpochOffset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Environment.TickCount64;

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var rows = batch.Rows;
        var keyVectors = new ColumnVector[_keys.Length];
        for (var k = 0; k < keyVectors.Length; k++) keyVectors[k] = _keys[k].Evaluate(rows);
        if (_windowEndKey >= 0 && !DropLateRows(ref batch, ref keyVectors)) return;
        rows = batch.Rows;
        n = batch.RowCount;
        EnsureRowArrays(n);
        var kinds = batch.Kinds;
        for (var r = 0; r < n; r++) _signs[r] = kinds is null || RowKinds.IsLive(kinds[r]) ? (sbyte)1 : (sbyte)-1;

        // Group the batch's rows by key.
        _grouper.Clear();
        if (keyVectors.Length == 1 && keyVectors[0] is PrimitiveVector<long> or PrimitiveVector<int>) GroupByIntegerKey(keyVectors[0], n);
        else GroupByEncodedKey(keyVectors, n);
        var slots = _slotKeys.Count;

        // Load the touched groups.
        if (_counts.Length < slots)
        {
            _counts = new long[Math.Max(slots, 64)];
            _before = new long[_counts.Length];
        }
        foreach (var a in _accumulators) a.Prepare(slots);
        _reads.Clear();
        for (var s = 0; s < slots; s++) _reads.Add(StateKey(_slotKeys[s]));
        _state.Session.Read(_reads);
        var now = NowMillis();
        for (var s = 0; s < slots; s++)
        {
            _counts[s] = 0;
            if (!_reads.TryGetValue(s, out var stored)) continue;
            var reader = new ByteReader(stored, "group state");
            var touched = reader.ReadInt64();
            if (_ttlMillis > 0 && now - touched > _ttlMillis) continue; // expired: the key starts afresh
            _counts[s] = reader.ReadInt64();
            foreach (var a in _accumulators) a.Load(s, ref reader);
        }
        Array.Copy(_counts, _before, slots);

        var liveBefore = SlotsWhere(slots, before: true);
        var oldResults = Results(liveBefore);

        // Apply the rows.
        for (var r = 0; r < n; r++) _counts[_slotOfRow[r]] += _signs[r];
        for (var i = 0; i < _accumulators.Length; i++)
        {
            if (_accumulators[i] is DistinctStreamAccumulator distinct) distinct.BindSlots(_slotKeys);
            var argument = _arguments[i]?.Evaluate(rows);
            var selected = n;
            if (_filters[i] is { } filter) selected = filter.Select(rows, Execution.Vectors.Selection.All(n), _rows);
            else for (var r = 0; r < n; r++) _rows[r] = r;
            _accumulators[i].Update(argument, _rows.AsSpan(0, selected), _slotOfRow, _signs);
        }

        if (_keys.Length == 0) KeepGlobalRow(slots);
        var liveAfter = SlotsWhere(slots, before: false);
        var newResults = Results(liveAfter);

        // Store the groups back: a group without rows is forgotten.
        for (var s = 0; s < slots; s++)
        {
            var key = StateKey(_slotKeys[s]);
            if (_counts[s] <= 0)
            {
                if (_before[s] > 0) _state.Session.Delete(key);
                continue;
            }
            _value.Clear();
            _value.WriteInt64(now);
            _value.WriteInt64(_counts[s]);
            foreach (var a in _accumulators) a.Save(s, _value);
            _state.Session.Upsert(key, _value.WrittenSpan);
        }

        if (_windowEndKey >= 0) RememberWindows(keyVectors, slots);
        else Emit(batch, keyVectors, slots, liveBefore, oldResults, liveAfter, newResults);
    }

    /// <summary>The common single integer key: rows grouped through a long-keyed map, key bytes encoded once per group.</summary>
    private void GroupByIntegerKey(ColumnVector key, int n)
    {
        _longSlots.Clear();
        var nullSlot = -1;
        var longs = key as PrimitiveVector<long>;
        var ints = key as PrimitiveVector<int>;
        var nullable = key.MayHaveNulls;
        for (var r = 0; r < n; r++)
        {
            int slot;
            if (nullable && key.IsNull(r))
            {
                if (nullSlot < 0) nullSlot = NewSlot(key, r);
                slot = nullSlot;
            }
            else
            {
                var value = longs is not null ? longs.Values[r] : ints!.Values[r];
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_longSlots, value, out var exists);
                if (!exists) entry = NewSlot(key, r);
                slot = entry;
            }
            _slotOfRow[r] = slot;
        }
    }

    private int NewSlot(ColumnVector key, int row)
    {
        _scratch.Clear();
        ValueCodec.Write(_scratch, key, row);
        return _grouper.Add(_scratch.WrittenSpan.ToArray(), row);
    }

    private void GroupByEncodedKey(ColumnVector[] keyVectors, int n) => _grouper.Group(keyVectors, n, _slotOfRow);

    /// <summary>
    /// An aggregate without GROUP BY has exactly one row, as in batch: once it has seen input it never deletes its row
    /// (retracting every row updates it to COUNT 0 / SUM NULL), and a bounded input that ends empty yields the row of
    /// an empty input (see <see cref="Finish"/>). The group's row count is kept at least 1 so the row stays live.
    /// </summary>
    private void KeepGlobalRow(int slots)
    {
        for (var s = 0; s < slots; s++)
            if (_counts[s] <= 0) _counts[s] = 1;
    }

    private void EnsureRowArrays(int n)
    {
        if (_slotOfRow.Length >= n) return;
        _slotOfRow = new int[n];
        _signs = new sbyte[n];
        _rows = new int[n];
    }

    private byte[] StateKey(byte[] groupKey)
    {
        var w = _state.BeginKey(GroupSpace);
        w.WriteBytes(groupKey);
        return w.ToArray();
    }

    private int[] SlotsWhere(int slots, bool before)
    {
        var counts = before ? _before : _counts;
        var result = new List<int>(slots);
        for (var s = 0; s < slots; s++) if (counts[s] > 0) result.Add(s);
        return [.. result];
    }

    private ColumnVector[] Results(int[] slots)
    {
        var results = new ColumnVector[_accumulators.Length];
        for (var i = 0; i < results.Length; i++) results[i] = _accumulators[i].Results(slots);
        return results;
    }

    /// <summary>Per touched group in first-appearance order: nothing if unchanged, else +I, -U/+U or -D.</summary>
    private void Emit(ChangeBatch batch, ColumnVector[] keyVectors, int slots, int[] liveBefore, ColumnVector[] oldResults, int[] liveAfter, ColumnVector[] newResults)
    {
        var beforeIndex = new int[slots];
        var afterIndex = new int[slots];
        Array.Fill(beforeIndex, -1);
        Array.Fill(afterIndex, -1);
        for (var i = 0; i < liveBefore.Length; i++) beforeIndex[liveBefore[i]] = i;
        for (var i = 0; i < liveAfter.Length; i++) afterIndex[liveAfter[i]] = i;

        var keyRows = new List<int>();
        var kinds = new List<sbyte>();
        var sources = new List<(bool Old, int Index)>();
        for (var s = 0; s < slots; s++)
        {
            var b = beforeIndex[s];
            var a = afterIndex[s];
            if (b < 0 && a < 0) continue;
            if (b >= 0 && a >= 0 && SameResults(oldResults, b, newResults, a)) continue;
            var keyRow = _slotFirstRow[s];
            if (b >= 0)
            {
                keyRows.Add(keyRow);
                kinds.Add(a >= 0 ? (sbyte)RowKind.UpdateBefore : (sbyte)RowKind.Delete);
                sources.Add((true, b));
            }
            if (a >= 0)
            {
                keyRows.Add(keyRow);
                kinds.Add(b >= 0 ? (sbyte)RowKind.UpdateAfter : (sbyte)RowKind.Insert);
                sources.Add((false, a));
            }
        }
        if (keyRows.Count == 0) return;
        var columns = new ColumnVector[keyVectors.Length + _accumulators.Length];
        var keySelection = keyRows.ToArray();
        for (var k = 0; k < keyVectors.Length; k++) columns[k] = keyVectors[k].Gather(keySelection);
        for (var i = 0; i < _accumulators.Length; i++)
        {
            var v = ColumnVector.Create(_accumulators[i].ResultType, keyRows.Count);
            foreach (var (old, index) in sources) v.AppendFrom(old ? oldResults[i] : newResults[i], index);
            columns[keyVectors.Length + i] = v;
        }
        var allInserts = true;
        foreach (var kind in kinds) allInserts &= kind == (sbyte)RowKind.Insert;
        _output.Push(new ChangeBatch(new ColumnBatch(columns, keyRows.Count), allInserts ? null : kinds.ToArray()));
    }

    private static bool SameResults(ColumnVector[] old, int b, ColumnVector[] now, int a)
    {
        for (var i = 0; i < old.Length; i++)
            if (!Equals(old[i].GetValue(b), now[i].GetValue(a))) return false;
        return true;
    }

    public void Watermark(long watermark)
    {
        if (_windowEndKey >= 0) FireWindows(watermark);
        _output.Watermark(watermark);
    }

    public void Flush()
    {
        if (_windowEndKey >= 0) SavePendingWindows();
        _output.Flush();
    }

    public void Finish()
    {
        if (_keys.Length == 0) EmitEmptyGlobalRow();
        _output.Finish();
    }

    /// <summary>At the end of a bounded input, a global aggregate that never saw a row emits its empty-input row.</summary>
    private void EmitEmptyGlobalRow()
    {
        var key = StateKey([]);
        if (_state.Session.TryRead(key, out _)) return;
        foreach (var a in _accumulators) a.Prepare(1);
        var columns = new ColumnVector[_accumulators.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = _accumulators[i].Results([0]);
        _value.Clear();
        _value.WriteInt64(NowMillis());
        _value.WriteInt64(1);
        foreach (var a in _accumulators) a.Save(0, _value);
        _state.Session.Upsert(key, _value.WrittenSpan);
        _output.Push(new ChangeBatch(new ColumnBatch(columns, 1)));
    }
}
