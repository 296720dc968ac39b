using Tarn.Execution.Streaming.EventTime;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Per-partition watermarks (Flink's Kafka source): when the assigner's rows come straight from a partitioned source
/// (through row-by-row projections and filters only), every batch belongs to the partition the source last polled,
/// the assigner tracks the largest strategy value per partition, and the watermark is the minimum over the partitions
/// that are not idle. A partition whose records are behind the others in event time then holds the watermark back
/// instead of seeing its rows turn late because another partition was read first.
/// </summary>
public sealed partial class StreamWatermarkAssigner
{
    private IPartitionedStreamSource? _partitioned;
    private PartitionWatermarks? _partitions;

    /// <summary>Tracks event time per partition of <paramref name="source"/> (set while lowering, before any row).</summary>
    public void UsePartitions(IPartitionedStreamSource source, SourceIdleness? idleness)
    {
        _partitioned = source;
        _partitions = new PartitionWatermarks(idleness, AdvanceAfterIdle);
    }

    /// <summary>
    /// Like the unpartitioned path, rows are checked against the watermark the rows before them produced and the batch
    /// is cut before a row at or below it; the running watermark only changes when the partition that holds the minimum
    /// advances, so the minimum is recomputed only then.
    /// </summary>
    private void PushPartitioned(ChangeBatch batch)
    {
        var partitions = _partitions!;
        var partition = _partitioned!.CurrentPartition;
        partitions.EnsurePartitions(Math.Max(_partitioned.PartitionCount, partition + 1));
        partitions.MarkActive(partition);
        var n = batch.RowCount;
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
            if (strategy.IsNull(r)) continue;
            var before = partitions[partition];
            // Only a partition at or below the running minimum can raise it.
            if (partitions.Advance(partition, ToMillis(strategy.Values[r])) && before <= running)
                running = Math.Max(running, partitions.Min());
        }
        _output.Push(Slice(batch, start, n));
        _watermark = running;
        if (running > emitted) _output.Watermark(running);
    }

    /// <summary>A partition turned idle: the minimum over the others may be ahead.</summary>
    private void AdvanceAfterIdle()
    {
        var min = _partitions!.Min();
        if (min <= _watermark) return;
        _watermark = min;
        _output.Watermark(min);
    }
}
