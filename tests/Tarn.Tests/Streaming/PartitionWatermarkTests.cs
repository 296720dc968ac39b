using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The watermark assigner over a partitioned source (Kafka): event time per partition, the watermark is the minimum
/// over the partitions, idle partitions left out.
/// </summary>
public sealed class PartitionWatermarkTests
{
    private static readonly DataType Ts = DataType.Timestamp(3);

    /// <summary>A stand-in for a partitioned source: the test sets which partition the next pushed batch came from.</summary>
    private sealed class FakePartitionedSource(int partitions) : IPartitionedStreamSource
    {
        public int CurrentPartition { get; set; }
        public int PartitionCount { get; set; } = partitions;
        public IReadOnlyList<DataType> OutputTypes => [DataType.BigInt, Ts];
        public bool IsFinished => false;
        public ChangeBatch? Poll(int maxRows) => null;
        public ValueTask WaitForDataAsync(CancellationToken cancellation) => ValueTask.CompletedTask;
        public byte[] SavePosition() => [];
        public void RestorePosition(ReadOnlySpan<byte> position) { }
        public void Dispose() { }
    }

    /// <summary>Records the rows' times and the watermarks in the order they arrive.</summary>
    private sealed class Recorder : IChangeConsumer
    {
        public List<long> Rows { get; } = [];
        public List<long> Watermarks { get; } = [];
        public int LateRows { get; private set; }

        public void Push(ChangeBatch batch)
        {
            var ts = (PrimitiveVector<long>)batch.Rows[1];
            var watermark = Watermarks.Count == 0 ? long.MinValue : Watermarks[^1];
            for (var r = 0; r < batch.RowCount; r++)
            {
                var millis = ts.Values[r] / 1000;
                if (millis <= watermark) LateRows++;
                Rows.Add(millis);
            }
        }

        public void Watermark(long watermark) => Watermarks.Add(watermark);
        public void Flush() { }
        public void Finish() { }
    }

    private static StreamWatermarkAssigner Assigner(Recorder output)
    {
        var values = new LogicalValues([], [new OutputColumn("p", DataType.BigInt), new OutputColumn("ts", Ts)]);
        var plan = new LogicalWatermarkAssigner(values, 1, BoundExpressions.Column(1, Ts));
        return new StreamWatermarkAssigner(plan, new Tarn.Execution.ExecutionContext(), output);
    }

    private static ChangeBatch Batch(int partition, IReadOnlyList<long> millis)
    {
        var p = new PrimitiveVector<long>(DataType.BigInt, millis.Count);
        var ts = new PrimitiveVector<long>(Ts, millis.Count);
        foreach (var m in millis)
        {
            p.Append(partition);
            ts.Append(m * 1000);
        }
        return new ChangeBatch(new ColumnBatch([p, ts], millis.Count));
    }

    [Fact]
    public void Partitions_in_order_each_produce_no_late_rows_whatever_the_interleaving()
    {
        // (partition, rows in the batch, time step per row): each partition's times only grow, partitions drift apart.
        var genBatch = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 5], Gen.Int[1, 3_000]);
        genBatch.List[1, 40].Sample(batches =>
        {
            var source = new FakePartitionedSource(3);
            var output = new Recorder();
            var assigner = Assigner(output);
            assigner.UsePartitions(source, null);
            var clock = new long[3];
            var pushed = 0;
            foreach (var (partition, count, step) in batches)
            {
                var times = new List<long>();
                for (var i = 0; i < count; i++) times.Add(clock[partition] += step * (partition + 1));
                source.CurrentPartition = partition;
                assigner.Push(Batch(partition, times));
                pushed += count;
            }
            Assert.Equal(0, output.LateRows);
            Assert.Equal(pushed, output.Rows.Count);
            for (var i = 1; i < output.Watermarks.Count; i++) Assert.True(output.Watermarks[i] > output.Watermarks[i - 1]);
            // The watermark is the slowest partition's progress, and nothing while a partition has no rows yet.
            var expected = Math.Min(clock[0], Math.Min(clock[1], clock[2]));
            if (expected == 0) Assert.Empty(output.Watermarks);
            else Assert.Equal(expected, output.Watermarks[^1]);
        });
    }

    [Fact]
    public void Without_partitions_the_same_interleaving_makes_the_slow_partition_late()
    {
        var output = new Recorder();
        var assigner = Assigner(output);
        assigner.Push(Batch(0, [10_000, 20_000]));
        assigner.Push(Batch(1, [1_000, 2_000]));
        Assert.Equal(2, output.LateRows);

        var partitioned = new Recorder();
        var source = new FakePartitionedSource(2);
        assigner = Assigner(partitioned);
        assigner.UsePartitions(source, null);
        source.CurrentPartition = 0;
        assigner.Push(Batch(0, [10_000, 20_000]));
        Assert.Empty(partitioned.Watermarks); // partition 1 has no rows yet
        source.CurrentPartition = 1;
        assigner.Push(Batch(1, [1_000, 2_000]));
        Assert.Equal(0, partitioned.LateRows);
        Assert.Equal([2_000L], partitioned.Watermarks);
    }

    [Fact]
    public void A_row_behind_its_own_partitions_watermark_is_still_late()
    {
        var output = new Recorder();
        var source = new FakePartitionedSource(1);
        var assigner = Assigner(output);
        assigner.UsePartitions(source, null);
        assigner.Push(Batch(0, [5_000, 3_000, 6_000]));
        Assert.Equal(1, output.LateRows);
        Assert.Equal([5_000L, 6_000L], output.Watermarks);
    }

    [Fact]
    public void An_idle_partition_stops_holding_the_watermark_back()
    {
        var idleness = new SourceIdleness(TimeSpan.FromMilliseconds(1));
        var output = new Recorder();
        var source = new FakePartitionedSource(2);
        var assigner = Assigner(output);
        assigner.UsePartitions(source, idleness);
        source.CurrentPartition = 0;
        assigner.Push(Batch(0, [10_000]));
        Assert.Empty(output.Watermarks);
        // Both partitions go silent past the timeout; partition 0 then produces again while partition 1 stays idle.
        Thread.Sleep(20);
        Assert.True(idleness.Tick());
        assigner.Push(Batch(0, [12_000]));
        Assert.Equal(12_000L, output.Watermarks[^1]);
        Assert.Equal(0, output.LateRows);
    }
}
