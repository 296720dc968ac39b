using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>Aggregates occurring more than once (<see cref="SubplanReuse"/>), and the tee of each one lowered so far.</summary>
    private List<LogicalAggregate> _shared = [];

    private readonly List<(LogicalAggregate Plan, StreamTee Tee)> _lowered = [];

    private void FindSharedSubplans(LogicalPlan plan) => _shared = SubplanReuse.SharedAggregates(plan);

    /// <summary>
    /// For an aggregate that occurs more than once: true when an identical one is already lowered (its tee now also
    /// feeds <paramref name="output"/>); otherwise false, with <paramref name="output"/> replaced by a new tee that
    /// later occurrences join.
    /// </summary>
    private bool ReuseShared(LogicalAggregate aggregate, ref IChangeConsumer output)
    {
        if (!_shared.Contains(aggregate)) return false;
        foreach (var (plan, tee) in _lowered)
        {
            if (!SubplanReuse.Same(plan, aggregate)) continue;
            tee.Add(output);
            return true;
        }
        var created = new StreamTee(output);
        _lowered.Add((aggregate, created));
        output = created;
        return false;
    }
}
