using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// Finds aggregates that occur more than once in a plan with identical inputs (Flink's sub-plan reuse,
/// table.optimizer.reuse-sub-plan-enabled): e.g. Nexmark q5 computes the same HOP count per auction on both sides of
/// its join. Such an aggregate runs once and feeds every place it occurs. Identity is structural over the node kinds a
/// streaming aggregate input usually has (connector scans, VALUES, watermarks, window TVFs, projections, filters, aggregates);
/// anything else is never considered identical, so a miss only costs the duplicate work.
/// </summary>
public static class SubplanReuse
{
    /// <summary>The aggregates of <paramref name="plan"/> that have an identical twin elsewhere in it.</summary>
    public static List<LogicalAggregate> SharedAggregates(LogicalPlan plan)
    {
        var all = new List<LogicalAggregate>();
        Collect(plan, all);
        var shared = new List<LogicalAggregate>();
        for (var i = 0; i < all.Count; i++)
            for (var j = 0; j < all.Count; j++)
                if (i != j && Same(all[i], all[j]))
                {
                    shared.Add(all[i]);
                    break;
                }
        return shared;
    }

    private static void Collect(LogicalPlan plan, List<LogicalAggregate> into)
    {
        if (plan is LogicalAggregate a) into.Add(a);
        foreach (var input in plan.Inputs) Collect(input, into);
    }

    /// <summary>Whether two plans compute the same rows (false when unsure).</summary>
    public static bool Same(LogicalPlan a, LogicalPlan b)
    {
        if (ReferenceEquals(a, b)) return true;
        return (a, b) switch
        {
            (LogicalConnectorScan x, LogicalConnectorScan y) =>
                x.Path.Equals(y.Path) && x.Table.Equals(y.Table) && x.ColumnIndexes.SequenceEqual(y.ColumnIndexes) && x.Columns.SequenceEqual(y.Columns),
            (LogicalValues x, LogicalValues y) =>
                x.Columns.SequenceEqual(y.Columns) && x.Rows.Count == y.Rows.Count && x.Rows.Zip(y.Rows).All(p => p.First.SequenceEqual(p.Second)),
            (LogicalWatermarkAssigner x, LogicalWatermarkAssigner y) =>
                x.TimeColumn == y.TimeColumn && x.Strategy.Equals(y.Strategy) && Same(x.Input, y.Input),
            (LogicalWindowTvf x, LogicalWindowTvf y) =>
                x.Kind == y.Kind && x.TimeColumn == y.TimeColumn && x.SizeMillis == y.SizeMillis && x.StepMillis == y.StepMillis
                && x.OffsetMillis == y.OffsetMillis && x.PartitionColumns.SequenceEqual(y.PartitionColumns) && Same(x.Input, y.Input),
            (LogicalProject x, LogicalProject y) => x.Expressions.SequenceEqual(y.Expressions) && Same(x.Input, y.Input),
            (LogicalFilter x, LogicalFilter y) => x.Predicate.Equals(y.Predicate) && Same(x.Input, y.Input),
            (LogicalAggregate x, LogicalAggregate y) =>
                x.Keys.SequenceEqual(y.Keys) && x.Aggregates.SequenceEqual(y.Aggregates) && Same(x.Input, y.Input),
            _ => false,
        };
    }
}
