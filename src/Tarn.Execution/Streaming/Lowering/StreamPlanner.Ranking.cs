using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// Top-N and deduplication (<see cref="RankingPattern"/>): the projections and the filter above the window run as
    /// usual on the ranking operator's output (input columns + row number), which only emits rows inside the range.
    /// </summary>
    private void LowerRanking(RankingMatch m, IChangeConsumer output)
    {
        var consumer = output;
        if (m.OuterProject is { } outer) consumer = new StreamProject(outer.Expressions, context, consumer);
        consumer = new StreamFilter(m.Filter.Predicate, context, consumer);
        foreach (var p in m.InnerProjects) consumer = new StreamProject(p.Expressions, context, consumer);
        var window = m.Window;
        var function = window.Functions[0];
        if (TryLowerWindowRanking(m, consumer)) return;
        var spec = new TopNSpec(Math.Max(1, m.Start), m.End, m.RankInOutput, m.KeepFirst, !ChangelogModeInference.Of(window.Input).IsInsertOnly());
        var inputTypes = window.Input.Output.Select(c => c.Type).ToList();
        var topN = new StreamTopN(function.PartitionBy, function.OrderBy, inputTypes, function.Type, spec, state.ForNextOperator(), context, consumer);
        LowerNode(window.Input, topN);
    }

    /// <summary>
    /// A window node that is not a Top-N: OVER aggregates over frames ending at the current row. Calls sharing a
    /// window run in one operator; several windows run as a chain of operators, each appending its results, and a
    /// projection restores the node's column order.
    /// </summary>
    private void LowerWindow(LogicalWindow window, IChangeConsumer output)
    {
        var groups = OverAggregateGroups(window);
        if (!ChangelogModeInference.Of(window.Input).IsInsertOnly())
            throw new TarnException(SqlStates.FeatureNotSupported,
                "OVER aggregation in streaming mode requires an insert-only input (a table without primary key, or an append-only query)");
        var width = window.Input.Output.Count;
        var consumer = output;
        if (groups.Count > 1)
        {
            // Operator g appends its calls after the columns of the operators before it.
            var position = new int[window.Functions.Count];
            var next = width;
            foreach (var (_, calls) in groups)
                foreach (var call in calls) position[call] = next++;
            var columns = new List<BoundExpression>();
            for (var c = 0; c < width; c++) columns.Add(new BoundColumnRef(c, window.Input.Output[c].Type));
            for (var f = 0; f < position.Length; f++) columns.Add(new BoundColumnRef(position[f], window.Functions[f].Type));
            consumer = new StreamProject(columns, context, consumer);
        }
        for (var g = groups.Count - 1; g >= 0; g--)
        {
            var (frame, calls) = groups[g];
            var first = window.Functions[calls[0]];
            var aggregates = calls.Select(c => window.Functions[c].Aggregate!).ToList();
            consumer = new StreamOverAggregate(first.PartitionBy, first.OrderBy[0], aggregates, frame, state.ForNextOperator(), context, consumer);
        }
        LowerNode(window.Input, EventTimeOrder(window, consumer));
    }

    /// <summary>
    /// Checks the restrictions of streaming OVER aggregation (Flink's): COUNT/SUM/MIN/MAX/AVG calls over windows with
    /// one ascending ORDER BY key and a frame ending at the current row. Returns the calls grouped by window.
    /// </summary>
    private static List<(OverFrame Frame, List<int> Calls)> OverAggregateGroups(LogicalWindow window)
    {
        var groups = new List<(OverFrame Frame, List<int> Calls)>();
        for (var i = 0; i < window.Functions.Count; i++)
        {
            var f = window.Functions[i];
            if (f.Kind != WindowFunctionKind.Aggregate)
                throw Unsupported($"{f.Kind.ToString().ToUpperInvariant()}() OVER (...) is only supported in streaming mode as a Top-N: filter ROW_NUMBER() with rn <= N");
            if (f.Aggregate!.Kind is not (AggregateKind.CountStar or AggregateKind.Count or AggregateKind.Sum or AggregateKind.Min or AggregateKind.Max or AggregateKind.Avg) || f.Aggregate.Distinct)
                throw Unsupported($"{f.Aggregate} OVER (...) is not supported in streaming mode; COUNT, SUM, MIN, MAX and AVG are");
            var frame = FrameOf(f);
            var group = groups.FindIndex(g => g.Frame == frame && window.Functions[g.Calls[0]].SameWindow(f));
            if (group < 0) groups.Add((frame, [i]));
            else groups[group].Calls.Add(i);
        }
        return groups;
    }

    private static OverFrame FrameOf(WindowFunction f)
    {
        if (f.OrderBy is not [{ Descending: false } key])
            throw Unsupported("OVER aggregation in streaming mode needs ORDER BY one ascending (time) column");
        var frame = f.Frame;
        if (frame.End.Kind != WindowBoundKind.CurrentRow)
            throw Unsupported("OVER windows in streaming mode must end at CURRENT ROW");
        var peers = frame.Unit == WindowFrameUnit.Range;
        if (frame.Start.Kind == WindowBoundKind.UnboundedPreceding) return new OverFrame(OverFrameKind.Unbounded, 0, peers);
        if (frame.Start.Kind == WindowBoundKind.CurrentRow) return new OverFrame(peers ? OverFrameKind.Range : OverFrameKind.Rows, 0, peers);
        if (frame.Start.Kind != WindowBoundKind.Preceding || frame.Start.Offset is not BoundLiteral { Value: not null } offset)
            throw Unsupported($"the OVER frame {frame} is not supported in streaming mode");
        if (frame.Unit == WindowFrameUnit.Rows) return new OverFrame(OverFrameKind.Rows, Convert.ToInt64(offset.Value, System.Globalization.CultureInfo.InvariantCulture));
        return new OverFrame(OverFrameKind.Range, RangeUnits(offset, key.Expression.Type), Peers: true);
    }

    /// <summary>A RANGE offset in the ORDER BY key's units (exact only: integers, DATE days, TIMESTAMP units).</summary>
    private static long RangeUnits(BoundLiteral offset, DataType key)
    {
        if (offset.Type.Kind == TypeKind.IntervalDayTime && offset.Value is long micros)
        {
            if (key.IsTimestamp) return (long)((Int128)micros * key.TimeUnitsPerSecond / 1_000_000);
            if (key.Kind == TypeKind.Date) return micros / 86_400_000_000L;
        }
        if (key.IsIntegral && offset.Type.IsIntegral) return Convert.ToInt64(offset.Value, System.Globalization.CultureInfo.InvariantCulture);
        throw Unsupported($"RANGE frames over ORDER BY {key.ToSql()} with offset {offset.Type.ToSql()} are not supported in streaming mode");
    }

    private static TarnException Unsupported(string message) =>
        new(SqlStates.FeatureNotSupported, message + "; run the query with 'execution.runtime-mode' = 'batch'");
}
