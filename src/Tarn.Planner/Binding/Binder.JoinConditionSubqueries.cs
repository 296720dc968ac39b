using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Subqueries in the ON condition of an outer, semi or anti join, where the condition cannot become a filter over the
/// cross product. Each subquery reads the columns of at most one side (or none), so its apply is attached to that
/// side's input (an uncorrelated one to the left) and the condition reads the apply's column; the columns the applies
/// add are projected away after the join. A subquery that reads both sides makes a LEFT / RIGHT join a lateral one.
/// </summary>
public sealed partial class Binder
{
    private (LogicalPlan Plan, Scope Scope) BindJoinWithConditionSubqueries(LogicalPlan left, Scope leftScope, LogicalPlan right, Scope rightScope,
        LogicalJoinKind kind, Expression on, Scope combined)
    {
        var pending = new List<PendingApply>();
        var saved = _pending;
        _pending = pending;
        BoundExpression condition;
        try
        {
            condition = BindPredicate(on, combined, "JOIN ... ON");
        }
        finally
        {
            _pending = saved;
        }
        var leftCount = leftScope.Columns.Count;
        var rightCount = rightScope.Columns.Count;
        var onRight = new bool[pending.Count];
        for (var k = 0; k < pending.Count; k++)
        {
            var columns = new List<int>();
            PlanExpressions.Walk(pending[k].Right, (e, level) => { if (e is BoundOuterRef o && o.Depth == level + 1) columns.Add(o.Index); });
            pending[k].Operand?.Walk(e => { if (e is BoundColumnRef c) columns.Add(c.Index); });
            if (columns.Any(i => i >= BelowBase))
                throw Error(SqlStates.FeatureNotSupported, "a subquery that compares another subquery's result is not supported in JOIN ... ON", on.Position);
            var readsLeft = columns.Any(i => i < leftCount);
            onRight[k] = columns.Any(i => i >= leftCount);
            if (readsLeft && onRight[k])
                return BindOuterJoinAsLateral(left, leftScope, right, rightScope, kind, on);
        }

        var newIndex = new int[pending.Count];
        var leftApplies = 0;
        for (var k = 0; k < pending.Count; k++)
        {
            if (onRight[k]) continue;
            var p = pending[k];
            left = new LogicalApply(left, p.Right, p.Kind, ApplyMode.Mark, p.Operand, p.Comparison);
            newIndex[k] = leftCount + leftApplies++;
        }
        var rightApplies = 0;
        for (var k = 0; k < pending.Count; k++)
        {
            if (!onRight[k]) continue;
            var p = pending[k];
            var subquery = PlanExpressions.Rewrite(p.Right, (e, level) => e is BoundOuterRef o && o.Depth == level + 1 ? o with { Index = o.Index - leftCount } : null);
            var operand = p.Operand is null ? null : Optimizer.ExpressionRewriter.RemapColumns(p.Operand, i => i - leftCount);
            right = new LogicalApply(right, subquery, p.Kind, ApplyMode.Mark, operand, p.Comparison);
            newIndex[k] = leftCount + leftApplies + rightCount + rightApplies++;
        }
        var shifted = leftApplies;
        condition = Optimizer.ExpressionRewriter.RemapColumns(condition, i => i >= BelowBase ? newIndex[i - BelowBase] : i < leftCount ? i : i + shifted);
        var join = new LogicalJoin(left, right, kind, condition, LogicalJoin.ColumnsOf(left, right, kind));

        var keep = Enumerable.Range(0, leftCount).ToList();
        if (kind is not (LogicalJoinKind.Semi or LogicalJoinKind.Anti))
            keep.AddRange(Enumerable.Range(leftCount + leftApplies, rightCount));
        var output = keep.Select(i => join.Output[i]).ToList();
        var plan = new LogicalProject(join, keep.Select(i => (BoundExpression)BoundExpressions.Column(i, join.Output[i].Type)).ToList(), output);
        var scope = kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti ? leftScope : combined;
        return (plan, new Scope(scope.Columns.Select((c, i) => c with { Type = output[i].Type }).ToList()));
    }
}
