using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Moves the conjuncts of a filter above a window table function that read only its input columns below it, so they
/// reach joins and scans. Conjuncts over window_start / window_end / window_time stay above. For TUMBLE, HOP and
/// CUMULATE a row's windows depend on that row alone, so any input-column conjunct may move; for SESSION, dropping a
/// row can split or shrink a session, so only conjuncts over the PARTITION BY columns (which drop whole partitions) move.
/// </summary>
public sealed class PushFilterBelowWindowTvf : IOptimizerRule
{
    public string Name => "push_filter_below_window_tvf";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is not LogicalFilter { Input: LogicalWindowTvf tvf } filter) return plan;

        var width = tvf.Input.Output.Count;
        var below = new List<BoundExpression>();
        var above = new List<BoundExpression>();
        foreach (var conjunct in ExpressionRewriter.Conjuncts(filter.Predicate))
        {
            var columns = conjunct.ReferencedColumns();
            var movable = !conjunct.IsVolatile && columns.Count > 0 && columns.All(c => c < width)
                && (tvf.Kind != WindowTvfKind.Session || columns.All(tvf.PartitionColumns.Contains));
            (movable ? below : above).Add(conjunct);
        }
        if (below.Count == 0) return plan;
        LogicalPlan result = tvf with { Input = new LogicalFilter(tvf.Input, BoundExpressions.And(below)) };
        return above.Count == 0 ? result : new LogicalFilter(result, BoundExpressions.And(above));
    }
}
