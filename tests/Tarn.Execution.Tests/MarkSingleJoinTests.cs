using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>
/// Mark joins (a three-valued IN / EXISTS result per left row) and single joins (scalar subqueries: at most one match
/// per left row, else 21000), hash and nested-loop, against a row-at-a-time reference.
/// </summary>
public class MarkSingleJoinTests
{
    // BIGINT key, INT payload
    private static readonly DataType[] s_side = [DataType.BigInt, DataType.Int];

    private sealed record Case(List<object?[]> Left, List<object?[]> Right, bool Keyed, bool Mark, bool Residual, int Batch)
    {
        public override string ToString() => $"keyed={Keyed} mark={Mark} residual={Residual} left={Left.Count} right={Right.Count} batch={Batch}";
    }

    private static List<object?[]> Rows(Random rnd, int count, int distinct)
    {
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
            rows.Add([rnd.Next(6) == 0 ? null : (long)rnd.Next(distinct), rnd.Next(5) == 0 ? null : rnd.Next(4)]);
        return rows;
    }

    private static Case Generate(int seed)
    {
        var rnd = new Random(seed);
        var distinct = rnd.Next(1, 10);
        return new Case(Rows(rnd, rnd.Next(0, 60), distinct), Rows(rnd, rnd.Next(0, 40), distinct),
            rnd.Next(4) != 0, rnd.Next(2) == 0, rnd.Next(3) == 0, rnd.Next(1, 20));
    }

    /// <summary>Whether the pair belongs to the left row's set: equal keys (NULLs never equal) and, with the residual, payload ≥ 1 on the right.</summary>
    private static bool Passes(object?[] l, object?[] r, Case c) =>
        (!c.Keyed || (l[0] is long a && r[0] is long b && a == b)) && (!c.Residual || r[1] is int p && p >= 1);

    /// <summary>The mark condition l.payload = r.payload in three-valued logic.</summary>
    private static bool? MarkValue(object?[] l, object?[] r) => l[1] is int a && r[1] is int b ? a == b : null;

    private static BoundExpression? Condition(Case c)
    {
        var parts = new List<BoundExpression>();
        if (c.Keyed) parts.Add(BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(0, s_side[0]), BoundExpressions.Column(2, s_side[0])));
        if (c.Residual) parts.Add(BoundExpressions.Compare(ComparisonOperator.GreaterOrEqual, BoundExpressions.Column(3, s_side[1]), BoundLiteral.Of(1)));
        return parts.Count == 0 ? null : BoundExpressions.And(parts);
    }

    private static BoundExpression? MarkCondition(Case c) => c.Mark
        ? BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(1, s_side[1]), BoundExpressions.Column(3, s_side[1]))
        : null;

    private static IBatchOperator Join(Case c, JoinKind kind, bool hash)
    {
        var context = TestData.Context(batchSize: c.Batch);
        var left = TestData.Source(s_side, c.Left, c.Batch);
        var right = TestData.Source(s_side, c.Right, c.Batch);
        if (hash && c.Keyed)
        {
            var residual = c.Residual ? BoundExpressions.Compare(ComparisonOperator.GreaterOrEqual, BoundExpressions.Column(3, s_side[1]), BoundLiteral.Of(1)) : null;
            return new HashJoinOperator(left, right, kind, [BoundExpressions.Column(0, s_side[0])], [BoundExpressions.Column(0, s_side[0])], residual, context, MarkCondition(c));
        }
        return new NestedLoopJoinOperator(left, right, kind, Condition(c), context, MarkCondition(c));
    }

    private static List<object?[]> Drain(IBatchOperator op)
    {
        var rows = new List<object?[]>();
        using (op)
        {
            while (op.Next() is { } b)
            {
                for (var i = 0; i < b.ColumnCount; i++) Assert.Equal(op.OutputTypes[i], b.Columns[i].Type);
                rows.AddRange(TestData.Rows(b));
            }
        }
        return rows;
    }

    private static List<string> Sorted(IEnumerable<object?[]> rows) => rows.Select(TestData.Show).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Mark_join_is_true_false_or_null_like_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var expected = c.Left.Select(l =>
            {
                bool? mark = false;
                foreach (var r in c.Right)
                {
                    if (!Passes(l, r, c)) continue;
                    var v = c.Mark ? MarkValue(l, r) : true;
                    if (v == true) { mark = true; break; }
                    mark = null;
                }
                return (object?[])[.. l, mark];
            }).ToList();
            foreach (var hash in new[] { true, false })
            {
                var actual = Drain(Join(c, JoinKind.Mark, hash));
                Assert.True(Sorted(expected).SequenceEqual(Sorted(actual)), $"{c} hash={hash}\nexpected:\n{TestData.Show(expected)}\nactual:\n{TestData.Show(actual)}");
            }
        }, iter: PropertySettings.Iter(400));
    }

    [Fact]
    public void Single_join_pads_missing_rows_and_fails_on_a_second_match()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed) with { Mark = false };
            var expected = new List<object?[]>();
            var tooMany = false;
            foreach (var l in c.Left)
            {
                var matches = c.Right.Where(r => Passes(l, r, c)).ToList();
                if (matches.Count > 1) tooMany = true;
                expected.Add(matches.Count == 0 ? [.. l, null, null] : [.. l, .. matches[0]]);
            }
            // An uncorrelated scalar subquery (no condition) with a second row fails even when no left row asks for it.
            if (!c.Keyed && !c.Residual && c.Right.Count > 1) tooMany = true;
            foreach (var hash in new[] { true, false })
            {
                if (tooMany)
                {
                    var error = Assert.Throws<TarnException>(() => Drain(Join(c, JoinKind.Single, hash)));
                    Assert.Equal(SqlStates.CardinalityViolation, error.SqlState);
                }
                else Assert.True(Sorted(expected).SequenceEqual(Sorted(Drain(Join(c, JoinKind.Single, hash)))), $"{c} hash={hash}");
            }
        }, iter: PropertySettings.Iter(400));
    }
}
