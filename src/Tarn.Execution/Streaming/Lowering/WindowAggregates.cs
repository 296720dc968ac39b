using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// Recognizes Flink's window aggregation: a GROUP BY that includes window_end of a window table function
/// (directly, or through a projection that passes it on) over an insert-only input with an event-time watermark.
/// Such an aggregate emits each window once, when the watermark closes it, so its output is insert-only.
/// </summary>
public static class WindowAggregates
{
    /// <summary>The index of the GROUP BY key holding window_end, or -1 when the aggregate is not a window aggregate.</summary>
    public static int WindowEndKey(LogicalAggregate aggregate)
    {
        var input = aggregate.Input;
        var endColumn = -1;
        LogicalWindowTvf? tvf = null;
        if (input is LogicalWindowTvf direct)
        {
            tvf = direct;
            endColumn = direct.Input.Output.Count + 1;
        }
        else if (input is LogicalProject { Input: LogicalWindowTvf below } project)
        {
            tvf = below;
            var end = below.Input.Output.Count + 1;
            for (var i = 0; i < project.Expressions.Count; i++)
                if (project.Expressions[i] is BoundColumnRef c && c.Index == end) endColumn = i;
        }
        if (tvf is null) return CascadedWindowEndKey(aggregate);
        if (endColumn < 0) return -1;
        if (!ChangelogModeInference.Of(tvf.Input).IsInsertOnly() || !HasWatermark(tvf.Input)) return -1;
        for (var k = 0; k < aggregate.Keys.Count; k++)
            if (aggregate.Keys[k] is BoundColumnRef key && key.Index == endColumn) return k;
        return -1;
    }

    /// <summary>
    /// A GROUP BY window_end of a window aggregate's (insert-only) output, e.g. Nexmark q5's maximum per window of the
    /// per-auction window counts (Flink's cascading window aggregation): also emitted once per window.
    /// </summary>
    private static int CascadedWindowEndKey(LogicalAggregate aggregate)
    {
        if (aggregate.Input is not (LogicalAggregate or LogicalProject { Input: LogicalAggregate })) return -1;
        for (var k = 0; k < aggregate.Keys.Count; k++)
            if (aggregate.Keys[k] is BoundColumnRef key && WindowRanking.IsWindowEnd(aggregate.Input, key.Index)) return k;
        return -1;
    }

    private static bool HasWatermark(LogicalPlan plan) =>
        plan is LogicalWatermarkAssigner || plan.Inputs.Any(HasWatermark);
}
