using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Hands the conjuncts of a filter directly above a scan to the scan, which uses them to skip partitions and row
/// groups by their statistics. The filter itself stays: pruning only skips data that cannot match.
/// </summary>
public sealed class PushFilterIntoScan : IOptimizerRule
{
    public string Name => "push_filter_into_scan";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is LogicalFilter { Input: LogicalScan scan } filter)
        {
            var conjuncts = ExpressionRewriter.Conjuncts(filter.Predicate);
            var merged = scan.Filters.Concat(conjuncts).Distinct().ToList();
            return filter with { Input = scan with { Filters = merged } };
        }
        return plan;
    }
}
