using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Moves the conjuncts of a filter above a lookup join or an event-time temporal join that read only the probe
/// (left) side below the join: the left side is preserved by both INNER and LEFT temporal joins, so filtering first
/// gives the same rows and saves lookups (and, in a streaming job, rows waiting for the watermark).
/// </summary>
public sealed class PushFilterBelowTemporalJoin : IOptimizerRule
{
    public string Name => "push_filter_below_temporal_join";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is not LogicalFilter { Input: LogicalLookupJoin or LogicalTemporalJoin } filter) return plan;
        var join = filter.Input;
        var left = join.Inputs[0];
        var width = left.Output.Count;
        var pushed = new List<BoundExpression>();
        var kept = new List<BoundExpression>();
        foreach (var c in ExpressionRewriter.Conjuncts(filter.Predicate))
        {
            var columns = c.ReferencedColumns();
            if (columns.Count > 0 && columns.All(i => i < width) && !c.IsVolatile) pushed.Add(c);
            else kept.Add(c);
        }
        if (pushed.Count == 0) return plan;
        var moved = join.WithInputs([new LogicalFilter(left, BoundExpressions.And(pushed)), join.Inputs[1]]);
        return kept.Count == 0 ? moved : new LogicalFilter(moved, BoundExpressions.And(kept));
    }
}
