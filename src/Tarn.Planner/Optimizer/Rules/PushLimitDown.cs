using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Moves a LIMIT below projections (a projection keeps the row count, so fewer rows are computed, and ORDER BY on a
/// column the SELECT list drops still meets its sort as a top-N), and copies it into the inputs of a UNION ALL (each
/// input needs at most offset + limit rows).
/// </summary>
public sealed class PushLimitDown : IOptimizerRule
{
    public string Name => "push_limit_down";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        switch (plan)
        {
            case LogicalLimit { Input: LogicalProject project } limit when !project.Expressions.Any(e => e.IsVolatile):
                return project with { Input = Apply(limit with { Input = project.Input }) };
            case LogicalLimit { Limit: { } n, Input: LogicalUnionAll union } limit when union.Children.All(c => c is not LogicalLimit):
            {
                var children = union.Children.Select(c => Apply(new LogicalLimit(c, n + limit.Offset, 0))).ToList();
                return limit with { Input = union with { Children = children } };
            }
        }
        var inputs = plan.Inputs.Select(Apply).ToList();
        return inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs) ? plan.WithInputs(inputs) : plan;
    }
}
