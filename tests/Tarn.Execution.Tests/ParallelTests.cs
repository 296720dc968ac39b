using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

public class ParallelTests
{
    private static readonly DataType[] s_types = [DataType.Int, DataType.String];

    private static List<Func<IBatchOperator>> Morsels(List<object?[]> rows, int perMorsel, Func<IBatchOperator, IBatchOperator>? stack = null)
    {
        var morsels = new List<Func<IBatchOperator>>();
        for (var i = 0; i < rows.Count; i += perMorsel)
        {
            var part = rows.Skip(i).Take(perMorsel).ToList();
            morsels.Add(() =>
            {
                IBatchOperator op = TestData.Source(s_types, part, 7, dictionaryStrings: true);
                return stack is null ? op : stack(op);
            });
        }
        return morsels;
    }

    [Fact]
    public void Gather_returns_every_row_of_every_morsel()
    {
        Gen.Select(Gen.Int[0, 500], Gen.Int[1, 60], Gen.Int[1, 4]).Sample((count, perMorsel, workers) =>
        {
            var rows = Enumerable.Range(0, count).Select(i => new object?[] { i, "s" + (i % 7) }).ToList();
            var filter = BoundExpressions.Compare(ComparisonOperator.NotEqual, BoundExpressions.Column(1, DataType.String), BoundLiteral.Of("s3"));
            var morsels = Morsels(rows, perMorsel, op => new FilterOperator(op, filter, TestData.Context()));
            var output = TestData.Drain(new ParallelGatherOperator(new ListMorselSource(morsels), s_types, TestData.Context(parallelism: workers)));
            var expected = rows.Where(r => (string)r[1]! != "s3").Select(r => (int)r[0]!).Order().ToList();
            Assert.Equal(expected, output.Select(r => (int)r[0]!).Order().ToList());
        }, iter: PropertySettings.Iter(100), threads: 1);
    }

    private sealed class FailingOperator : IBatchOperator
    {
        public IReadOnlyList<DataType> OutputTypes => s_types;
        public ColumnBatch? Next() => throw new TarnException(SqlStates.DivisionByZero, "division by zero");
        public void Dispose() { }
    }

    [Fact]
    public void A_worker_failure_reaches_the_consumer()
    {
        var rows = Enumerable.Range(0, 100).Select(i => new object?[] { i, "x" }).ToList();
        var morsels = Morsels(rows, 10);
        morsels.Insert(3, () => new FailingOperator());
        var gather = new ParallelGatherOperator(new ListMorselSource(morsels), s_types, TestData.Context(parallelism: 3));
        Assert.Equal(SqlStates.DivisionByZero, Assert.Throws<TarnException>(() => TestData.Drain(gather)).SqlState);
        var aggregate = new ParallelHashAggregateOperator(new ListMorselSource(morsels), [], [BoundExpressions.Aggregate(AggregateKind.CountStar, null)], TestData.Context(parallelism: 3));
        Assert.Equal(SqlStates.DivisionByZero, Assert.Throws<TarnException>(() => TestData.Drain(aggregate)).SqlState);
    }

    [Fact]
    public void Disposing_early_stops_the_workers()
    {
        var rows = Enumerable.Range(0, 20000).Select(i => new object?[] { i, "x" }).ToList();
        var gather = new ParallelGatherOperator(new ListMorselSource(Morsels(rows, 100)), s_types, TestData.Context(parallelism: 2));
        var limited = TestData.Drain(new LimitOperator(gather, 5));
        Assert.Equal(5, limited.Count);
    }

    [Fact]
    public void Cancellation_raises_57014()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var ctx = new ExecutionContext { Cancellation = cts.Token, Parallelism = 2 };
        var rows = Enumerable.Range(0, 100).Select(i => new object?[] { i, "x" }).ToList();
        var op = new ParallelHashAggregateOperator(new ListMorselSource(Morsels(rows, 10)), [], [BoundExpressions.Aggregate(AggregateKind.CountStar, null)], ctx);
        Assert.Equal(SqlStates.QueryCanceled, Assert.Throws<TarnException>(() => TestData.Drain(op)).SqlState);
        var filter = new FilterOperator(TestData.Source(s_types, rows), BoundLiteral.Of(true), ctx);
        Assert.Equal(SqlStates.QueryCanceled, Assert.Throws<TarnException>(() => TestData.Drain(filter)).SqlState);
    }

    [Fact]
    public async Task Parallel_aggregates_started_from_every_pool_thread_at_once_all_finish()
    {
        // Each query queues helpers on the thread pool while every pool thread is itself running a query: callers must
        // not wait for helpers the pool has not started (they do the work themselves), or this would stall.
        var rows = Enumerable.Range(0, 2000).Select(i => new object?[] { i, "x" }).ToList();
        var queries = Environment.ProcessorCount * 8;
        var counts = new long[queries];
        var tasks = Enumerable.Range(0, queries).Select(q => Task.Run(() =>
        {
            var op = new ParallelHashAggregateOperator(new ListMorselSource(Morsels(rows, 50)), [],
                [BoundExpressions.Aggregate(AggregateKind.CountStar, null)], TestData.Context(parallelism: 4));
            counts[q] = Convert.ToInt64(TestData.Drain(op).Single()[0]);
        })).ToArray();
        var all = Task.WhenAll(tasks);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))));
        await all;
        Assert.All(counts, c => Assert.Equal(2000L, c));
    }
}
