using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// The TTL a <c>STATE_TTL</c> hint gave the table that is the direct input of a join side or aggregate: reached
    /// through projections, filters and watermark assigners only (Flink applies the hint to the operator's direct
    /// inputs; a side that is itself a join or aggregate keeps <c>table.exec.state.ttl</c>).
    /// </summary>
    private static TimeSpan? HintedStateTtl(LogicalPlan input) => input switch
    {
        LogicalScan s => s.StateTtl,
        LogicalConnectorScan c => c.StateTtl,
        LogicalProject p => HintedStateTtl(p.Input),
        LogicalFilter f => HintedStateTtl(f.Input),
        LogicalWatermarkAssigner w => HintedStateTtl(w.Input),
        _ => null,
    };
}
