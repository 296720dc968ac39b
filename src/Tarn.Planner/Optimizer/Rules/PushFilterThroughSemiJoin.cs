using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// A filter above a semi or anti join reads only the join's left columns, so it moves below the join onto the left
/// side, where push_filter_into_join can turn its equalities into join keys (<c>WHERE x IN (subquery) AND a.k = b.k</c>
/// would otherwise join a cross product).
/// </summary>
public sealed class PushFilterThroughSemiJoin : IOptimizerRule
{
    public string Name => "push_filter_through_semi_join";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        if (plan is LogicalFilter { Input: LogicalJoin { Kind: LogicalJoinKind.Semi or LogicalJoinKind.Anti } join } filter)
            return Apply(join with { Left = new LogicalFilter(join.Left, filter.Predicate) });
        var inputs = plan.Inputs.Select(Apply).ToList();
        return inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs) ? plan.WithInputs(inputs) : plan;
    }
}
