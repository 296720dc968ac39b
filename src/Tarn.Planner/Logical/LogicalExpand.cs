using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// Emits every input row once per projection (Calcite/Flink's Expand): GROUPING SETS, ROLLUP and CUBE expand each
/// row into one copy per grouping set — grouping columns the set leaves out replaced by NULL, plus the set's id — and
/// a single <see cref="LogicalAggregate"/> groups by (the nulled keys, the set id). All projections have the same
/// types (<see cref="Columns"/>). Stateless, so the streaming runtime can lower it as a flat-map.
/// </summary>
public sealed record LogicalExpand(LogicalPlan Input, IReadOnlyList<IReadOnlyList<BoundExpression>> Projections, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() =>
        $"Expand {string.Join(" | ", Projections.Select(p => string.Join(", ", p.Skip(Input.Output.Count))))}";
}
