using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.Aggregation;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>The frames a <see cref="StreamOverAggregate"/> computes; all end at the current row.</summary>
public enum OverFrameKind : byte
{
    /// <summary>ROWS (or RANGE) BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW: every earlier row of the partition.</summary>
    Unbounded,
    /// <summary>ROWS BETWEEN n PRECEDING AND CURRENT ROW: the <see cref="OverFrame.Preceding"/> rows before it.</summary>
    Rows,
    /// <summary>RANGE BETWEEN d PRECEDING AND CURRENT ROW: earlier rows whose ORDER BY key is at least key - d.</summary>
    Range,
}

/// <param name="Preceding">Rows for <see cref="OverFrameKind.Rows"/>; for <see cref="OverFrameKind.Range"/> the
/// distance in the ORDER BY key's units (days for DATE, the timestamp's units, or the integer itself).</param>
/// <param name="Peers">RANGE frames: rows with the same ORDER BY key (peers) are all in each other's frame.</param>
public sealed record OverFrame(OverFrameKind Kind, long Preceding, bool Peers = false);

/// <summary>
/// OVER aggregation on an insert-only stream (Flink's RowTimeRowsUnboundedPrecedingFunction and friends): every
/// input row is emitted once (+I) with the aggregates over its frame appended. Rows are processed in arrival order
/// (sorted by the ORDER BY key within each batch), which equals the batch answer when a partition's rows arrive in
/// ORDER BY order across batches and its keys are distinct (RANGE frames would include later-arriving peers); Flink
/// instead buffers rows until the watermark passes them and sorts them by time, which a later version may do.
/// <para>
/// State per partition (one entry): the accumulators of the rows in the frame (the streaming GROUP BY accumulators,
/// retracting for bounded frames), and for bounded frames the rows still inside it (order key and aggregate
/// arguments), which are retracted from the accumulators as later rows push them out of the frame. Within a batch
/// the rows are processed in rounds, round j taking the j-th row of every partition, so one accumulator call serves
/// all partitions of the batch.
/// </para>
/// </summary>
public sealed class StreamOverAggregate : IChangeConsumer
{
    private const byte PartitionSpace = 1;

    private readonly VectorExpression[] _partitionKeys;
    private readonly VectorExpression _orderKey;
    private readonly bool _nullsFirst;
    private readonly VectorExpression?[] _arguments;
    private readonly VectorExpression?[] _filters;
    private readonly DataType?[] _argumentTypes;
    private readonly DataType[] _resultTypes;
    private readonly StreamAccumulator[] _accumulators;
    private readonly OverFrame _frame;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly BatchKeyGrouper _grouper = new();
    private readonly List<Retained> _retained = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _value = new(1024);

    public StreamOverAggregate(IReadOnlyList<BoundExpression> partitionBy, BoundSortKey orderBy, IReadOnlyList<AggregateCall> aggregates,
        OverFrame frame, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _partitionKeys = [.. partitionBy.Select(compiler.Compile)];
        _orderKey = compiler.Compile(orderBy.Expression);
        _nullsFirst = orderBy.EffectiveNullsFirst;
        _arguments = [.. aggregates.Select(a => a.Argument is null ? null : compiler.Compile(a.Argument))];
        _filters = [.. aggregates.Select(a => a.Filter is null ? null : compiler.CompileAs(a.Filter, DataType.Boolean))];
        _argumentTypes = [.. aggregates.Select(a => a.Argument?.Type)];
        _resultTypes = [.. aggregates.Select(a => a.Type)];
        var retracting = frame.Kind != OverFrameKind.Unbounded;
        _accumulators = [.. aggregates.Select((a, i) => StreamAccumulatorFactory.Create(a, retracting, state, i))];
        _frame = frame;
        _state = state;
        _output = output;
    }

    /// <summary>The rows of one partition still inside the frame, oldest first (from <see cref="Head"/> on).</summary>
    private sealed class Retained
    {
        public List<(long Key, byte[] Arguments)> Rows { get; } = [];
        public int Head { get; set; }
        public int Count => Rows.Count - Head;
    }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        batch.RequireInsertOnly("OVER aggregation in streaming mode");
        var rows = batch.Rows;
        var slotOfRow = GroupByPartition(rows, n);
        var slots = _grouper.Keys.Count;
        var arguments = new ColumnVector?[_accumulators.Length];
        var passes = new bool[_accumulators.Length][];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _arguments[i]?.Evaluate(rows);
            passes[i] = FilterMask(i, rows, n);
        }
        var orderVector = _orderKey.Evaluate(rows);
        var keys = RangeKeys(orderVector, n);
        var order = RoundOrder(slotOfRow, SortKeys(orderVector, n), _frame.Peers, slots, n, out var roundStarts);
        Load(slots);

        var results = new ColumnVector[_accumulators.Length];
        for (var i = 0; i < results.Length; i++) results[i] = ColumnVector.Create(_resultTypes[i], n);
        var plus = new sbyte[n];
        Array.Fill(plus, (sbyte)1);
        var selected = new int[n];
        var roundSlots = new int[slots];
        var slotResult = new int[slots];
        for (var round = 0; round + 1 < roundStarts.Length; round++)
        {
            var roundRows = order.AsSpan(roundStarts[round], roundStarts[round + 1] - roundStarts[round]);
            if (_frame.Kind != OverFrameKind.Unbounded) Expire(roundRows, slotOfRow, keys);
            for (var i = 0; i < _accumulators.Length; i++)
            {
                var count = 0;
                foreach (var r in roundRows) if (passes[i][r]) selected[count++] = r;
                _accumulators[i].Update(arguments[i], selected.AsSpan(0, count), slotOfRow, plus);
            }
            // A round holds one row, or one group of peers, per partition: one result per partition.
            var distinct = 0;
            foreach (var r in roundRows)
            {
                var slot = slotOfRow[r];
                if (slotResult[slot] < distinct && roundSlots[slotResult[slot]] == slot) continue; // a peer's partition
                slotResult[slot] = distinct;
                roundSlots[distinct++] = slot;
            }
            for (var i = 0; i < _accumulators.Length; i++)
            {
                var values = _accumulators[i].Results(roundSlots.AsSpan(0, distinct));
                foreach (var r in roundRows) results[i].AppendFrom(values, slotResult[slotOfRow[r]]);
            }
            if (_frame.Kind != OverFrameKind.Unbounded) Retain(roundRows, slotOfRow, keys, arguments, passes);
        }
        Store(slots);

        var input = rows.Gather(order);
        var columns = new ColumnVector[input.ColumnCount + results.Length];
        Array.Copy(input.Columns, columns, input.ColumnCount);
        Array.Copy(results, 0, columns, input.ColumnCount, results.Length);
        _output.Push(new ChangeBatch(new ColumnBatch(columns, n)));
    }

    private int[] GroupByPartition(ColumnBatch rows, int n)
    {
        var partitionVectors = new ColumnVector[_partitionKeys.Length];
        for (var k = 0; k < partitionVectors.Length; k++) partitionVectors[k] = _partitionKeys[k].Evaluate(rows);
        _grouper.Clear();
        var slotOfRow = new int[n];
        _grouper.Group(partitionVectors, n, slotOfRow);
        return slotOfRow;
    }

    /// <summary>Per row, whether aggregate <paramref name="i"/>'s FILTER (WHERE ..) lets it in.</summary>
    private bool[] FilterMask(int i, ColumnBatch rows, int n)
    {
        var mask = new bool[n];
        if (_filters[i] is not { } filter)
        {
            Array.Fill(mask, true);
            return mask;
        }
        var selection = new int[n];
        var count = filter.Select(rows, Execution.Vectors.Selection.All(n), selection);
        for (var j = 0; j < count; j++) mask[selection[j]] = true;
        return mask;
    }

    /// <summary>The ORDER BY key of a RANGE frame as a long in its units; NULL keys become long.MinValue.</summary>
    private long[]? RangeKeys(ColumnVector v, int n)
    {
        if (_frame.Kind != OverFrameKind.Range) return null;
        var keys = new long[n];
        for (var r = 0; r < n; r++)
        {
            keys[r] = v.IsNull(r) ? long.MinValue : v switch
            {
                PrimitiveVector<long> l => l.Values[r],
                PrimitiveVector<int> i => i.Values[r],
                PrimitiveVector<short> s => s.Values[r],
                PrimitiveVector<sbyte> b => b.Values[r],
                _ => throw new TarnException(SqlStates.FeatureNotSupported, $"RANGE frames over ORDER BY {v.Type.ToSql()} are not supported in streaming mode"),
            };
        }
        return keys;
    }

    /// <summary>Per row, its ORDER BY key in an order-preserving encoding.</summary>
    private byte[][] SortKeys(ColumnVector v, int n)
    {
        var keys = new byte[n][];
        for (var r = 0; r < n; r++)
        {
            _scratch.Clear();
            OrderedKeyCodec.Write(_scratch, v, r, descending: false, _nullsFirst);
            keys[r] = _scratch.ToArray();
        }
        return keys;
    }

    /// <summary>
    /// The batch's rows ordered by round: round j holds the j-th row (with <paramref name="peers"/>, the j-th group of
    /// rows with equal keys) of every partition, a partition's rows taken in ORDER BY order (then arrival order), so
    /// rows of one batch may arrive in any order. A round keeps each partition's rows adjacent.
    /// </summary>
    private static int[] RoundOrder(int[] slotOfRow, byte[][] sortKeys, bool peers, int slots, int n, out int[] roundStarts)
    {
        var sorted = new int[n];
        for (var r = 0; r < n; r++) sorted[r] = r;
        Array.Sort(sorted, (a, b) =>
        {
            var c = slotOfRow[a].CompareTo(slotOfRow[b]);
            if (c == 0) c = sortKeys[a].AsSpan().SequenceCompareTo(sortKeys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var seen = new int[slots];
        var roundOfRow = new int[n];
        var rounds = 0;
        var previous = -1;
        foreach (var r in sorted)
        {
            var slot = slotOfRow[r];
            var peer = peers && previous >= 0 && slotOfRow[previous] == slot && sortKeys[previous].AsSpan().SequenceEqual(sortKeys[r]);
            roundOfRow[r] = peer ? roundOfRow[previous] : seen[slot]++;
            rounds = Math.Max(rounds, roundOfRow[r] + 1);
            previous = r;
        }
        roundStarts = new int[rounds + 1];
        for (var r = 0; r < n; r++) roundStarts[roundOfRow[r] + 1]++;
        for (var j = 0; j < rounds; j++) roundStarts[j + 1] += roundStarts[j];
        var next = roundStarts[..^1];
        var order = new int[n];
        foreach (var r in sorted) order[next[roundOfRow[r]]++] = r;
        return order;
    }

    private byte[] StateKey(byte[] partitionKey)
    {
        var w = _state.BeginKey(PartitionSpace);
        w.WriteBytes(partitionKey);
        return w.ToArray();
    }

    private void Load(int slots)
    {
        foreach (var a in _accumulators) a.Prepare(slots);
        _retained.Clear();
        _reads.Clear();
        for (var s = 0; s < slots; s++)
        {
            _reads.Add(StateKey(_grouper.Keys[s]));
            _retained.Add(new Retained());
        }
        _state.Session.Read(_reads);
        for (var s = 0; s < slots; s++)
        {
            if (!_reads.TryGetValue(s, out var stored)) continue;
            var reader = new ByteReader(stored, "over aggregate state");
            foreach (var a in _accumulators) a.Load(s, ref reader);
            if (_frame.Kind == OverFrameKind.Unbounded) continue;
            var count = reader.ReadInt32();
            var retained = _retained[s].Rows;
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadInt64();
                retained.Add((key, reader.ReadBlob().ToArray()));
            }
        }
    }

    private void Store(int slots)
    {
        for (var s = 0; s < slots; s++)
        {
            _value.Clear();
            foreach (var a in _accumulators) a.Save(s, _value);
            if (_frame.Kind != OverFrameKind.Unbounded)
            {
                var retained = _retained[s];
                _value.WriteInt32(retained.Count);
                for (var i = retained.Head; i < retained.Rows.Count; i++)
                {
                    _value.WriteInt64(retained.Rows[i].Key);
                    _value.WriteBlob(retained.Rows[i].Arguments);
                }
            }
            _state.Session.Upsert(StateKey(_grouper.Keys[s]), _value.WrittenSpan);
        }
    }

    /// <summary>Retracts from the accumulators the retained rows that the round's rows push out of their frames.</summary>
    private void Expire(ReadOnlySpan<int> roundRows, int[] slotOfRow, long[]? keys)
    {
        var expired = new List<(int Slot, byte[] Arguments)>();
        foreach (var r in roundRows)
        {
            var slot = slotOfRow[r];
            var retained = _retained[slot];
            while (retained.Count > 0 && Expires(retained, keys, r))
            {
                expired.Add((slot, retained.Rows[retained.Head].Arguments));
                retained.Head++;
            }
        }
        if (expired.Count == 0) return;
        var m = expired.Count;
        var slotOfExpired = new int[m];
        var minus = new sbyte[m];
        Array.Fill(minus, (sbyte)-1);
        for (var e = 0; e < m; e++) slotOfExpired[e] = expired[e].Slot;
        var vectors = new ColumnVector?[_accumulators.Length];
        var selected = new List<int>[_accumulators.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = _argumentTypes[i] is { } t ? ColumnVector.Create(t, m) : null;
            selected[i] = new List<int>(m);
        }
        for (var e = 0; e < m; e++)
        {
            var reader = new ByteReader(expired[e].Arguments, "over aggregate row");
            for (var i = 0; i < vectors.Length; i++)
            {
                var included = reader.ReadBool();
                if (included) selected[i].Add(e);
                if (vectors[i] is not { } v) continue;
                if (included) ValueCodec.ReadInto(ref reader, v);
                else v.AppendNull();
            }
        }
        for (var i = 0; i < vectors.Length; i++)
            _accumulators[i].Update(vectors[i], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(selected[i]), slotOfExpired, minus);
    }

    private bool Expires(Retained retained, long[]? keys, int row)
    {
        if (_frame.Kind == OverFrameKind.Rows) return retained.Count > _frame.Preceding;
        var key = keys![row];
        if (key == long.MinValue) return false; // a NULL key's frame is its NULL peers
        return (Int128)key - retained.Rows[retained.Head].Key > _frame.Preceding;
    }

    private void Retain(ReadOnlySpan<int> roundRows, int[] slotOfRow, long[]? keys, ColumnVector?[] arguments, bool[][] passes)
    {
        foreach (var r in roundRows)
        {
            _scratch.Clear();
            for (var i = 0; i < arguments.Length; i++)
            {
                _scratch.WriteBool(passes[i][r]);
                if (passes[i][r] && arguments[i] is { } v) ValueCodec.Write(_scratch, v, r);
            }
            _retained[slotOfRow[r]].Rows.Add((keys?[r] ?? 0, _scratch.ToArray()));
        }
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
