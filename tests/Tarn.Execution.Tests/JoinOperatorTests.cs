using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>Hash and nested-loop joins of every kind against a row-at-a-time reference, compared as multisets.</summary>
public class JoinOperatorTests
{
    // both sides: BIGINT key, INT key, STRING key, INT payload (the residual compares the payloads)
    private static readonly DataType[] s_side = [DataType.BigInt, DataType.Int, DataType.String, DataType.Int];
    private const int Width = 4;

    private static readonly int[][] s_keySets = [[0], [1], [2], [1, 2], [0, 2]];
    private static readonly string[] s_strings = ["a", "b", "", "é", "long string value!", "c"];

    private sealed record Case(List<object?[]> Left, List<object?[]> Right, JoinKind Kind, int[] Keys, bool Residual,
        int LeftBatch, int RightBatch, int OutputBatch, bool Dictionary)
    {
        public override string ToString() =>
            $"{Kind} on [{string.Join(",", Keys)}] residual={Residual} left={Left.Count} right={Right.Count} batches={LeftBatch}/{RightBatch}/{OutputBatch} dictionary={Dictionary}";
    }

    private static List<object?[]> Rows(Random rnd, int count, int distinct, int nullPercent)
    {
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
        {
            bool Null() => rnd.Next(100) < nullPercent;
            rows.Add(
            [
                Null() ? null : (long)rnd.Next(distinct) * 1_000_000_007L,
                Null() ? null : rnd.Next(-distinct / 2, distinct - distinct / 2),
                Null() ? null : s_strings[rnd.Next(Math.Min(distinct, s_strings.Length))],
                Null() ? null : rnd.Next(10),
            ]);
        }
        return rows;
    }

    private static Case Generate(int seed)
    {
        var rnd = new Random(seed);
        var distinct = rnd.Next(1, 8);
        var nulls = rnd.Next(4) == 0 ? 0 : rnd.Next(5, 30);
        var left = Rows(rnd, rnd.Next(5) == 0 ? rnd.Next(3) : rnd.Next(1, 120), distinct, nulls);
        var right = Rows(rnd, rnd.Next(5) == 0 ? rnd.Next(3) : rnd.Next(1, 120), distinct, nulls);
        return new Case(left, right, (JoinKind)rnd.Next(6), s_keySets[rnd.Next(s_keySets.Length)], rnd.Next(2) == 0,
            rnd.Next(1, 50), rnd.Next(1, 50), rnd.Next(1, 40), rnd.Next(2) == 0);
    }

    private static BoundExpression Residual() =>
        BoundExpressions.Compare(ComparisonOperator.Less, BoundExpressions.Column(3, s_side[3]), BoundExpressions.Column(Width + 3, s_side[3]));

    private static bool Matches(object?[] l, object?[] r, Case c)
    {
        foreach (var k in c.Keys)
        {
            if (l[k] is null || r[k] is null || !l[k]!.Equals(r[k])) return false;
        }
        return !c.Residual || (l[3] is int a && r[3] is int b && a < b);
    }

    private static readonly object?[] s_nullSide = new object?[Width];

    private static List<object?[]> Reference(Case c)
    {
        var result = new List<object?[]>();
        var rightMatched = new bool[c.Right.Count];
        foreach (var l in c.Left)
        {
            var any = false;
            for (var j = 0; j < c.Right.Count; j++)
            {
                if (!Matches(l, c.Right[j], c)) continue;
                any = true;
                rightMatched[j] = true;
                if (c.Kind is JoinKind.Inner or JoinKind.Left or JoinKind.Right or JoinKind.Full) result.Add([.. l, .. c.Right[j]]);
            }
            if (!any && c.Kind is JoinKind.Left or JoinKind.Full) result.Add([.. l, .. s_nullSide]);
            if ((any && c.Kind == JoinKind.Semi) || (!any && c.Kind == JoinKind.Anti)) result.Add(l);
        }
        if (c.Kind is JoinKind.Right or JoinKind.Full)
        {
            for (var j = 0; j < c.Right.Count; j++)
                if (!rightMatched[j]) result.Add([.. s_nullSide, .. c.Right[j]]);
        }
        return result;
    }

    private static List<DataType> ExpectedTypes(JoinKind kind)
    {
        var leftNullable = kind is JoinKind.Right or JoinKind.Full;
        var rightNullable = kind is JoinKind.Left or JoinKind.Full;
        if (kind is JoinKind.Semi or JoinKind.Anti) return [.. s_side];
        return [.. s_side.Select(t => leftNullable ? t.WithNullable(true) : t), .. s_side.Select(t => rightNullable ? t.WithNullable(true) : t)];
    }

    /// <summary>Drains the operator checking batch invariants: non-empty, at most the batch size, vectors of the declared types.</summary>
    private static List<object?[]> Drain(IBatchOperator op, int batchSize)
    {
        var rows = new List<object?[]>();
        using (op)
        {
            while (op.Next() is { } b)
            {
                Assert.InRange(b.RowCount, 1, batchSize);
                Assert.Equal(op.OutputTypes.Count, b.ColumnCount);
                for (var i = 0; i < b.ColumnCount; i++)
                {
                    Assert.Equal(b.RowCount, b.Columns[i].Count);
                    Assert.Equal(op.OutputTypes[i], b.Columns[i].Type);
                }
                rows.AddRange(TestData.Rows(b));
            }
            Assert.Null(op.Next());
        }
        return rows;
    }

    private static void AssertSameMultiset(List<object?[]> expected, List<object?[]> actual, string context)
    {
        var e = expected.Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
        var a = actual.Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
        Assert.True(e.SequenceEqual(a), $"{context}\nexpected ({e.Count}):\n{string.Join("\n", e)}\nactual ({a.Count}):\n{string.Join("\n", a)}");
    }

    private static HashJoinOperator HashJoin(Case c, ExecutionContext context) => new(
        TestData.Source(s_side, c.Left, c.LeftBatch, c.Dictionary),
        TestData.Source(s_side, c.Right, c.RightBatch, c.Dictionary),
        c.Kind,
        [.. c.Keys.Select(k => BoundExpressions.Column(k, s_side[k]))],
        [.. c.Keys.Select(k => BoundExpressions.Column(k, s_side[k]))],
        c.Residual ? Residual() : null,
        context);

    private static NestedLoopJoinOperator NestedLoopJoin(Case c, ExecutionContext context)
    {
        var conditions = c.Keys.Select(k => (BoundExpression)BoundExpressions.Compare(ComparisonOperator.Equal,
            BoundExpressions.Column(k, s_side[k]), BoundExpressions.Column(Width + k, s_side[k]))).ToList();
        if (c.Residual) conditions.Add(Residual());
        return new NestedLoopJoinOperator(
            TestData.Source(s_side, c.Left, c.LeftBatch, c.Dictionary),
            TestData.Source(s_side, c.Right, c.RightBatch, c.Dictionary),
            c.Kind,
            conditions.Count == 0 ? null : conditions.Count == 1 ? conditions[0] : BoundExpressions.And(conditions),
            context);
    }

    [Fact]
    public void Hash_join_matches_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var op = HashJoin(c, TestData.Context(batchSize: c.OutputBatch));
            Assert.Equal(ExpectedTypes(c.Kind), op.OutputTypes);
            AssertSameMultiset(Reference(c), Drain(op, c.OutputBatch), c.ToString());
        }, iter: PropertySettings.Iter(800));
    }

    [Fact]
    public void Nested_loop_join_matches_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var op = NestedLoopJoin(c, TestData.Context(batchSize: c.OutputBatch));
            Assert.Equal(ExpectedTypes(c.Kind), op.OutputTypes);
            AssertSameMultiset(Reference(c), Drain(op, c.OutputBatch), c.ToString());
        }, iter: PropertySettings.Iter(500));
    }

    [Fact]
    public void Cross_join_matches_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed) with { Keys = [] };
            var op = NestedLoopJoin(c, TestData.Context(batchSize: c.OutputBatch));
            AssertSameMultiset(Reference(c), Drain(op, c.OutputBatch), c.ToString());
        }, iter: PropertySettings.Iter(200));
    }

    [Fact]
    public void Large_many_to_many_join_is_split_into_batches()
    {
        // 300 x 300 rows on one key: 90,000 pairs, emitted in batches of at most 8192
        var left = Enumerable.Range(0, 300).Select(i => new object?[] { 1L, i, "k", i % 10 }).ToList();
        var right = Enumerable.Range(0, 300).Select(i => new object?[] { 1L, -i, "k", i % 10 }).ToList();
        var c = new Case(left, right, JoinKind.Full, [0], false, 1000, 64, 8192, false);
        var rows = Drain(HashJoin(c, TestData.Context()), 8192);
        Assert.Equal(90_000, rows.Count);
        Assert.Equal(300 * 300 * 45 / 100, Drain(HashJoin(c with { Residual = true, Kind = JoinKind.Inner }, TestData.Context()), 8192).Count);
    }

    [Fact]
    public void Null_keys_never_match_but_anti_join_keeps_them()
    {
        object?[] nullRow = [null, null, null, 1];
        var c = new Case([nullRow], [nullRow], JoinKind.Inner, [0], false, 10, 10, 10, false);
        Assert.Empty(Drain(HashJoin(c, TestData.Context()), 10));
        Assert.Empty(Drain(HashJoin(c with { Kind = JoinKind.Semi }, TestData.Context()), 10));
        Assert.Single(Drain(HashJoin(c with { Kind = JoinKind.Anti }, TestData.Context()), 10));
        Assert.Equal(2, Drain(HashJoin(c with { Kind = JoinKind.Full }, TestData.Context()), 10).Count);
    }

    [Fact]
    public void Build_side_beyond_the_memory_limit_fails_cleanly()
    {
        var right = Enumerable.Range(0, 20_000).Select(i => new object?[] { (long)i, i, "value " + i, i }).ToList();
        var c = new Case([[1L, 1, "x", 1]], right, JoinKind.Inner, [0], false, 10, 4096, 8192, false);
        var context = TestData.Context(memoryLimit: 64 * 1024);
        var hash = Assert.Throws<TarnException>(() => Drain(HashJoin(c, context), 8192));
        Assert.Equal(SqlStates.OutOfMemory, hash.SqlState);
        Assert.Equal(0, context.Memory.Used);
        var loop = Assert.Throws<TarnException>(() => Drain(NestedLoopJoin(c, context), 8192));
        Assert.Equal(SqlStates.OutOfMemory, loop.SqlState);
        Assert.Equal(0, context.Memory.Used);
    }

    [Fact]
    public void Mismatched_key_lists_are_rejected()
    {
        var source = () => TestData.Source(s_side, []);
        Assert.Throws<ArgumentException>(() => new HashJoinOperator(source(), source(), JoinKind.Inner, [], [], null, TestData.Context()));
        Assert.Throws<ArgumentException>(() => new HashJoinOperator(source(), source(), JoinKind.Inner,
            [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(2, DataType.String)], null, TestData.Context()));
    }

    [Fact]
    public void Dictionary_probe_and_build_match_flat_strings()
    {
        // the build side is flat while the probe side is dictionary-encoded (and vice versa)
        var rows = new List<object?[]> { new object?[] { 1L, 1, "a", 1 }, new object?[] { 2L, 2, "b", 2 }, new object?[] { 3L, 3, null, 3 } };
        var dict = new InMemoryOperator(s_side, [TestData.Batch(s_side, rows, dictionaryStrings: true)]);
        var flat = TestData.Source(s_side, rows);
        var key = new BoundExpression[] { BoundExpressions.Column(2, DataType.String) };
        var result = Drain(new HashJoinOperator(dict, flat, JoinKind.Inner, key, key, null, TestData.Context()), 8192);
        Assert.Equal(2, result.Count);
        Assert.All(result, r => Assert.Equal(r[2], r[Width + 2]));
    }
}
