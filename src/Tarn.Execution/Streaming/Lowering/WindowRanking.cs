using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// Recognizes Flink's window Top-N and window deduplication: a <see cref="RankingMatch"/> whose PARTITION BY holds
/// window_end of a window table function (over an insert-only input with a watermark) or of a window aggregate,
/// passed on unchanged through projections and filters. Such a ranking runs per window when the watermark closes
/// it, so its output is insert-only. Also traces event-time attributes for the event-time OVER aggregation.
/// </summary>
public static class WindowRanking
{
    /// <summary>The input column of the ranking's window_end partition key, or -1 when it is not a window ranking.</summary>
    public static int WindowEndColumn(RankingMatch match)
    {
        var window = match.Window;
        foreach (var key in window.Functions[0].PartitionBy)
            if (key is BoundColumnRef c && IsWindowEnd(window.Input, c.Index)) return c.Index;
        return -1;
    }

    /// <summary>Whether column <paramref name="column"/> of <paramref name="plan"/> is the window_end of a closing window.</summary>
    public static bool IsWindowEnd(LogicalPlan plan, int column)
    {
        if (!TraceColumn(ref plan, ref column)) return false;
        switch (plan)
        {
            case LogicalWindowTvf w:
                return column == w.Input.Output.Count + 1 && ChangelogModeInference.Of(w.Input).IsInsertOnly() && HasWatermark(w.Input);
            case LogicalAggregate a:
                var endKey = WindowAggregates.WindowEndKey(a);
                return endKey >= 0 && endKey == column;
            default:
                return false;
        }
    }

    /// <summary>
    /// Follows <paramref name="column"/> down through projections that pass it on unchanged and through filters, to the
    /// node that produces it; false when a projection computes it.
    /// </summary>
    private static bool TraceColumn(ref LogicalPlan plan, ref int column)
    {
        while (true)
        {
            switch (plan)
            {
                case LogicalProject p:
                    if (p.Expressions[column] is not BoundColumnRef r) return false;
                    plan = p.Input;
                    column = r.Index;
                    continue;
                case LogicalFilter f:
                    plan = f.Input;
                    continue;
                default:
                    return true;
            }
        }
    }

    /// <summary>
    /// Whether column <paramref name="column"/> of <paramref name="plan"/> is an event-time attribute: the rowtime
    /// column of a WATERMARK declaration, passed on unchanged through projections and filters.
    /// </summary>
    public static bool IsRowtime(LogicalPlan plan, int column) =>
        TraceColumn(ref plan, ref column) && plan is LogicalWatermarkAssigner a && a.TimeColumn == column;

    public static bool HasWatermark(LogicalPlan plan) =>
        plan is LogicalWatermarkAssigner || plan.Inputs.Any(HasWatermark);
}
