using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    private readonly List<SourceActivity> _activities = [];

    /// <summary>The job's late-row bookkeeping (null for a plan lowered only to validate it or for a one-off query).</summary>
    public LateRowRegistry? LateRows { get; init; }

    /// <summary>The job's idle-source detection (<c>table.exec.source.idle-timeout</c>); null or disabled when off.</summary>
    public SourceIdleness? Idleness { get; init; }

    /// <summary>
    /// Called for every (child plan, consumer) pair before the child is lowered: a consumer that refuses late rows is
    /// registered with the child's column names (the rows it receives, for the late-row table's JSON), and a
    /// watermark assigner gets its source's activity. Returns how many sources were tracked before the child.
    /// </summary>
    private int TrackEventTime(LogicalPlan input, IChangeConsumer consumer)
    {
        if (LateRows is not null)
        {
            var names = new string[input.Output.Count];
            for (var i = 0; i < names.Length; i++) names[i] = input.Output[i].Name;
            LateRows.Register(consumer, names);
        }
        if (consumer is StreamWatermarkAssigner assigner && Idleness is { Enabled: true } idleness)
        {
            assigner.Activity = idleness.Track();
            _activities.Add(assigner.Activity);
        }
        return _activities.Count;
    }

    /// <summary>After the child of a multi-input operator's port was lowered: the port learns the sources below it.</summary>
    private void EndEventTime(IChangeConsumer consumer, int sourcesBefore)
    {
        if (consumer is not IWatermarkInput port) return;
        for (var i = sourcesBefore; i < _activities.Count; i++) port.AddSource(_activities[i]);
    }

    /// <summary>
    /// A WATERMARK declaration's assigner. When its rows come from a partitioned source (Kafka) through row-by-row
    /// projections and filters only, each batch still belongs to one partition, so the assigner tracks event time per
    /// partition (<see cref="StreamWatermarkAssigner.UsePartitions"/>).
    /// </summary>
    private void LowerWatermarkAssigner(LogicalWatermarkAssigner a, IChangeConsumer output)
    {
        var assigner = new StreamWatermarkAssigner(a, context, output);
        var inputsBefore = _inputs.Count;
        LowerNode(a.Input, assigner);
        if (_inputs.Count == inputsBefore + 1 && _inputs[inputsBefore].Source is IPartitionedStreamSource partitioned && IsRowWiseOverSource(a.Input))
            assigner.UsePartitions(partitioned, Idleness);
    }

    private static bool IsRowWiseOverSource(LogicalPlan plan) => plan switch
    {
        LogicalConnectorScan => true,
        LogicalProject p => IsRowWiseOverSource(p.Input),
        LogicalFilter f => IsRowWiseOverSource(f.Input),
        _ => false,
    };
}
