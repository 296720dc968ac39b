using Tarn.Execution.Streaming.EventTime;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>The job's late-row bookkeeping (null for a plan lowered only to validate it or for a one-off query).</summary>
    public LateRowRegistry? LateRows { get; init; }

    /// <summary>
    /// Called for every (child plan, consumer) pair while lowering: a consumer that refuses late rows is registered
    /// with the child's column names (the names of the rows it receives, for the late-row table's JSON).
    /// </summary>
    private void TrackEventTime(LogicalPlan input, IChangeConsumer consumer)
    {
        if (LateRows is null) return;
        var names = new string[input.Output.Count];
        for (var i = 0; i < names.Length; i++) names[i] = input.Output[i].Name;
        LateRows.Register(consumer, names);
    }
}
