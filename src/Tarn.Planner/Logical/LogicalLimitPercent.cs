namespace Tarn.Planner.Logical;

/// <summary>
/// DuckDB's <c>LIMIT p % OFFSET m</c>: skips <see cref="Offset"/> rows, then returns the first
/// floor(<see cref="Percent"/> / 100 × n) of the rest, where n counts every input row (the skipped ones too, as
/// DuckDB does). Needs the whole input before its first row.
/// </summary>
public sealed record LogicalLimitPercent(LogicalPlan Input, double Percent, long Offset) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Input.Output;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"LimitPercent {Percent.ToString(System.Globalization.CultureInfo.InvariantCulture)}% offset {Offset}";
}
