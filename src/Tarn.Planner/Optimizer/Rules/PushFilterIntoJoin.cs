using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Moves the conjuncts of a filter above an inner (or cross) join, and of an inner join's own condition, to where
/// they belong: a conjunct over one side becomes a filter on that side; one over both sides becomes part of the join
/// condition (turning a comma/cross join with WHERE a.x = b.y into a hash-joinable inner join).
/// </summary>
public sealed class PushFilterIntoJoin : IOptimizerRule
{
    public string Name => "push_filter_into_join";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        if (plan is LogicalFilter { Input: LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross } join } filter)
        {
            var conjuncts = ExpressionRewriter.Conjuncts(filter.Predicate);
            return Apply(Distribute(join, conjuncts));
        }
        if (plan is LogicalJoin { Kind: LogicalJoinKind.Inner, Condition: { } condition } inner)
        {
            var distributed = Distribute(inner with { Condition = null, Kind = LogicalJoinKind.Cross }, ExpressionRewriter.Conjuncts(condition));
            if (distributed is LogicalJoin j && j.Left == inner.Left && j.Right == inner.Right && Equals(j.Condition, inner.Condition)) return WithInputs(inner);
            return WithInputs(distributed);
        }
        return WithInputs(plan);
    }

    private LogicalPlan WithInputs(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        return inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs) ? plan.WithInputs(inputs) : plan;
    }

    private static LogicalPlan Distribute(LogicalJoin join, List<BoundExpression> conjuncts)
    {
        var leftCount = join.Left.Output.Count;
        var left = new List<BoundExpression>();
        var right = new List<BoundExpression>();
        var both = new List<BoundExpression>();
        if (join.Condition is not null) both.AddRange(ExpressionRewriter.Conjuncts(join.Condition));
        foreach (var c in conjuncts)
        {
            var columns = c.ReferencedColumns();
            if (columns.Count > 0 && columns.All(i => i < leftCount) && !c.IsVolatile) left.Add(c);
            else if (columns.Count > 0 && columns.All(i => i >= leftCount) && !c.IsVolatile) right.Add(ExpressionRewriter.RemapColumns(c, i => i - leftCount));
            else both.Add(c);
        }
        var newLeft = left.Count == 0 ? join.Left : new LogicalFilter(join.Left, BoundExpressions.And(left));
        var newRight = right.Count == 0 ? join.Right : new LogicalFilter(join.Right, BoundExpressions.And(right));
        var kind = both.Count > 0 ? LogicalJoinKind.Inner : join.Kind;
        return join with { Left = newLeft, Right = newRight, Kind = kind, Condition = both.Count == 0 ? null : BoundExpressions.And(both) };
    }
}
