using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// DuckDB's <c>l ASOF [LEFT] JOIN r ON eqs AND l.t &gt;= r.t</c>: for each left row the one right row that satisfies ON
/// and is nearest by the inequality. Bound as <c>l [LEFT] JOIN LATERAL (SELECT * FROM r WHERE ON ORDER BY r.t DESC
/// LIMIT 1)</c> (ascending for &lt;= and &lt;), which the per-outer-row apply evaluates.
/// </summary>
public sealed partial class Binder
{
    private (LogicalPlan Plan, Scope Scope) BindAsOfJoin(LogicalPlan left, Scope leftScope, LogicalPlan right, Scope rightScope, JoinedTable join)
    {
        if (join.On is null) throw Error(SqlStates.FeatureNotSupported, "ASOF JOIN needs ON (USING is not supported)", join.Position);
        // The right side moves one apply level down: its own outer references reach one level further.
        right = PlanExpressions.Rewrite(right, (e, level) => e is BoundOuterRef o && o.Depth > level ? o with { Depth = o.Depth + 1 } : null);
        var binder = new Binder(_context) { _outer = (this, leftScope, null) };
        binder._ctes.AddRange(_ctes);
        var condition = binder.BindPredicate(join.On, rightScope, "ASOF JOIN ... ON");
        BoundExpression? order = null;
        var descending = false;
        foreach (var c in ExpressionRewriter.Conjuncts(condition))
        {
            if (c is not BoundComparison { Operator: ComparisonOperator.Less or ComparisonOperator.LessOrEqual or ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual } comparison)
                continue;
            var outerFirst = ReadsOnlyOuter(comparison.Left) && !ReadsOuter(comparison.Right);
            var outerSecond = ReadsOnlyOuter(comparison.Right) && !ReadsOuter(comparison.Left);
            if (!outerFirst && !outerSecond) continue;
            order = outerFirst ? comparison.Right : comparison.Left;
            // left >= right (or right <= left): the greatest right value is the nearest.
            descending = outerFirst == (comparison.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual);
            break;
        }
        if (order is null)
            throw Error(SqlStates.SyntaxError, "ASOF JOIN needs an inequality (<, <=, >, >=) between a left and a right expression in ON", join.On.Position);
        var width = right.Output.Count;
        LogicalPlan nearest = new LogicalFilter(right, condition);
        nearest = new LogicalProject(nearest,
            [.. right.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)), order],
            [.. right.Output, new OutputColumn("$asof", order.Type)]);
        nearest = new LogicalSort(nearest, [new SortKey(width, descending, NullsFirst: false)]);
        nearest = KeepFirst(new LogicalLimit(nearest, 1, 0), width);
        var kind = join.Type == JoinType.Left ? ApplyKind.LateralLeft : ApplyKind.Lateral;
        var apply = new LogicalApply(left, nearest, kind, ApplyMode.Mark, null, ComparisonOperator.Equal);
        return (apply, ScopeOf(apply, leftScope, rightScope));
    }

    private static bool ReadsOuter(BoundExpression e)
    {
        var found = false;
        e.Walk(x => found |= x is BoundOuterRef { Depth: 1 });
        return found;
    }

    private static bool ReadsOnlyOuter(BoundExpression e)
    {
        var local = false;
        e.Walk(x => local |= x is BoundColumnRef);
        return !local && ReadsOuter(e);
    }
}
