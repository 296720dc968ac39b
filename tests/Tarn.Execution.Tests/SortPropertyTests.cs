using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>ORDER BY / TopN / LIMIT / DISTINCT / UNION ALL against simple reference definitions.</summary>
public class SortPropertyTests
{
    private static readonly DataType[] s_schema =
        [DataType.String, DataType.Int, DataType.Double, DataType.BigInt, DataType.Decimal(30, 2), DataType.Boolean];

    private static readonly string[] s_strings =
        ["", "a", "ab", "ab\0", "abc", "abcdefg", "abcdefgh", "abcdefghij", "abcdefghijklmnopq", "abcdefghijklmnopr", "b", "é", "zz", "abcdefg\u00e9"];

    private static readonly double[] s_doubles = [0.0, -0.0, 1.5, -1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-300, -7];

    private static List<object?[]> Rows(Random rnd, int count)
    {
        bool Chance(int p) => rnd.Next(100) < p;
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(
            [
                Chance(15) ? null : s_strings[rnd.Next(s_strings.Length)],
                Chance(15) ? null : rnd.Next(-3, 4) * (Chance(10) ? int.MaxValue / 3 : 1),
                Chance(15) ? null : s_doubles[rnd.Next(s_doubles.Length)],
                Chance(15) ? null : (long)rnd.Next(-5, 5) * (Chance(20) ? long.MaxValue / 7 : 1),
                Chance(15) ? null : (Int128)rnd.Next(-5, 5) * (Chance(30) ? Int128.Parse("99999999999999999999999999", System.Globalization.CultureInfo.InvariantCulture) : 1),
                Chance(15) ? null : Chance(50),
            ]);
        }
        return rows;
    }

    private static List<BoundSortKey> Keys(Random rnd)
    {
        var keys = new List<BoundSortKey>();
        var count = rnd.Next(1, 4);
        foreach (var c in Enumerable.Range(0, s_schema.Length).OrderBy(_ => rnd.Next()).Take(count))
        {
            BoundExpression e = BoundExpressions.Column(c, s_schema[c]);
            if (c == 1 && rnd.Next(4) == 0) e = BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, e, BoundLiteral.Of(2));
            keys.Add(new BoundSortKey(e, rnd.Next(2) == 0, rnd.Next(3) switch { 0 => null, 1 => true, _ => false }));
        }
        return keys;
    }

    private static int CompareValue(object a, object b) => a switch
    {
        string s => Math.Sign(string.CompareOrdinal(s, (string)b)),
        double x => CompareDouble(x, (double)b),
        bool x => x.CompareTo((bool)b),
        int x => x.CompareTo((int)b),
        long x => x.CompareTo((long)b),
        Int128 x => x.CompareTo((Int128)b),
        _ => throw new NotSupportedException(a.GetType().Name),
    };

    private static int CompareDouble(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return double.IsNaN(x) && double.IsNaN(y) ? 0 : double.IsNaN(x) ? 1 : -1;
        return x < y ? -1 : x > y ? 1 : 0; // -0.0 equals 0.0
    }

    /// <summary>SQL ordering of two rows by the keys (NULL placement independent of direction).</summary>
    private static int CompareRows(object?[] a, object?[] b, IReadOnlyList<BoundSortKey> keys)
    {
        foreach (var k in keys)
        {
            var x = ReferenceEvaluator.Eval(k.Expression, a);
            var y = ReferenceEvaluator.Eval(k.Expression, b);
            if (x is null || y is null)
            {
                if (x is null && y is null) continue;
                return (x is null) == k.EffectiveNullsFirst ? -1 : 1;
            }
            var c = CompareValue(x, y);
            if (c != 0) return k.Descending ? -c : c;
        }
        return 0;
    }

    private static void AssertSortedPermutation(List<object?[]> input, List<object?[]> output, IReadOnlyList<BoundSortKey> keys)
    {
        Assert.Equal(input.Count, output.Count);
        AssertSubMultiset(output, input);
        for (var i = 1; i < output.Count; i++)
        {
            Assert.True(CompareRows(output[i - 1], output[i], keys) <= 0,
                $"not sorted by [{string.Join(", ", keys)}] at {i}:\n{TestData.Show(output[i - 1])}\n{TestData.Show(output[i])}");
        }
    }

    private static void AssertSubMultiset(List<object?[]> part, List<object?[]> whole)
    {
        var remaining = whole.ToList();
        foreach (var row in part)
        {
            var i = remaining.FindIndex(r => TestData.SameRow(r, row));
            Assert.True(i >= 0, $"row {TestData.Show(row)} does not come from the input");
            remaining.RemoveAt(i);
        }
    }

    [Fact]
    public void Sort_orders_every_row_with_nulls_placed_per_key()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 300], Gen.Int[1, 100], Gen.Bool).Sample((seed, count, batchSize, dictionary) =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, count);
            var keys = Keys(rnd);
            var output = TestData.Drain(new SortOperator(TestData.Source(s_schema, rows, batchSize, dictionary), keys, TestData.Context(batchSize: 17)));
            AssertSortedPermutation(rows, output, keys);
        }, iter: PropertySettings.Iter(400));
    }

    [Fact]
    public void TopN_returns_the_same_keys_as_sort_then_limit()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 400], Gen.Int[0, 30], Gen.Int[0, 10]).Sample((seed, count, limit, offset) =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, count);
            var keys = Keys(rnd);
            var full = TestData.Drain(new SortOperator(TestData.Source(s_schema, rows, 50), keys, TestData.Context()));
            var expected = full.Skip(offset).Take(limit).ToList();
            var top = TestData.Drain(new TopNOperator(TestData.Source(s_schema, rows, rnd.Next(1, 60)), keys, limit, offset, TestData.Context(batchSize: 5)));
            Assert.Equal(expected.Count, top.Count);
            AssertSubMultiset(top, rows);
            for (var i = 0; i < top.Count; i++)
                Assert.True(CompareRows(expected[i], top[i], keys) == 0, $"position {i}: expected keys of {TestData.Show(expected[i])}, got {TestData.Show(top[i])}");
        }, iter: PropertySettings.Iter(300));
    }

    [Fact]
    public void Limit_and_offset_keep_input_order()
    {
        Gen.Select(Gen.Int[0, 200], Gen.Int[0, 250], Gen.Int[0, 250], Gen.Int[1, 40]).Sample((count, limit, offset, batchSize) =>
        {
            var rows = Enumerable.Range(0, count).Select(i => new object?[] { null, i, null, null, null, null }).ToList();
            var output = TestData.Drain(new LimitOperator(TestData.Source(s_schema, rows, batchSize), limit, offset));
            Assert.Equal(rows.Skip(offset).Take(limit).Select(r => r[1]), output.Select(r => r[1]));
            var unlimited = TestData.Drain(new LimitOperator(TestData.Source(s_schema, rows, batchSize), null, offset));
            Assert.Equal(rows.Skip(offset).Select(r => r[1]), unlimited.Select(r => r[1]));
        }, iter: PropertySettings.Iter(300));
    }

    [Fact]
    public void Distinct_keeps_one_row_per_value_combination()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 300], Gen.Int[1, 64], Gen.Bool).Sample((seed, count, batchSize, dictionary) =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, count).Select(r => new[] { r[0], r[1] is int i ? i % 2 : null, r[5] }).ToList();
            DataType[] types = [DataType.String, DataType.Int, DataType.Boolean];
            var output = TestData.Drain(new DistinctOperator(TestData.Source(types, rows, batchSize, dictionary), TestData.Context()));
            var expected = new List<object?[]>();
            foreach (var r in rows)
                if (!expected.Any(e => TestData.SameRow(e, r))) expected.Add(r);
            Assert.Equal(expected.Count, output.Count);
            for (var i = 0; i < expected.Count; i++) Assert.True(TestData.SameRow(expected[i], output[i]), "DISTINCT keeps first occurrences in input order");
        }, iter: PropertySettings.Iter(300));
    }

    [Fact]
    public void Sort_beyond_the_memory_limit_fails_cleanly()
    {
        var rows = Enumerable.Range(0, 50000).Select(i => new object?[] { "row" + i, i, 1.0, 1L, (Int128)1, true }).ToList();
        var op = new SortOperator(TestData.Source(s_schema, rows, 4096), [new BoundSortKey(BoundExpressions.Column(1, DataType.Int))], TestData.Context(memoryLimit: 300_000));
        Assert.Equal(SqlStates.OutOfMemory, Assert.Throws<TarnException>(() => TestData.Drain(op)).SqlState);
    }

    [Fact]
    public void Union_all_concatenates_and_values_builds_rows()
    {
        DataType[] types = [DataType.Int, DataType.String];
        var values = new ValuesOperator(
            [[BoundLiteral.Of(1), BoundLiteral.Of("a")], [BoundExpressions.Arithmetic(ArithmeticOperator.Add, BoundLiteral.Of(1), BoundLiteral.Of(1)), BoundLiteral.Null(DataType.String)]],
            types, TestData.Context());
        var other = TestData.Source(types, [new object?[] { 3, "c" }]);
        var rows = TestData.Drain(new UnionAllOperator([values, other]));
        Assert.Equal([1, 2, 3], rows.Select(r => r[0]));
        Assert.Equal(["a", null, "c"], rows.Select(r => r[1]));
    }

    [Fact]
    public void Long_shared_prefixes_sort_without_deep_recursion()
    {
        var prefix = new string('p', 30_000);
        var rnd = new Random(7);
        var rows = Enumerable.Range(0, 300).Select(_ => new object?[] { prefix + rnd.Next(1000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        var key = new BoundSortKey(BoundExpressions.Column(0, DataType.String), Descending: true);
        var sorted = TestData.Drain(new SortOperator(TestData.Source([DataType.String], rows, 64), [key], TestData.Context()));
        Assert.Equal(rows.Select(r => (string)r[0]!).OrderDescending(StringComparer.Ordinal), sorted.Select(r => (string)r[0]!));
    }

    [Fact]
    public void Default_null_order_follows_flink()
    {
        var k = BoundExpressions.Column(0, DataType.Int);
        Assert.True(new BoundSortKey(k).EffectiveNullsFirst);
        Assert.False(new BoundSortKey(k, Descending: true).EffectiveNullsFirst);
        var rows = new List<object?[]> { new object?[] { 2 }, new object?[] { null }, new object?[] { 1 } };
        var asc = TestData.Drain(new SortOperator(TestData.Source([DataType.Int], rows), [new BoundSortKey(k)], TestData.Context()));
        Assert.Equal([null, 1, 2], asc.Select(r => r[0]));
        var desc = TestData.Drain(new SortOperator(TestData.Source([DataType.Int], rows), [new BoundSortKey(k, true)], TestData.Context()));
        Assert.Equal([2, 1, null], desc.Select(r => r[0]));
    }
}
