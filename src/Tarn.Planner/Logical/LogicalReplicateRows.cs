namespace Tarn.Planner.Logical;

/// <summary>
/// Emits each input row <c>count</c> times, where count is the BIGINT input column <see cref="CountColumn"/> (rows
/// with a NULL or non-positive count vanish); the output is the input's columns before <see cref="CountColumn"/>
/// (Flink's ReplicateRows table function, used for INTERSECT ALL and EXCEPT ALL over grouped multiplicities).
/// </summary>
public sealed record LogicalReplicateRows(LogicalPlan Input, int CountColumn) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => [.. Input.Output.Take(CountColumn)];
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"ReplicateRows count=#{CountColumn}";
}
