using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// Derives which change kinds each node of a logical plan emits when it runs as a stream (Flink's
/// FlinkChangelogModeInferenceProgram, simplified): scans of primary-key tables and aggregates emit updates, outer
/// joins retract their padded rows, everything else passes its inputs' kinds through.
/// </summary>
public static class ChangelogModeInference
{
    public static ChangelogMode Of(LogicalPlan plan) => plan switch
    {
        LogicalScan s => s.Table.PrimaryKey.Count > 0 ? ChangelogMode.All : ChangelogMode.InsertOnly,
        LogicalConnectorScan c => ConnectorChangelog.ModeOf(c.Table),
        LogicalValues => ChangelogMode.InsertOnly,
        LogicalFilter f when RankingPattern.TryMatch(f, out var ranking) => WindowRanking.WindowEndColumn(ranking) >= 0 ? ChangelogMode.InsertOnly : ranking.OutputMode,
        LogicalFilter f => Of(f.Input),
        LogicalProject p => Of(p.Input),
        LogicalWindowTvf w => Of(w.Input),
        LogicalWatermarkAssigner a => Of(a.Input),
        LogicalAggregate a => WindowAggregates.WindowEndKey(a) >= 0 ? ChangelogMode.InsertOnly : ChangelogMode.All,
        LogicalUnionAll u => u.Children.Aggregate(ChangelogMode.None, (m, c) => m | Of(c)),
        LogicalJoin j when WindowJoins.Match(j) is not null => ChangelogMode.InsertOnly, // window join: each window once
        LogicalJoin j => JoinMode(j),
        LogicalWindow w when w.Functions.All(f => f.Kind == WindowFunctionKind.Aggregate) => ChangelogMode.InsertOnly, // OVER aggregation
        // Temporal joins never revise what they emitted: the output changes only as the probe side does.
        LogicalLookupJoin l => Of(l.Left),
        LogicalTemporalJoin t => Of(t.Left),
        _ => ChangelogMode.All,
    };

    private static ChangelogMode JoinMode(LogicalJoin j)
    {
        var inputs = Of(j.Left) | Of(j.Right);
        return j.Kind is LogicalJoinKind.Inner or LogicalJoinKind.Cross or LogicalJoinKind.Semi && inputs.IsInsertOnly()
            ? ChangelogMode.InsertOnly
            : ChangelogMode.All;
    }

    /// <summary>The plan as EXPLAIN prints it in streaming mode: every node with its changelog mode.</summary>
    public static string Explain(LogicalPlan plan)
    {
        var sb = new System.Text.StringBuilder();
        void Walk(LogicalPlan node, int depth)
        {
            sb.Append(' ', depth * 2).Append(node.Describe()).Append(" changelogMode=").Append(Of(node).ToExplainString()).Append('\n');
            foreach (var input in node.Inputs) Walk(input, depth + 1);
        }
        Walk(plan, 0);
        return sb.ToString();
    }
}
