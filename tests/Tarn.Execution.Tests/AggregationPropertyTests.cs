using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>HashAggregate (serial, dictionary-encoded, parallel) against a row-at-a-time reference.</summary>
public class AggregationPropertyTests
{
    private static readonly DataType[] s_schema =
        [DataType.String, DataType.Int, DataType.Int, DataType.Double, DataType.Decimal(9, 2), DataType.BigInt, DataType.Boolean];

    private static readonly string[] s_keys = ["pending", "shipped", "delivered", "x", "", "é"];

    private static BoundColumnRef Col(int i) => BoundExpressions.Column(i, s_schema[i]);

    private sealed record Case(List<object?[]> Rows, List<BoundExpression> Keys, List<AggregateCall> Aggregates, int BatchSize, bool Dictionary);

    private static Case Generate(int seed)
    {
        var rnd = new Random(seed);
        bool Chance(int p) => rnd.Next(100) < p;
        var groupKinds = rnd.Next(1, 7);
        var rows = new List<object?[]>();
        var count = Chance(10) ? 0 : rnd.Next(1, 400);
        for (var i = 0; i < count; i++)
        {
            rows.Add(
            [
                Chance(10) ? null : s_keys[rnd.Next(Math.Min(groupKinds, s_keys.Length))],
                Chance(10) ? null : rnd.Next(-3, 3) * (Chance(5) ? 1_000_000 : 1),
                Chance(20) ? null : rnd.Next(-1000, 1000),
                Chance(20) ? null : rnd.Next(-1000, 1000) / 4.0,
                Chance(20) ? null : (long)rnd.Next(-1_000_000, 1_000_000),
                Chance(20) ? null : (long)rnd.Next(int.MinValue, int.MaxValue) * 1000,
                Chance(20) ? null : Chance(50),
            ]);
        }
        var keys = new List<BoundExpression>();
        switch (rnd.Next(6))
        {
            case 0: break;
            case 1: keys.Add(Col(0)); break;
            case 2: keys.Add(Col(1)); break;
            case 3: keys.Add(Col(0)); keys.Add(Col(1)); break;
            case 4: keys.Add(BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, Col(2), BoundLiteral.Of(3))); break;
            default: keys.Add(Col(6)); keys.Add(Col(0)); break;
        }
        var aggregates = new List<AggregateCall>();
        var n = rnd.Next(1, 5);
        for (var i = 0; i < n; i++)
        {
            var kind = (AggregateKind)rnd.Next(6);
            var arg = kind == AggregateKind.CountStar ? null : Col(kind is AggregateKind.Min or AggregateKind.Max or AggregateKind.Count ? rnd.Next(0, 7) : rnd.Next(2, 6));
            BoundExpression? filter = rnd.Next(4) switch
            {
                0 => Col(6),
                1 => BoundExpressions.Compare(ComparisonOperator.Greater, Col(2), BoundLiteral.Of(0)),
                _ => null,
            };
            aggregates.Add(BoundExpressions.Aggregate(kind, arg, distinct: arg is not null && Chance(25), filter));
        }
        return new Case(rows, keys, aggregates, rnd.Next(1, 160), Chance(60));
    }

    private static void AssertSameGroups(List<object?[]> expected, List<object?[]> actual, string context)
    {
        Assert.True(expected.Count == actual.Count, $"{context}\nexpected {expected.Count} groups, got {actual.Count}\n{TestData.Show(actual)}");
        var remaining = actual.ToList();
        foreach (var row in expected)
        {
            var match = remaining.FindIndex(r => TestData.SameRow(r, row, 1e-12));
            Assert.True(match >= 0, $"{context}\nmissing group {TestData.Show(row)}\nexpected:\n{TestData.Show(expected)}\nactual:\n{TestData.Show(actual)}");
            remaining.RemoveAt(match);
        }
    }

    private static string Describe(Case c) =>
        $"GROUP BY [{string.Join(", ", c.Keys)}] computing [{string.Join(", ", c.Aggregates)}], {c.Rows.Count} rows, batches of {c.BatchSize}, dictionary={c.Dictionary}";

    [Fact]
    public void Serial_aggregation_matches_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var expected = ReferenceAggregation.Aggregate(c.Rows, c.Keys, c.Aggregates);
            var op = new HashAggregateOperator(TestData.Source(s_schema, c.Rows, c.BatchSize, c.Dictionary), c.Keys, c.Aggregates, TestData.Context(batchSize: 7));
            Assert.Equal([.. s_schema.Take(0), .. c.Keys.Select(k => k.Type), .. c.Aggregates.Select(a => a.Type)], op.OutputTypes);
            AssertSameGroups(expected, TestData.Drain(op), Describe(c));
        }, iter: PropertySettings.Iter(600));
    }

    [Fact]
    public void Parallel_aggregation_equals_serial()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var serial = TestData.Drain(new HashAggregateOperator(TestData.Source(s_schema, c.Rows, c.BatchSize, c.Dictionary), c.Keys, c.Aggregates, TestData.Context()));
            var batches = TestData.Batches(s_schema, c.Rows, c.BatchSize, c.Dictionary);
            var morsels = batches.Select(b => (Func<IBatchOperator>)(() => new InMemoryOperator(s_schema, [b]))).ToList();
            var parallel = TestData.Drain(new ParallelHashAggregateOperator(new ListMorselSource(morsels), c.Keys, c.Aggregates, TestData.Context(parallelism: 3)));
            AssertSameGroups(serial, parallel, Describe(c));
        }, iter: PropertySettings.Iter(300), threads: 1);
    }

    [Fact]
    public void Global_aggregate_of_empty_input_is_one_row()
    {
        AggregateCall[] aggs =
        [
            BoundExpressions.Aggregate(AggregateKind.CountStar, null),
            BoundExpressions.Aggregate(AggregateKind.Count, Col(2)),
            BoundExpressions.Aggregate(AggregateKind.Sum, Col(2)),
            BoundExpressions.Aggregate(AggregateKind.Avg, Col(3)),
            BoundExpressions.Aggregate(AggregateKind.Max, Col(0)),
        ];
        var rows = TestData.Drain(new HashAggregateOperator(TestData.Source(s_schema, []), [], aggs, TestData.Context()));
        Assert.Single(rows);
        Assert.Equal(new object?[] { 0L, 0L, null, null, null }, rows[0]);
        var grouped = TestData.Drain(new HashAggregateOperator(TestData.Source(s_schema, []), [Col(0)], aggs, TestData.Context()));
        Assert.Empty(grouped);
        var parallel = TestData.Drain(new ParallelHashAggregateOperator(new ListMorselSource([]), [], aggs, TestData.Context(parallelism: 2)));
        Assert.Equal(new object?[] { 0L, 0L, null, null, null }, Assert.Single(parallel));
    }

    [Fact]
    public void Sum_overflow_is_an_error()
    {
        var rows = new List<object?[]> { new object?[] { "a", 1, 1, 1.0, 1L, long.MaxValue, true }, new object?[] { "a", 1, 1, 1.0, 1L, 1L, true } };
        var op = new HashAggregateOperator(TestData.Source(s_schema, rows), [Col(0)], [BoundExpressions.Aggregate(AggregateKind.Sum, Col(5))], TestData.Context());
        Assert.Equal(SqlStates.NumericValueOutOfRange, Assert.Throws<TarnException>(() => TestData.Drain(op)).SqlState);
    }

    [Fact]
    public void Aggregation_beyond_the_memory_limit_fails_cleanly()
    {
        var rows = Enumerable.Range(0, 20000).Select(i => new object?[] { "k" + i, i, i, 1.0, 1L, 1L, true }).ToList();
        var op = new HashAggregateOperator(TestData.Source(s_schema, rows), [Col(0), Col(1)], [BoundExpressions.Aggregate(AggregateKind.CountStar, null)], TestData.Context(memoryLimit: 200_000));
        var ex = Assert.Throws<TarnException>(() => TestData.Drain(op));
        Assert.Equal(SqlStates.OutOfMemory, ex.SqlState);
    }
}
