using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// TUMBLE, HOP and CUMULATE assign rows without state; SESSION merges windows as rows arrive and emits a session
    /// when the watermark closes it, so it needs an insert-only input with an event-time watermark (as in Flink).
    /// </summary>
    private void LowerWindowTvf(LogicalWindowTvf w, IChangeConsumer output)
    {
        if (w.Kind != WindowTvfKind.Session)
        {
            LowerNode(w.Input, new StreamWindowTvf(w, context, output));
            return;
        }
        if (!ChangelogModeInference.Of(w.Input).IsInsertOnly())
            throw Unsupported("SESSION windows in streaming mode require an insert-only input (a table without primary key, or an append-only query)");
        if (!WindowRanking.IsRowtime(w.Input, w.TimeColumn))
            throw Unsupported("SESSION windows in streaming mode need an event-time attribute: DESCRIPTOR the column of the table's WATERMARK");
        LowerNode(w.Input, new StreamSessionWindow(w, state.ForNextOperator(), context, output));
    }

    /// <summary>
    /// Window Top-N / deduplication (<see cref="WindowRanking"/>): ranks each window once when the watermark closes it.
    /// Returns false when the ranking is not over windows.
    /// </summary>
    private bool TryLowerWindowRanking(RankingMatch m, IChangeConsumer consumer)
    {
        var endColumn = WindowRanking.WindowEndColumn(m);
        if (endColumn < 0) return false;
        var window = m.Window;
        var function = window.Functions[0];
        var inputTypes = window.Input.Output.Select(c => c.Type).ToList();
        var rank = new StreamWindowRank(function.PartitionBy, function.OrderBy, endColumn, inputTypes, function.Type,
            Math.Max(1, m.Start), m.End, state.ForNextOperator(), context, consumer);
        LowerNode(window.Input, rank);
        return true;
    }

    /// <summary>
    /// An OVER aggregation ordered by an event-time attribute (Flink's row-time OVER): rows wait until the watermark
    /// passes them and reach the aggregate sorted by time. Returns the consumer to lower the input into.
    /// </summary>
    private IChangeConsumer EventTimeOrder(LogicalWindow window, IChangeConsumer consumer)
    {
        var order = window.Functions[0].OrderBy;
        if (order is not [{ Expression: Planner.Expressions.BoundColumnRef time }]) return consumer;
        foreach (var f in window.Functions)
            if (f.OrderBy is not [{ Expression: Planner.Expressions.BoundColumnRef other }] || other.Index != time.Index) return consumer;
        if (!WindowRanking.IsRowtime(window.Input, time.Index)) return consumer;
        var inputTypes = window.Input.Output.Select(c => c.Type).ToList();
        return new StreamEventTimeSort(time.Index, inputTypes, state.ForNextOperator(), consumer);
    }
}
