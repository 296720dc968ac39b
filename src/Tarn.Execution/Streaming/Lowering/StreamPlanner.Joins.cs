using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>Regular joins over changelogs (state per side).</summary>
    private void LowerJoin(LogicalJoin join, IChangeConsumer output)
    {
        _ = output;
        throw new TarnException(SqlStates.FeatureNotSupported,
            $"{join.Describe()} is not supported in streaming mode yet; run the query with 'execution.runtime-mode' = 'batch'");
    }
}
