using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.State;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Sliced HOP window aggregation (one slice per row, windows merged from slices) against the unsliced window aggregate
/// (one update per window per row) on the same random out-of-order input, late rows included.
/// </summary>
public sealed class HopSlicingTests : IDisposable
{
    private static readonly DataType Ts = DataType.Timestamp(3);
    private static readonly DataType NullableInt = DataType.Int.WithNullable(true);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-hopslice-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>
    /// SELECT k, window_start, window_end, COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v) FILTER (WHERE v &gt; 0)
    /// FROM HOP(input with WATERMARK FOR ts AS ts) GROUP BY k, window_start, window_end.
    /// </summary>
    private static LogicalAggregate Plan(long sizeMillis, long slideMillis, out LogicalWatermarkAssigner watermarked, out LogicalWindowTvf tvf)
    {
        var values = new LogicalValues([], [new OutputColumn("k", DataType.BigInt), new OutputColumn("ts", Ts), new OutputColumn("v", NullableInt)]);
        watermarked = new LogicalWatermarkAssigner(values, 1, BoundExpressions.Column(1, Ts));
        tvf = new LogicalWindowTvf(watermarked, WindowTvfKind.Hop, 1, sizeMillis, slideMillis, 0, []);
        var v = BoundExpressions.Column(2, NullableInt);
        var positive = BoundExpressions.Compare(ComparisonOperator.Greater, v, BoundExpressions.Literal(0, DataType.Int));
        AggregateCall[] calls =
        [
            new(AggregateKind.CountStar, null, false, null, DataType.BigInt),
            new(AggregateKind.Count, v, false, null, DataType.BigInt),
            new(AggregateKind.Sum, v, false, null, DataType.BigInt.WithNullable(true)),
            new(AggregateKind.Min, v, false, null, NullableInt),
            new(AggregateKind.Max, v, false, positive, NullableInt),
        ];
        var windowType = Ts.WithNullable(false);
        BoundExpression[] keys = [BoundExpressions.Column(0, DataType.BigInt), BoundExpressions.Column(3, windowType), BoundExpressions.Column(4, windowType)];
        OutputColumn[] columns =
        [
            new("k", DataType.BigInt), new("window_start", windowType), new("window_end", windowType),
            new("n", DataType.BigInt), new("nv", DataType.BigInt), new("sv", DataType.BigInt.WithNullable(true)), new("mn", NullableInt), new("mx", NullableInt),
        ];
        return new LogicalAggregate(tvf, keys, calls, columns);
    }

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add(string.Join("|", batch.Rows.Columns.Select(c => Convert.ToString(c.GetValue(r), System.Globalization.CultureInfo.InvariantCulture) ?? "NULL")) + " " + batch.KindOf(r));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    /// <summary>One input row: key, time (ms after a base, may go back: out of order or late), value (0 = NULL), batch break.</summary>
    private sealed record Event(int Key, int Advance, int Back, int Value, bool EndsBatch);

    private static ChangeBatch Batch(List<(long Key, long Micros, int Value)> rows)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, rows.Count);
        var ts = new PrimitiveVector<long>(Ts, rows.Count);
        var v = ColumnVector.Create(NullableInt, rows.Count);
        foreach (var (key, micros, value) in rows)
        {
            k.Append(key);
            ts.Append(micros);
            if (value == 0) v.AppendNull();
            else ((PrimitiveVector<int>)v).Append(value);
        }
        return new ChangeBatch(new ColumnBatch([k, ts, v], rows.Count));
    }

    [Fact]
    public void Sliced_hop_aggregate_equals_the_unsliced_one_with_late_rows()
    {
        var genEvent = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1500], Gen.Int[0, 12_000], Gen.Int[-3, 5], Gen.Int[0, 3])
            .Select((k, advance, back, value, brk) => new Event(k, advance, back % 3 == 0 ? back : 0, value, brk == 0));
        var genWindow = Gen.Select(Gen.Int[1, 3], Gen.Int[2, 5], Gen.Bool).Select((slide, factor, exact) =>
            (Size: slide * 1000L * factor + (exact ? 0 : 1000L), Slide: slide * 1000L));
        Gen.Select(genEvent.List[1, 60], genWindow).Sample((events, window) =>
        {
            var plan = Plan(window.Size, window.Slide, out var watermarked, out var tvf);
            Assert.NotNull(HopSlicing.TryMatch(plan));
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            try
            {
                using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
                using var session = store.NewSession();
                var state = new StreamStateContext(session);
                var context = new Tarn.Execution.ExecutionContext();
                var sliced = new Collector();
                var reference = new Collector();
                var slicedLate = new Collector();
                var referenceLate = new Collector();
                var registry = new LateRowRegistry("job", slicedLate);
                var slicedEntry = new StreamPlanner(null!, context, state) { LateRows = registry }.Lower(plan, sliced).Inputs[0].Entry;
                var referenceAggregate = new StreamGroupAggregate(plan.Keys, plan.Aggregates, false, state.ForNextOperator(), context, reference, WindowAggregates.WindowEndKey(plan))
                {
                    LateRowReporter = new LateRowReporter("job", "GroupAggregate#1", [.. tvf.Output.Select(c => c.Name)], referenceLate),
                };
                var referenceEntry = new StreamWatermarkAssigner(watermarked, context, new StreamWindowTvf(tvf, context, referenceAggregate));

                var rows = new List<(long, long, int)>();
                var clock = 100_000L;
                foreach (var e in events)
                {
                    clock += e.Advance;
                    rows.Add((e.Key, (clock - e.Back) * 1000, e.Value));
                    if (!e.EndsBatch) continue;
                    slicedEntry.Push(Batch(rows));
                    referenceEntry.Push(Batch(rows));
                    rows.Clear();
                }
                if (rows.Count > 0)
                {
                    slicedEntry.Push(Batch(rows));
                    referenceEntry.Push(Batch(rows));
                }
                slicedEntry.Finish();
                referenceEntry.Finish();
                Assert.Equal(reference.Rows.Order(StringComparer.Ordinal), sliced.Rows.Order(StringComparer.Ordinal));
                // The same late (row, window) pairs: counted alike and reported with the same window ends and watermarks.
                Assert.Equal(referenceAggregate.LateRows, registry.Count);
                Assert.Equal(referenceAggregate.LateRows, referenceLate.Rows.Count);
                Assert.Equal(referenceLate.Rows.Select(EventAndWatermark).Order(StringComparer.Ordinal), slicedLate.Rows.Select(EventAndWatermark).Order(StringComparer.Ordinal));
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }, iter: 60);
    }

    /// <summary>A collected late-row table row's event_time and watermark (job_id|operator|event_time|watermark|row_data kind).</summary>
    private static string EventAndWatermark(string lateRow)
    {
        var fields = lateRow.Split('|');
        return fields[2] + "|" + fields[3];
    }

    [Fact]
    public void Identical_aggregates_in_one_plan_run_once_and_feed_each_occurrence()
    {
        var twin = Plan(10_000, 2_000, out _, out _);
        var same = Plan(10_000, 2_000, out _, out _);
        var other = Plan(10_000, 5_000, out _, out _);
        Assert.True(SubplanReuse.Same(twin, same));
        Assert.False(SubplanReuse.Same(twin, other));

        using var store = StateStore.Open(new StateStoreOptions { Directory = _dir });
        using var session = store.NewSession();
        var context = new Tarn.Execution.ExecutionContext();
        var union = new LogicalUnionAll([twin, same, other], twin.Columns);
        var output = new Collector();
        var graph = new StreamPlanner(null!, context, new StreamStateContext(session)).Lower(union, output);
        Assert.Equal(2, graph.Inputs.Count); // the twins share one input and one aggregate
        foreach (var input in graph.Inputs)
        {
            input.Entry.Push(Batch([(1, 100_500 * 1000L, 7), (2, 101_000 * 1000L, 0)]));
            input.Entry.Finish();
        }
        // each row lies in 5 windows of the twins (each emitted twice) and 2 of the other
        Assert.Equal((2 * 5 * 2) + (2 * 2), output.Rows.Count);
        Assert.Equal(2, output.Rows.Count(r => r.StartsWith("1|", StringComparison.Ordinal) && r.Contains("|1|1|7|7|7 ", StringComparison.Ordinal) && r.Contains(":01:32", StringComparison.Ordinal)));
    }
}
