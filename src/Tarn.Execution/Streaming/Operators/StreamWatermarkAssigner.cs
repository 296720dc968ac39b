using Tarn.Execution.Expressions;
using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Generates event-time watermarks from a table's WATERMARK declaration: after each batch the watermark is the largest
/// strategy value seen so far (e.g. <c>ts - INTERVAL '5' SECOND</c>), in milliseconds since the epoch, emitted
/// after the batch whenever it advances. The rule depends only on the rows, so a replay produces the same
/// watermarks at the same rows (design note 5). Rows pass through unchanged.
/// </summary>
public sealed partial class StreamWatermarkAssigner : IChangeConsumer
{
    private readonly VectorExpression _strategy;
    private readonly IChangeConsumer _output;
    private readonly long _unitsPerMilli;
    private readonly int _timeColumn;
    private long _watermark = long.MinValue;

    public StreamWatermarkAssigner(LogicalWatermarkAssigner node, ExecutionContext context, IChangeConsumer output)
    {
        _strategy = new ExpressionCompiler(context).Compile(node.Strategy);
        _output = output;
        _timeColumn = node.TimeColumn;
        // TIMESTAMP values count microseconds up to precision 6, nanoseconds above (DataType).
        _unitsPerMilli = node.Strategy.Type.Precision > 6 ? 1_000_000 : 1_000;
    }

    public long CurrentWatermark => _watermark;

    /// <summary>Whether the source has produced rows lately (idle-source handling, set while lowering a job); null when off.</summary>
    public EventTime.SourceActivity? Activity { get; set; }

    /// <summary>
    /// Rows pass in order; the watermark after each row is the largest strategy value so far. Flink advances it row by
    /// row, so a row is late when its time is at or below the watermark the rows before it produced. Emitting the
    /// watermark only per batch would let such a row slip into a window that row-by-row processing had already closed,
    /// so the batch is cut before every row whose time is at or below the running watermark and the watermark emitted
    /// there; other rows cannot fall into a closed window, so batches stay whole for in-order input.
    /// </summary>
    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        Activity?.MarkActive();
        if (_partitioned is not null)
        {
            PushPartitioned(batch);
            return;
        }
        var strategy = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(_strategy.Evaluate(batch.Rows));
        var time = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(batch.Rows[_timeColumn]);
        var running = _watermark;
        var emitted = _watermark;
        var start = 0;
        for (var r = 0; r < n; r++)
        {
            if (r > start && running > emitted && !time.IsNull(r) && ToMillis(time.Values[r]) <= running)
            {
                _output.Push(Slice(batch, start, r));
                _output.Watermark(running);
                emitted = running;
                start = r;
            }
            if (!strategy.IsNull(r)) running = Math.Max(running, ToMillis(strategy.Values[r]));
        }
        _output.Push(Slice(batch, start, n));
        _watermark = running;
        if (running > emitted) _output.Watermark(running);
    }

    private long ToMillis(long units) => units >= 0 ? units / _unitsPerMilli : (units - _unitsPerMilli + 1) / _unitsPerMilli; // floor

    private static ChangeBatch Slice(ChangeBatch batch, int start, int end)
    {
        if (start == 0 && end == batch.RowCount) return batch;
        var rows = batch.Rows.Slice(start, end - start);
        return batch.Kinds is null ? new ChangeBatch(rows) : new ChangeBatch(rows, batch.Kinds[start..end]);
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish()
    {
        // The end of a bounded input: every window may close (Flink emits Long.MAX_VALUE as the final watermark).
        _output.Watermark(long.MaxValue);
        _output.Finish();
    }
}
