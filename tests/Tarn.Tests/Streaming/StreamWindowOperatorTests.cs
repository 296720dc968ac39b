using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.State;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The watermark operators (SESSION windows, window ranking, event-time sort) on their own: late rows are dropped and
/// counted, and state is complete after Flush — a restarted operator continues exactly as one that never stopped.
/// </summary>
public sealed class StreamWindowOperatorTests : StreamingTestBase
{
    private static readonly DataType Ts = DataType.Timestamp(3);
    private static readonly DataType[] Types = [DataType.BigInt, Ts, Ts]; // key, event time, window end (10 s tumbling)

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add(string.Join("|", batch.Rows.Columns.Select(c => c.GetValue(r) is DateTime t ? ((t - DateTime.UnixEpoch).Ticks / 10_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.GetValue(r)?.ToString() ?? "NULL")) + " " + batch.KindOf(r));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    private static ChangeBatch Row(long key, long millis)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, 1);
        k.Append(key);
        var ts = new PrimitiveVector<long>(Ts, 1);
        ts.Append(millis * 1000);
        var end = new PrimitiveVector<long>(Ts, 1);
        end.Append((Math.DivRem(millis, 10_000, out var rem) - (rem < 0 ? 1 : 0) + 1) * 10_000 * 1000);
        return new ChangeBatch(new ColumnBatch([k, ts, end], 1));
    }

    private static LogicalWindowTvf Session(long gapMillis) =>
        new(new LogicalValues([], [new OutputColumn("k", Types[0]), new OutputColumn("ts", Ts), new OutputColumn("e", Ts)]),
            WindowTvfKind.Session, 1, gapMillis, 0, 0, [0]);

    private static readonly Func<OperatorState, IChangeConsumer, IChangeConsumer>[] s_operators =
    [
        (state, output) => new StreamSessionWindow(Session(3000), state, new Tarn.Execution.ExecutionContext(), output),
        (state, output) => new StreamWindowRank([BoundExpressions.Column(2, Ts)], [new BoundSortKey(BoundExpressions.Column(1, Ts), Descending: true)], 2,
            Types, DataType.BigInt, 1, 2, state, new Tarn.Execution.ExecutionContext(), output),
        (state, output) => new StreamEventTimeSort(1, Types, state, output),
    ];

    private static long LateRows(IChangeConsumer op) => op switch
    {
        StreamSessionWindow s => s.LateRows,
        StreamWindowRank w => w.LateRows,
        StreamEventTimeSort e => e.LateRows,
        _ => throw new ArgumentException("unknown operator", nameof(op)),
    };

    [Fact]
    public void Session_merges_rows_emits_when_the_watermark_passes_and_drops_late_rows()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = Dir });
        using var session = store.NewSession();
        var output = new Collector();
        var op = new StreamSessionWindow(Session(5000), new StreamStateContext(session).ForNextOperator(), new Tarn.Execution.ExecutionContext(), output);
        op.Push(Row(1, 1000));
        op.Push(Row(1, 9000)); // a session of its own for now
        op.Push(Row(2, 2000));
        op.Push(Row(1, 5000)); // bridges both: [1 s, 14 s)
        op.Watermark(7000); // closes key 2's [2 s, 7 s)
        Assert.Equal(["2|2000|10000|2000|7000|6999 Insert"], output.Rows);
        op.Push(Row(2, 1500)); // [1.5 s, 6.5 s) is final already: late
        Assert.Equal(1, op.LateRows);
        op.Watermark(13_999);
        Assert.Equal(4, output.Rows.Count);
        Assert.Contains("1|5000|10000|1000|14000|13999 Insert", output.Rows);
        Assert.Equal(0, op.OpenSessions);
    }

    [Fact]
    public void Window_rank_emits_the_top_rows_of_each_closed_window()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = Dir });
        using var session = store.NewSession();
        var output = new Collector();
        var op = (StreamWindowRank)s_operators[1](new StreamStateContext(session).ForNextOperator(), output);
        foreach (var t in new long[] { 1000, 7000, 4000, 12_000 }) op.Push(Row(1, t));
        op.Watermark(9998);
        Assert.Empty(output.Rows);
        op.Watermark(9999);
        Assert.Equal(["1|7000|10000|1 Insert", "1|4000|10000|2 Insert"], output.Rows);
        op.Push(Row(1, 9000));
        Assert.Equal(1, op.LateRows);
        Assert.Equal(1, op.OpenGroups);
    }

    [Fact]
    public void Event_time_sort_releases_rows_in_time_order()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = Dir });
        using var session = store.NewSession();
        var output = new Collector();
        var op = new StreamEventTimeSort(1, Types, new StreamStateContext(session).ForNextOperator(), output);
        foreach (var t in new long[] { 3000, 1000, 2000, 5000 }) op.Push(Row(1, t));
        op.Watermark(3000);
        Assert.Equal(["1|1000|10000 Insert", "1|2000|10000 Insert"], output.Rows); // 3000 waits: a row at the watermark is not late
        op.Push(Row(1, 3000));
        op.Push(Row(1, 2999));
        Assert.Equal(1, op.LateRows);
        op.Watermark(long.MaxValue);
        Assert.Equal(["1|3000|10000 Insert", "1|3000|10000 Insert", "1|5000|10000 Insert"], output.Rows[2..]);
    }

    /// <summary>State of operator 2 (operator 1 is the uninterrupted twin in the same store).</summary>
    private static OperatorState SecondOperator(StateSession session)
    {
        var context = new StreamStateContext(session);
        context.ForNextOperator();
        return context.ForNextOperator();
    }

    /// <summary>An input event: a row (key, time relative to the watermark, possibly late) or a watermark advance.</summary>
    private sealed record Event(bool IsWatermark, int Key, int Delta);

    [Fact]
    public void Restarting_after_a_flush_changes_nothing()
    {
        var events = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[-3000, 12_000], (what, key, delta) => new Event(what == 0, key, delta)).List[1, 40];
        Gen.Select(events, Gen.Int[0, 40], Gen.Int[0, s_operators.Length - 1]).Sample((list, restartAt, which) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
            using var session = store.NewSession();
            var make = s_operators[which];
            var plain = new Collector();
            var restarted = new Collector();
            var a = make(new StreamStateContext(session).ForNextOperator(), plain);
            var b = make(SecondOperator(session), restarted);
            long watermark = 0, late = 0;
            for (var i = 0; i < list.Count; i++)
            {
                if (i == restartAt)
                {
                    b.Flush();
                    late += LateRows(b);
                    b = make(SecondOperator(session), restarted);
                }
                var e = list[i];
                if (e.IsWatermark)
                {
                    watermark += e.Delta;
                    a.Watermark(watermark);
                    b.Watermark(watermark);
                }
                else
                {
                    a.Push(Row(e.Key, watermark + e.Delta));
                    b.Push(Row(e.Key, watermark + e.Delta));
                }
            }
            a.Watermark(long.MaxValue);
            b.Watermark(long.MaxValue);
            Assert.Equal(plain.Rows.Order(StringComparer.Ordinal), restarted.Rows.Order(StringComparer.Ordinal));
            Assert.Equal(LateRows(a), late + LateRows(b));
        }, iter: 60);
    }
}
