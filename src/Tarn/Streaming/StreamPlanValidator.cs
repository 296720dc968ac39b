using Tarn.Planner.Logical;

namespace Tarn.Streaming;

/// <summary>Rejects, at submission, plans with nodes the streaming runtime cannot run (the job would only fail later).</summary>
internal static class StreamPlanValidator
{
    public static void Check(LogicalPlan plan)
    {
        switch (plan)
        {
            case LogicalScan or LogicalConnectorScan or LogicalValues or LogicalFilter or LogicalProject or LogicalAggregate or LogicalUnionAll:
                break;
            case LogicalSort or LogicalLimit:
                throw new TarnException(SqlStates.FeatureNotSupported,
                    "ORDER BY and LIMIT are not supported on an unbounded stream; use them in batch mode, or ROW_NUMBER() for a Top-N");
            default:
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"{plan.Describe()} is not supported in streaming mode yet; run the query with 'execution.runtime-mode' = 'batch'");
        }
        foreach (var input in plan.Inputs) Check(input);
    }
}
