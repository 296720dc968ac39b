using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Turns subqueries (<see cref="LogicalApply"/>) into joins, bottom-up: the correlated predicates are pulled to the
/// top of the subquery (<see cref="CorrelationPullUp"/>) and become the join condition. EXISTS / IN / ANY as a
/// WHERE conjunct become semi joins, their negations anti joins (a comparison that may be NULL must not be FALSE,
/// which makes NOT IN null-aware); in other positions they become mark joins producing TRUE / FALSE / NULL. Scalar
/// subqueries become single joins (21000 on a second row), or, for an aggregate correlated by equalities, a left join
/// with the aggregate grouped by the correlation keys (the empty-group value restores COUNT's 0). Applies of other
/// shapes are left for the per-outer-value fallback.
/// </summary>
public sealed class DecorrelateApply : IOptimizerRule
{
    public string Name => "decorrelate_apply";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        return plan is LogicalApply apply && TryDecorrelate(apply) is { } joined ? joined : plan;
    }

    private static LogicalPlan? TryDecorrelate(LogicalApply apply)
    {
        if (PlanExpressions.ReferencesBeyond(apply.Right)) return null;
        if (PlanVolatility.IsPerRowSubquery(apply.Right)) return null; // once per outer row, as written
        var pulled = CorrelationPullUp.Pull(apply.Right, setSemantics: apply.Kind is ApplyKind.Exists or ApplyKind.Any);
        if (pulled is null || PlanExpressions.ReferencesApplyLeft(pulled.Plan)) return null;
        if (pulled.EmptyOutputs is not null && apply.Kind != ApplyKind.Scalar) return null;

        var left = apply.Left;
        var right = pulled.Plan;
        var n = left.Output.Count;
        BoundExpression Joined(BoundExpression e) => ExpressionRewriter.Rewrite(e, x => x switch
        {
            BoundColumnRef c => c with { Index = c.Index + n },
            BoundOuterRef { Depth: 1 } o => BoundExpressions.Column(o.Index, o.Type),
            _ => null,
        });
        var predicates = pulled.Predicates.Select(Joined).ToList();

        switch (apply.Kind)
        {
            case ApplyKind.Lateral or ApplyKind.LateralLeft:
                return Lateral(apply, pulled, predicates, Joined);
            case ApplyKind.Exists:
            {
                var condition = predicates.Count == 0 ? null : BoundExpressions.And(predicates);
                if (apply.Mode != ApplyMode.Mark) return Join(left, right, apply.Mode == ApplyMode.Semi ? LogicalJoinKind.Semi : LogicalJoinKind.Anti, condition);
                var mark = Join(left, right, LogicalJoinKind.Mark, condition);
                return Project(mark, apply, BoundExpressions.IsTruth(BoundExpressions.Column(n, mark.Output[n].Type), true));
            }
            case ApplyKind.Any:
            {
                var compare = BoundExpressions.Compare(apply.Comparison, apply.Operand!, Joined(pulled.Outputs[0]));
                if (apply.Mode == ApplyMode.Semi) return Join(left, right, LogicalJoinKind.Semi, BoundExpressions.And([.. predicates, compare]));
                if (predicates.Count == 0 && apply.Comparison == ComparisonOperator.Equal && compare.Type.Nullable && !CorrelationPullUp.HasOuter(pulled.Outputs[0]))
                    return NullAwareIn.Build(apply, right, pulled.Outputs[0]);
                var notFalse = compare.Type.Nullable ? (BoundExpression)BoundExpressions.IsTruth(compare, false, negated: true) : compare;
                var condition = BoundExpressions.And([.. predicates, notFalse]);
                if (apply.Mode == ApplyMode.Anti) return Join(left, right, LogicalJoinKind.Anti, condition);
                return Join(left, right, LogicalJoinKind.Mark, condition) with { MarkCondition = compare };
            }
            default:
                return Scalar(apply, pulled, predicates, Joined);
        }
    }

    private static LogicalPlan Scalar(LogicalApply apply, PulledUp pulled, List<BoundExpression> predicates, Func<BoundExpression, BoundExpression> joined)
    {
        var left = apply.Left;
        var n = left.Output.Count;
        var condition = predicates.Count == 0 ? null : BoundExpressions.And(predicates);
        var value = joined(pulled.Outputs[0]);
        if (pulled.EmptyOutputs is not null)
        {
            // At most one group per outer value: a left join; without a group the value is the empty aggregate's.
            var join = Join(left, pulled.Plan, LogicalJoinKind.Left, condition);
            var empty = joined(pulled.EmptyOutputs[0]);
            if (empty is not BoundLiteral { IsNull: true })
            {
                var matched = BoundExpressions.IsNull(BoundExpressions.Column(n + pulled.MatchedColumn, join.Output[n + pulled.MatchedColumn].Type), negated: true);
                value = BoundExpressions.Case([new BoundWhen(matched, value)], empty);
            }
            return Project(join, apply, value);
        }
        var right = pulled.Plan;
        if (value is not BoundColumnRef c || c.Index < n)
        {
            // The value may be non-NULL over the NULLs of a missing row (a constant, an outer column): mark real rows.
            var width = right.Output.Count;
            right = new LogicalProject(right,
                [.. right.Output.Select((col, i) => (BoundExpression)BoundExpressions.Column(i, col.Type)), BoundLiteral.Of(true)],
                [.. right.Output, new OutputColumn("$row", DataType.Boolean.WithNullable(false))]);
            var single = Join(left, right, LogicalJoinKind.Single, condition);
            var present = BoundExpressions.IsNull(BoundExpressions.Column(n + width, single.Output[n + width].Type), negated: true);
            return Project(single, apply, BoundExpressions.Case([new BoundWhen(present, value)], null));
        }
        return Project(Join(left, right, LogicalJoinKind.Single, condition), apply, value);
    }

    /// <summary>
    /// A LATERAL subquery whose correlation became predicates: an inner (LEFT JOIN LATERAL: a left) join on them. An
    /// output that is not a subquery column (a constant, an outer column) must be NULL for a left row without match,
    /// so a left join marks real rows as the scalar case does.
    /// </summary>
    private static LogicalPlan Lateral(LogicalApply apply, PulledUp pulled, List<BoundExpression> predicates, Func<BoundExpression, BoundExpression> joined)
    {
        var left = apply.Left;
        var n = left.Output.Count;
        var right = pulled.Plan;
        var outer = apply.Kind == ApplyKind.LateralLeft;
        var condition = predicates.Count == 0 ? null : BoundExpressions.And(predicates);
        var values = pulled.Outputs.Select(joined).ToList();
        var marked = outer && values.Any(v => v is not BoundColumnRef c || c.Index < n);
        var width = right.Output.Count;
        if (marked)
            right = new LogicalProject(right,
                [.. right.Output.Select((col, i) => (BoundExpression)BoundExpressions.Column(i, col.Type)), BoundLiteral.Of(true)],
                [.. right.Output, new OutputColumn("$row", DataType.Boolean.WithNullable(false))]);
        var kind = outer ? LogicalJoinKind.Left : condition is null ? LogicalJoinKind.Cross : LogicalJoinKind.Inner;
        var join = Join(left, right, kind, condition);
        if (marked)
        {
            var present = BoundExpressions.IsNull(BoundExpressions.Column(n + width, join.Output[n + width].Type), negated: true);
            values = values.Select(v => v is BoundColumnRef c && c.Index >= n ? v : BoundExpressions.Case([new BoundWhen(present, v)], null)).ToList();
        }
        var output = apply.Output;
        var exprs = new List<BoundExpression>();
        for (var i = 0; i < n; i++) exprs.Add(BoundExpressions.Column(i, join.Output[i].Type));
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            var type = output[n + i].Type;
            if (!v.Type.WithNullable(true).Equals(type.WithNullable(true))) v = BoundExpressions.Cast(v, type);
            exprs.Add(v);
        }
        return new LogicalProject(join, exprs, output);
    }

    private static LogicalJoin Join(LogicalPlan left, LogicalPlan right, LogicalJoinKind kind, BoundExpression? condition) =>
        new(left, right, kind, condition, LogicalJoin.ColumnsOf(left, right, kind));

    /// <summary>The apply's output: its left columns, then <paramref name="value"/> cast to the apply's result type.</summary>
    private static LogicalPlan Project(LogicalPlan join, LogicalApply apply, BoundExpression value)
    {
        var n = apply.Left.Output.Count;
        var type = apply.ResultType;
        if (!value.Type.WithNullable(true).Equals(type.WithNullable(true))) value = BoundExpressions.Cast(value, type);
        var exprs = apply.Left.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, join.Output[i].Type)).Append(value).ToList();
        return new LogicalProject(join, exprs, apply.Output);
    }
}
