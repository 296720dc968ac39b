using CsCheck;
using Tarn.Execution.Aggregation;
using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>
/// The statistical, boolean, string, approximate and first/last aggregates (with DISTINCT and FILTER) through the hash
/// aggregation (serial, dictionary fast path, parallel merge) against a naive per-group computation.
/// </summary>
public class ExtendedAggregatePropertyTests
{
    private static readonly DataType[] s_schema =
        [DataType.String, DataType.Int, DataType.Double, DataType.Decimal(9, 2), DataType.Boolean, DataType.String];

    private static readonly string[] s_words = ["pending", "shipped", "delivered", "x", "", "é"];

    private static readonly AggregateKind[] s_kinds =
    [
        AggregateKind.StddevPop, AggregateKind.StddevSamp, AggregateKind.VarPop, AggregateKind.VarSamp, AggregateKind.BoolAnd,
        AggregateKind.BoolOr, AggregateKind.ListAgg, AggregateKind.ApproxCountDistinct, AggregateKind.FirstValue, AggregateKind.LastValue,
    ];

    private static BoundColumnRef Col(int i) => BoundExpressions.Column(i, s_schema[i]);

    private sealed record Case(List<object?[]> Rows, List<BoundExpression> Keys, List<AggregateCall> Aggregates, int BatchSize, bool Dictionary);

    private static Case Generate(int seed, bool orderIndependentOnly)
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
                Chance(10) ? null : s_words[rnd.Next(Math.Min(groupKinds, s_words.Length))],
                Chance(15) ? null : rnd.Next(-1000, 1000) * (Chance(5) ? 100_000 : 1),
                Chance(15) ? null : rnd.Next(-1000, 1000) / 8.0,
                Chance(15) ? null : (long)rnd.Next(-1_000_000, 1_000_000),
                Chance(20) ? null : Chance(60),
                Chance(20) ? null : s_words[rnd.Next(s_words.Length)] + rnd.Next(3),
            ]);
        }
        List<BoundExpression> keys = rnd.Next(4) switch
        {
            0 => [],
            1 => [Col(0)],
            2 => [BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, Col(1), BoundLiteral.Of(3))],
            _ => [Col(4), Col(0)],
        };
        var aggregates = new List<AggregateCall>();
        var n = rnd.Next(1, 5);
        for (var i = 0; i < n; i++)
        {
            AggregateKind kind;
            do kind = s_kinds[rnd.Next(s_kinds.Length)];
            while (orderIndependentOnly && kind is AggregateKind.ListAgg or AggregateKind.FirstValue or AggregateKind.LastValue);
            BoundExpression arg = kind switch
            {
                AggregateKind.BoolAnd or AggregateKind.BoolOr => Col(4),
                AggregateKind.ListAgg => Col(5),
                AggregateKind.ApproxCountDistinct or AggregateKind.FirstValue or AggregateKind.LastValue => Col(rnd.Next(s_schema.Length)),
                _ => Col(rnd.Next(1, 4)),
            };
            BoundExpression? filter = rnd.Next(4) switch
            {
                0 => Col(4),
                1 => BoundExpressions.Compare(ComparisonOperator.Greater, Col(1), BoundLiteral.Of(0)),
                _ => null,
            };
            var distinct = !orderIndependentOnly && Chance(25);
            aggregates.Add(BoundExpressions.Aggregate(kind, arg, distinct, filter, kind == AggregateKind.ListAgg && Chance(50) ? " | " : null));
        }
        return new Case(rows, keys, aggregates, rnd.Next(1, 160), Chance(60));
    }

    /// <summary>Each group's aggregate values computed from its rows (in input order).</summary>
    private static List<object?[]> Reference(Case c)
    {
        var groups = new List<(object?[] Key, List<object?[]> Rows)>();
        foreach (var row in c.Rows)
        {
            var key = c.Keys.Select(k => ReferenceEvaluator.Eval(k, row)).ToArray();
            var index = groups.FindIndex(g => TestData.SameRow(g.Key, key));
            if (index < 0) groups.Add((key, [row]));
            else groups[index].Rows.Add(row);
        }
        if (c.Keys.Count == 0 && groups.Count == 0) groups.Add(([], []));
        return [.. groups.Select(g => (object?[])[.. g.Key, .. c.Aggregates.Select(a => Compute(a, g.Rows))])];
    }

    private static object? Compute(AggregateCall a, List<object?[]> rows)
    {
        var values = rows.Where(r => a.Filter is null || ReferenceEvaluator.Eval(a.Filter, r) is true)
            .Select(r => ReferenceEvaluator.Eval(a.Argument!, r)).Where(v => v is not null).ToList();
        if (a.Distinct)
        {
            var distinct = new List<object?>();
            foreach (var v in values)
                if (!distinct.Any(d => TestData.Same(d, v))) distinct.Add(v);
            values = distinct;
        }
        var t = a.Argument!.Type;
        switch (a.Kind)
        {
            case AggregateKind.StddevPop or AggregateKind.StddevSamp or AggregateKind.VarPop or AggregateKind.VarSamp:
            {
                var xs = values.Select(v => v switch
                {
                    double d => d,
                    long l when t.Kind == TypeKind.Decimal => l / Math.Pow(10, t.Scale),
                    _ => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
                }).ToList();
                var sample = a.Kind is AggregateKind.StddevSamp or AggregateKind.VarSamp;
                if (xs.Count == 0 || (sample && xs.Count == 1)) return null;
                var mean = xs.Average();
                var variance = xs.Sum(x => (x - mean) * (x - mean)) / (sample ? xs.Count - 1 : xs.Count);
                return a.Kind is AggregateKind.StddevPop or AggregateKind.StddevSamp ? Math.Sqrt(variance) : variance;
            }
            case AggregateKind.BoolAnd:
                return values.Count == 0 ? null : values.All(v => (bool)v!);
            case AggregateKind.BoolOr:
                return values.Count == 0 ? null : values.Any(v => (bool)v!);
            case AggregateKind.ListAgg:
                return values.Count == 0 ? null : string.Join(a.Separator, values);
            case AggregateKind.ApproxCountDistinct:
            {
                var distinct = new List<object?>();
                foreach (var v in values)
                    if (!distinct.Any(d => TestData.Same(d, v))) distinct.Add(v);
                return (long)distinct.Count;
            }
            case AggregateKind.FirstValue:
                return values.Count == 0 ? null : values[0];
            case AggregateKind.LastValue:
                return values.Count == 0 ? null : values[^1];
            default:
                throw new NotSupportedException(a.Kind.ToString());
        }
    }

    /// <summary>Exact for most; doubles within 1e-9 relative; HyperLogLog within its error (several standard errors).</summary>
    private static bool Agrees(AggregateCall a, object? expected, object? actual, bool anyOrder)
    {
        if (a.Kind == AggregateKind.ApproxCountDistinct)
        {
            var (e, x) = ((long)expected!, (long)actual!);
            return Math.Abs(e - x) <= Math.Max(8, e * 0.06); // linear counting: a few register collisions at most
        }
        if (anyOrder && a.Kind == AggregateKind.ListAgg && expected is string es && actual is string xs)
            return es.Split(a.Separator).Order(StringComparer.Ordinal).SequenceEqual(xs.Split(a.Separator).Order(StringComparer.Ordinal));
        return TestData.Same(expected, actual, 1e-9);
    }

    private static void AssertSameGroups(Case c, List<object?[]> expected, List<object?[]> actual, bool anyOrder)
    {
        var context = $"GROUP BY [{string.Join(", ", c.Keys)}] computing [{string.Join(", ", c.Aggregates)}], {c.Rows.Count} rows, batches of {c.BatchSize}, dictionary={c.Dictionary}";
        Assert.True(expected.Count == actual.Count, $"{context}\nexpected {expected.Count} groups, got {actual.Count}");
        var k = c.Keys.Count;
        foreach (var row in expected)
        {
            var match = actual.FindIndex(r => TestData.SameRow(r[..k], row[..k]));
            Assert.True(match >= 0, $"{context}\nmissing group {TestData.Show(row)}\nactual:\n{TestData.Show(actual)}");
            for (var i = 0; i < c.Aggregates.Count; i++)
                Assert.True(Agrees(c.Aggregates[i], row[k + i], actual[match][k + i], anyOrder),
                    $"{context}\n{c.Aggregates[i]} of group {TestData.Show(row[..k])}: expected {TestData.Show(row[k + i])}, got {TestData.Show(actual[match][k + i])}");
        }
    }

    [Fact]
    public void Serial_aggregation_matches_the_naive_computation()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed, orderIndependentOnly: false);
            var op = new HashAggregateOperator(TestData.Source(s_schema, c.Rows, c.BatchSize, c.Dictionary), c.Keys, c.Aggregates, TestData.Context(batchSize: 7));
            AssertSameGroups(c, Reference(c), TestData.Drain(op), anyOrder: false);
        }, iter: PropertySettings.Iter(400));
    }

    [Fact]
    public void Parallel_partial_states_merge_to_the_naive_computation()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed, orderIndependentOnly: true);
            var batches = TestData.Batches(s_schema, c.Rows, c.BatchSize, c.Dictionary);
            var morsels = batches.Select(b => (Func<IBatchOperator>)(() => new InMemoryOperator(s_schema, [b]))).ToList();
            var parallel = TestData.Drain(new ParallelHashAggregateOperator(new ListMorselSource(morsels), c.Keys, c.Aggregates, TestData.Context(parallelism: 3)));
            AssertSameGroups(c, Reference(c), parallel, anyOrder: true);
        }, iter: PropertySettings.Iter(200), threads: 1);
    }

    [Fact]
    public void HyperLogLog_estimates_large_cardinalities_within_its_error()
    {
        // standard error 1.04 / sqrt(4096) = 1.6 %; 8 % is five standard errors
        Gen.Int[1, 200_000].Select(Gen.Long).Sample((distinct, offset) =>
        {
            var sketch = new byte[1 << HyperLogLogAccumulator.Precision];
            for (long i = 0; i < distinct; i++)
                HyperLogLogAccumulator.Add(sketch, ValueHashes.Mix64((ulong)(offset + i)));
            var estimate = HyperLogLogAccumulator.Estimate(sketch);
            Assert.True(Math.Abs(estimate - distinct) <= Math.Max(3, distinct * 0.08), $"{distinct} distinct values estimated as {estimate}");
        }, iter: PropertySettings.Iter(20));
    }
}
