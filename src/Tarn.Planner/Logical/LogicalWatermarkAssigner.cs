using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// A table's <c>WATERMARK FOR column AS strategy</c>, placed by the binder right above the table reference (after its
/// computed columns). In a stream it tracks the event-time progress: after each batch the watermark becomes the
/// largest strategy value seen so far (Flink's bounded-out-of-orderness rule, deterministic on replay). Batch
/// queries have no use for it: the optimizer removes it unless it plans for the streaming runtime.
/// </summary>
public sealed record LogicalWatermarkAssigner(LogicalPlan Input, int TimeColumn, BoundExpression Strategy) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Input.Output;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"WatermarkAssigner rowtime={Input.Output[TimeColumn].Name} watermark={Strategy}";
}
