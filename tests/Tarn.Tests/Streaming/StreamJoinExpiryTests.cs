using CsCheck;
using Tarn.Execution.Streaming;
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
/// Interval joins: the time bounds are recognized in the condition, and rows leave state once the other input's
/// watermark shows they cannot match anymore, without changing the output of inputs that respect their watermarks.
/// </summary>
public sealed class StreamJoinExpiryTests : IDisposable
{
    private const long Second = 1_000_000; // TIMESTAMP and INTERVAL DAY TO SECOND units: microseconds

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-sjexp-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly DataType Ts = DataType.Timestamp(3);
    private static readonly DataType[] Types = [DataType.BigInt, Ts];

    private static BoundExpression Shifted(int column, long micros) =>
        new BoundArithmetic(micros >= 0 ? ArithmeticOperator.Add : ArithmeticOperator.Subtract, BoundExpressions.Column(column, Ts),
            BoundExpressions.Literal(Math.Abs(micros), new DataType(TypeKind.IntervalDayTime)), Ts);

    /// <summary>l.ts BETWEEN r.ts - 5 s AND r.ts + 2 s, over (l.k, l.ts, r.k, r.ts).</summary>
    private static readonly BoundExpression Between = BoundExpressions.And(
        BoundExpressions.Compare(ComparisonOperator.GreaterOrEqual, BoundExpressions.Column(1, Ts), Shifted(3, -5 * Second)),
        BoundExpressions.Compare(ComparisonOperator.LessOrEqual, BoundExpressions.Column(1, Ts), Shifted(3, 2 * Second)));

    [Fact]
    public void Bounds_are_found_in_between_and_in_mirrored_comparisons()
    {
        Assert.Equal(new IntervalJoinBounds(1, 1, -5 * Second, 2 * Second), IntervalJoinBounds.Find(Between, 2));
        var mirrored = BoundExpressions.Compare(ComparisonOperator.Greater, BoundExpressions.Column(3, Ts), Shifted(1, Second)); // r.ts > l.ts + 1 s
        Assert.Equal(new IntervalJoinBounds(1, 1, null, -Second - 1), IntervalJoinBounds.Find(mirrored, 2));
        Assert.Null(IntervalJoinBounds.Find(BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(0, DataType.BigInt), BoundExpressions.Column(2, DataType.BigInt)), 2));
    }

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add(string.Join("|", batch.Rows.Columns.Select(c => Render(c.GetValue(r)))) + " " + batch.KindOf(r));
        }

        private static string Render(object? value) => value switch
        {
            null => "NULL",
            DateTime t => ((t - DateTime.UnixEpoch).Ticks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    private static ChangeBatch Row(long k, long micros)
    {
        var key = new PrimitiveVector<long>(DataType.BigInt, 1);
        key.Append(k);
        var ts = new PrimitiveVector<long>(Ts, 1);
        ts.Append(micros);
        return new ChangeBatch(new ColumnBatch([key, ts], 1));
    }

    private static StreamJoin Join(LogicalJoinKind kind, StateSession session, IChangeConsumer output, bool expire)
    {
        var join = new StreamJoin(kind, Types, Types, [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(0, DataType.BigInt)],
            Between, [.. Types, .. Types.Select(t => t.WithNullable(true))], new StreamStateContext(session).ForNextOperator(), new Tarn.Execution.ExecutionContext(), output);
        if (expire) join.EnableIntervalExpiry(IntervalJoinBounds.Find(Between, 2)!);
        return join;
    }

    private static int StateRecords(StateSession session)
    {
        var prefix = new Tarn.Storage.Format.ByteWriter(8);
        prefix.WriteInt32(1);
        using var scan = session.ScanPrefix(prefix.WrittenSpan);
        var n = 0;
        while (scan.MoveNext()) n++;
        return n;
    }

    [Fact]
    public void Rows_the_other_watermark_has_passed_leave_state()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = _dir });
        using var session = store.NewSession();
        var output = new Collector();
        var join = Join(LogicalJoinKind.Inner, session, output, expire: true);
        join.Left.Push(Row(1, 1 * Second));
        join.Left.Push(Row(1, 20 * Second));
        join.Right.Watermark(10_000); // left rows up to 10 s - 5 s can match no right row newer than 10 s
        join.Left.Watermark(10_000);
        join.Right.Push(Row(1, 4 * Second)); // late: it would have matched the expired left row
        join.Right.Push(Row(1, 18 * Second));
        Assert.Equal(["1|20000000|1|18000000 Insert"], output.Rows);

        join.Left.Watermark(60_000);
        join.Right.Watermark(60_000);
        Assert.Equal(0, StateRecords(session));
    }

    [Fact]
    public void Rows_arriving_after_the_other_input_ended_join_its_rows_but_are_not_stored()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = _dir });
        using var session = store.NewSession();
        var output = new Collector();
        var join = Join(LogicalJoinKind.Full, session, output, expire: true);
        join.Right.Push(Row(1, 10 * Second));
        join.Right.Watermark(long.MaxValue); // the right input ended
        var stored = StateRecords(session);
        join.Left.Push(Row(1, 11 * Second)); // matches the right row: its padded row is retracted
        join.Left.Push(Row(1, 12 * Second));
        join.Left.Push(Row(2, 12 * Second)); // no match: padded
        join.Left.Watermark(long.MaxValue);
        string[] expected =
        [
            "1|11000000|1|10000000 Insert",
            "1|12000000|1|10000000 Insert",
            "2|12000000|NULL|NULL Insert",
            "NULL|NULL|1|10000000 Delete",
            "NULL|NULL|1|10000000 Insert",
        ];
        Assert.Equal(expected, output.Rows.Order(StringComparer.Ordinal));
        Assert.True(StateRecords(session) <= stored, "rows of the left input were stored after the right one ended");
    }

    [Fact]
    public void Rows_appended_to_a_key_over_many_batches_all_match_and_all_expire()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = _dir });
        using var session = store.NewSession();
        var output = new Collector();
        var join = Join(LogicalJoinKind.Inner, session, output, expire: true);
        for (var b = 0; b < 100; b++)
        {
            var keys = new PrimitiveVector<long>(DataType.BigInt, 40);
            var times = new PrimitiveVector<long>(Ts, 40);
            for (var r = 0; r < 40; r++)
            {
                keys.Append(1);
                times.Append((10 * Second) + (r % 20)); // every row twice: equal rows appended in one batch and across batches
            }
            join.Left.Push(new ChangeBatch(new ColumnBatch([keys, times], 40)));
        }
        join.Right.Push(Row(1, 11 * Second));
        join.Right.Push(Row(2, 11 * Second));
        Assert.Equal(4000, output.Rows.Count);
        Assert.Equal(20, output.Rows.Distinct().Count());
        join.Left.Push(Row(1, 12 * Second));
        Assert.Equal(4001, output.Rows.Count); // the one right row of key 1

        join.Left.Watermark(60_000);
        join.Right.Watermark(60_000);
        Assert.Equal(0, StateRecords(session));
    }

    /// <summary>One input event: a row (side, key, time offset after the side's watermark) or a watermark advance.</summary>
    private sealed record Event(bool Left, bool IsWatermark, int Key, int Delta);

    [Fact]
    public void Expiry_never_changes_the_output_of_inputs_that_respect_their_watermarks()
    {
        var genEvent = Gen.Select(Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 12_000],
            (left, what, key, delta) => new Event(left, what == 0, key, delta));
        var kinds = new[] { LogicalJoinKind.Inner, LogicalJoinKind.Left, LogicalJoinKind.Full, LogicalJoinKind.Semi, LogicalJoinKind.Anti };
        Gen.Select(genEvent.List[1, 40], Gen.Int[0, kinds.Length - 1]).Sample((events, kindIndex) =>
        {
            var kind = kinds[kindIndex];
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            try
            {
                using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
                using var session = store.NewSession();
                var context = new StreamStateContext(session); // operator ids 1 and 2
                var plain = new Collector();
                var expiring = new Collector();
                var outputTypes = kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti ? Types : [.. Types, .. Types.Select(t => t.WithNullable(true))];
                var a = new StreamJoin(kind, Types, Types, [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(0, DataType.BigInt)],
                    Between, outputTypes, context.ForNextOperator(), new Tarn.Execution.ExecutionContext(), plain);
                var b = new StreamJoin(kind, Types, Types, [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(0, DataType.BigInt)],
                    Between, outputTypes, context.ForNextOperator(), new Tarn.Execution.ExecutionContext(), expiring);
                b.EnableIntervalExpiry(IntervalJoinBounds.Find(Between, 2)!);
                var watermarks = new long[] { 0, 0 }; // ms
                foreach (var e in events)
                {
                    var side = e.Left ? 0 : 1;
                    if (e.IsWatermark)
                    {
                        watermarks[side] += e.Delta;
                        (side == 0 ? a.Left : a.Right).Watermark(watermarks[side]);
                        (side == 0 ? b.Left : b.Right).Watermark(watermarks[side]);
                    }
                    else
                    {
                        var row = Row(e.Key, (watermarks[side] + 1 + e.Delta) * 1000);
                        (side == 0 ? a.Left : a.Right).Push(row);
                        (side == 0 ? b.Left : b.Right).Push(row);
                    }
                }
                Assert.Equal(plain.Rows, expiring.Rows);
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }, iter: 60);
    }
}
