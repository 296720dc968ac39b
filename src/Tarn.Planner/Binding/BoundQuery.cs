using Tarn.Planner.Logical;

namespace Tarn.Planner.Binding;

/// <summary>A bound query: its logical plan, whose output columns carry the result column names.</summary>
public sealed record BoundQuery(LogicalPlan Plan)
{
    public IReadOnlyList<OutputColumn> Columns => Plan.Output;
}
