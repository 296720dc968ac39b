using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Window Top-N and window deduplication (Flink's WindowRankOperator / WindowDeduplicateOperator):
/// <c>ROW_NUMBER() OVER (PARTITION BY window_start, window_end [, k] ORDER BY ..)</c> filtered to a range of row
/// numbers, directly over a window table function or a window aggregate. The rows of each window are held until the
/// watermark reaches the window's last millisecond (window_end - 1); then each partition's rows are ranked and those
/// in the range emitted once (+I, insert-only output: no sink primary key needed) with the row number appended, and
/// the window's state is dropped. A row whose window had already closed when it arrived is late: dropped and counted
/// in <see cref="LateRows"/>. Ties in the ORDER BY are broken by the encoded row (deterministic, as in StreamTopN).
/// State: the window's rows in an <see cref="EventTimeBuffer"/> keyed by window end.
/// </summary>
public sealed class StreamWindowRank : IChangeConsumer
{
    private const byte RowSpace = 1;

    private readonly VectorExpression[] _partitionKeys;
    private readonly VectorExpression[] _orderKeys;
    private readonly bool[] _descending;
    private readonly bool[] _nullsFirst;
    private readonly int _windowEndColumn;
    private readonly DataType[] _inputTypes;
    private readonly DataType _rankType;
    private readonly long _start;
    private readonly long _end;
    private readonly EventTimeBuffer _buffer;
    private readonly IChangeConsumer _output;
    private readonly BatchKeyGrouper _grouper = new();
    private readonly ByteWriter _row = new(256);
    private readonly ByteWriter _scratch = new(64);

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
        _buffer = new EventTimeBuffer(state, RowSpace);
        _output = output;
    }

    /// <summary>Rows dropped because their window had closed when they arrived.</summary>
    public long LateRows { get; private set; }

    /// <summary>Rows of open windows.</summary>
    public long BufferedRows => _buffer.Count;

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        if (batch.Kinds is { } kinds)
            for (var r = 0; r < n; r++)
                if (kinds[r] != (sbyte)RowKind.Insert)
                    throw new TarnException(SqlStates.FeatureNotSupported, "window Top-N requires an insert-only input, but it received an update or delete");
        _buffer.EnsureLoaded();
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(batch.Rows[_windowEndColumn]);
        for (var r = 0; r < n; r++)
        {
            if (ends.IsNull(r)) continue;
            var end = FloorMillis(ends.Values[r]);
            if (end - 1 <= _buffer.Watermark) { LateRows++; continue; }
            _row.Clear();
            RowCodec.Write(_row, batch.Rows, r);
            _buffer.Add(end, _row.WrittenSpan);
        }
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    public void Watermark(long watermark)
    {
        _buffer.EnsureLoaded();
        if (watermark > _buffer.Watermark)
        {
            _buffer.Watermark = watermark;
            var lastEnd = watermark == long.MaxValue ? long.MaxValue : watermark + 1;
            if (_buffer.HasUpTo(lastEnd)) Rank(_buffer.TakeUpTo(lastEnd));
        }
        _output.Watermark(watermark);
    }

    /// <summary>Ranks the rows of the closed windows per partition and emits those in the range.</summary>
    private void Rank(List<(long Bucket, byte[] Value)> held)
    {
        var n = held.Count;
        var columns = RowCodec.NewColumns(_inputTypes, n);
        foreach (var (_, value) in held)
        {
            var reader = new ByteReader(value, "window rank row");
            RowCodec.ReadInto(ref reader, columns);
        }
        var rows = new ColumnBatch(columns, n);
        var partitionVectors = new ColumnVector[_partitionKeys.Length];
        for (var k = 0; k < partitionVectors.Length; k++) partitionVectors[k] = _partitionKeys[k].Evaluate(rows);
        var orderVectors = new ColumnVector[_orderKeys.Length];
        for (var k = 0; k < orderVectors.Length; k++) orderVectors[k] = _orderKeys[k].Evaluate(rows);
        _grouper.Clear();
        var slotOfRow = new int[n];
        _grouper.Group(partitionVectors, n, slotOfRow);
        var sortKeys = new byte[n][];
        for (var r = 0; r < n; r++)
        {
            _scratch.Clear();
            for (var k = 0; k < orderVectors.Length; k++) OrderedKeyCodec.Write(_scratch, orderVectors[k], r, _descending[k], _nullsFirst[k]);
            sortKeys[r] = _scratch.ToArray();
        }
        var order = new int[n];
        for (var r = 0; r < n; r++) order[r] = r;
        Array.Sort(order, (a, b) =>
        {
            var c = slotOfRow[a].CompareTo(slotOfRow[b]);
            if (c == 0) c = sortKeys[a].AsSpan().SequenceCompareTo(sortKeys[b]);
            if (c == 0) c = held[a].Value.AsSpan().SequenceCompareTo(held[b].Value);
            return c;
        });
        var keep = new List<int>();
        var ranks = new List<long>();
        long rank = 0;
        for (var i = 0; i < n; i++)
        {
            var r = order[i];
            rank = i > 0 && slotOfRow[order[i - 1]] == slotOfRow[r] ? rank + 1 : 1;
            if (rank < _start || rank > _end) continue;
            keep.Add(r);
            ranks.Add(rank);
        }
        if (keep.Count == 0) return;
        var kept = rows.Gather(keep.ToArray());
        var rankVector = ColumnVector.Create(_rankType, keep.Count);
        foreach (var value in ranks)
        {
            switch (rankVector)
            {
                case PrimitiveVector<long> l: l.Append(value); break;
                case PrimitiveVector<int> i32: i32.Append((int)value); break;
                default: throw new InvalidOperationException($"row number of type {_rankType} is not supported");
            }
        }
        var output = new ColumnVector[kept.ColumnCount + 1];
        Array.Copy(kept.Columns, output, kept.ColumnCount);
        output[^1] = rankVector;
        _output.Push(new ChangeBatch(new ColumnBatch(output, keep.Count)));
    }

    public void Flush()
    {
        _buffer.Save();
        _output.Flush();
    }

    public void Finish() => _output.Finish();
}
