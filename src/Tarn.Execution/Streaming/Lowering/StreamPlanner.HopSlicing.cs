using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// A HOP window aggregate whose calls merge (<see cref="HopSlicing"/>) runs sliced: a TUMBLE of the slice size
    /// feeds a window aggregate per slice (one state update per row instead of one per window); each closed slice's
    /// partial results are re-labelled with the windows holding the slice (<see cref="StreamSliceExpander"/>) and merged
    /// by a window aggregate per window (COUNT partials summed, SUM/MIN/MAX of partials), which emits each window when
    /// the watermark closes it, as before. Rows arriving after their slice closed go to the expander one by one
    /// (<see cref="StreamSliceLateRows"/>). False when the aggregate does not qualify.
    /// </summary>
    private bool TryLowerHopSlices(LogicalAggregate aggregate, IChangeConsumer output)
    {
        if (HopSlicing.TryMatch(aggregate) is not { } m) return false;
        var keyCount = aggregate.Keys.Count;
        var mergeKeys = new List<BoundExpression>(keyCount);
        for (var k = 0; k < keyCount; k++) mergeKeys.Add(new BoundColumnRef(k, aggregate.Keys[k].Type));
        var mergeCalls = new List<AggregateCall>(aggregate.Aggregates.Count);
        for (var i = 0; i < aggregate.Aggregates.Count; i++)
        {
            var call = aggregate.Aggregates[i];
            mergeCalls.Add(new AggregateCall(HopSlicing.MergeKind(call.Kind), new BoundColumnRef(keyCount + i, call.Type), false, null, call.Type));
        }
        var windows = new StreamGroupAggregate(mergeKeys, mergeCalls, false, state.ForNextOperator(), context, output, m.WindowEndKey);
        var expander = new StreamSliceExpander(m.WindowStartKey, m.WindowEndKey, m.Tvf.SizeMillis, m.Tvf.StepMillis, m.Tvf.OffsetMillis, windows);
        var slices = new StreamGroupAggregate(aggregate.Keys, aggregate.Aggregates, false, state.ForNextOperator(), context, expander, m.WindowEndKey);
        var endColumn = ((BoundColumnRef)aggregate.Keys[m.WindowEndKey]).Index;
        var lateRows = new StreamSliceLateRows(slices, expander, endColumn, (m.Tvf.SizeMillis, m.Tvf.StepMillis, m.Tvf.OffsetMillis),
            aggregate.Keys, aggregate.Aggregates, context);
        // The late rows of the sliced plan are counted where they are split off (the window aggregate above only drops those).
        TrackEventTime(aggregate.Input, lateRows);
        IChangeConsumer consumer = lateRows;
        if (m.Project is { } project) consumer = new StreamProject(project.Expressions, context, consumer);
        var sliceTvf = m.Tvf with { Kind = WindowTvfKind.Tumble, SizeMillis = m.SliceMillis, StepMillis = m.SliceMillis };
        LowerNode(m.Tvf.Input, new StreamWindowTvf(sliceTvf, context, consumer));
        return true;
    }
}
