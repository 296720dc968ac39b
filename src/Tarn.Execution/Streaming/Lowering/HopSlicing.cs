using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// A HOP window aggregate that can run sliced (Flink's slice-shared window aggregation): every row is aggregated into
/// ONE slice of gcd(size, slide) instead of size/slide overlapping windows, and each window is the merge of its slices.
/// <see cref="WindowStartKey"/> (-1 if not grouped) and <see cref="WindowEndKey"/> are the GROUP BY keys holding the
/// window bounds; <see cref="Project"/> is the projection between the TVF and the aggregate, if any.
/// </summary>
public sealed record HopSliceMatch(LogicalWindowTvf Tvf, LogicalProject? Project, long SliceMillis, int WindowStartKey, int WindowEndKey);

/// <summary>Recognizes <see cref="HopSliceMatch"/> aggregates.</summary>
public static class HopSlicing
{
    /// <summary>
    /// A window aggregate over HOP whose slices are finer than its windows, whose calls merge exactly (COUNT, COUNT(*),
    /// MIN, MAX, SUM of exact numbers; no DISTINCT) and which reads window_start/window_end only as plain GROUP BY keys
    /// (so a slice's row can be re-labelled with each window that contains it). Null otherwise.
    /// </summary>
    public static HopSliceMatch? TryMatch(LogicalAggregate aggregate)
    {
        var endKey = WindowAggregates.WindowEndKey(aggregate);
        if (endKey < 0) return null;
        LogicalProject? project = null;
        LogicalWindowTvf tvf;
        if (aggregate.Input is LogicalWindowTvf direct) tvf = direct;
        else if (aggregate.Input is LogicalProject { Input: LogicalWindowTvf below } p) (tvf, project) = (below, p);
        else return null;
        if (tvf.Kind != WindowTvfKind.Hop || tvf.SizeMillis <= 0 || tvf.StepMillis <= 0) return null;
        var slice = Gcd(tvf.SizeMillis, tvf.StepMillis);
        if (slice >= tvf.SizeMillis) return null; // one slice per window: nothing to share
        foreach (var call in aggregate.Aggregates)
            if (!Mergeable(call)) return null;

        // What each column of the aggregate's input is: 0 window_start, 1 window_end, 2 window_time, -1 other.
        var first = tvf.Input.Output.Count;
        int[] windowColumn;
        if (project is null)
        {
            windowColumn = new int[first + 3];
            for (var i = 0; i < windowColumn.Length; i++) windowColumn[i] = i >= first ? i - first : -1;
        }
        else
        {
            windowColumn = new int[project.Expressions.Count];
            for (var i = 0; i < windowColumn.Length; i++)
            {
                var e = project.Expressions[i];
                if (e is BoundColumnRef c && c.Index >= first) windowColumn[i] = c.Index - first;
                else if (ReadsAtLeast(e, first)) return null;
                else windowColumn[i] = -1;
            }
        }
        bool ReadsWindow(BoundExpression e)
        {
            foreach (var c in e.ReferencedColumns())
                if (c < windowColumn.Length && windowColumn[c] >= 0) return true;
            return false;
        }

        var startKey = -1;
        for (var k = 0; k < aggregate.Keys.Count; k++)
        {
            var key = aggregate.Keys[k];
            if (!ReadsWindow(key)) continue;
            if (key is not BoundColumnRef r) return null;
            switch (windowColumn[r.Index])
            {
                case 0 when startKey < 0: startKey = k; break;
                case 1 when k == endKey: break;
                default: return null;
            }
        }
        foreach (var call in aggregate.Aggregates)
            if ((call.Argument is { } a && ReadsWindow(a)) || (call.Filter is { } f && ReadsWindow(f))) return null;
        return new HopSliceMatch(tvf, project, slice, startKey, endKey);
    }

    /// <summary>The kind that merges partial results of <paramref name="kind"/> (COUNT partials add up).</summary>
    public static AggregateKind MergeKind(AggregateKind kind) => kind is AggregateKind.CountStar or AggregateKind.Count ? AggregateKind.Sum : kind;

    private static bool Mergeable(AggregateCall call) => !call.Distinct && call.Kind switch
    {
        AggregateKind.CountStar or AggregateKind.Count or AggregateKind.Min or AggregateKind.Max => true,
        // floating-point sums would depend on the merge order; exact sums do not
        AggregateKind.Sum => call.Argument is { } a && (a.Type.IsIntegral || a.Type.Kind == Types.TypeKind.Decimal),
        _ => false,
    };

    private static bool ReadsAtLeast(BoundExpression e, int first)
    {
        foreach (var c in e.ReferencedColumns())
            if (c >= first) return true;
        return false;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
