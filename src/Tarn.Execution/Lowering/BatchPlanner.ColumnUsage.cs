using Tarn.Planner.Logical;

namespace Tarn.Execution.Lowering;

/// <summary>Which columns the stages of a morsel pipeline read, so row groups can skip decoding the others.</summary>
public sealed partial class BatchPlanner
{
    /// <summary>The input columns an aggregate reads: its keys, arguments and FILTER clauses.</summary>
    private static HashSet<int> ColumnsReadBy(LogicalAggregate aggregate)
    {
        var reads = new HashSet<int>();
        foreach (var k in aggregate.Keys) reads.UnionWith(k.ReferencedColumns());
        foreach (var a in aggregate.Aggregates)
        {
            if (a.Argument is not null) reads.UnionWith(a.Argument.ReferencedColumns());
            if (a.Filter is not null) reads.UnionWith(a.Filter.ReferencedColumns());
        }
        return reads;
    }

    /// <summary>
    /// For a pipeline whose first stage is a filter (<paramref name="chain"/>[0]) that is skipped: the scan columns
    /// nothing above that filter reads, flagged per scan column; null when every column is read (or the stages are not
    /// simple enough to tell).
    /// </summary>
    private static bool[]? ColumnsUnreadAboveFirstFilter(List<LogicalPlan> chain, int scanColumns, HashSet<int> consumerReads)
    {
        var reads = new HashSet<int>(consumerReads);
        for (var i = chain.Count - 1; i >= 1; i--)
        {
            switch (chain[i])
            {
                case LogicalFilter f:
                    reads.UnionWith(f.Predicate.ReferencedColumns());
                    break;
                case LogicalProject p:
                {
                    var below = new HashSet<int>();
                    foreach (var c in reads)
                        if (c < p.Expressions.Count) below.UnionWith(p.Expressions[c].ReferencedColumns());
                    reads = below;
                    break;
                }
                default:
                    return null;
            }
        }
        bool[]? unread = null;
        for (var c = 0; c < scanColumns; c++)
        {
            if (reads.Contains(c)) continue;
            unread ??= new bool[scanColumns];
            unread[c] = true;
        }
        return unread;
    }
}
