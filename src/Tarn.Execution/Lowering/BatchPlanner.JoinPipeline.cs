using Tarn.Execution.Joins;
using Tarn.Execution.Parallel;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Execution.Lowering;

/// <summary>
/// Hash joins inside parallel pipelines: a join whose probe (left) input continues a scan pipeline becomes one of
/// its stages, probing a build table read once and shared by all workers (<see cref="SharedHashJoin"/>), so e.g.
/// an aggregation over fact ⋈ dimension runs scan, probe and partial aggregation on every core.
/// </summary>
public sealed partial class BatchPlanner
{
    private readonly List<JoinPipelineSource> _joinPipelines = [];

    /// <summary>A hash join (equality keys) of a kind whose probe rows join independently of each other.</summary>
    private static bool IsPipelinedJoin(LogicalPlan node) =>
        node is LogicalJoin { Kind: not LogicalJoinKind.Cross } join
        && SharedHashJoin.Supports(JoinLowering.KindOf(join))
        && JoinLowering.HashKeys(join) is not null;

    /// <summary>The shared builds of the pipeline's joins (their right inputs lowered bottom-up), or null when it has none.</summary>
    private Dictionary<LogicalJoin, SharedHashJoin>? LowerJoinBuilds(List<LogicalPlan> chain, bool consumesEachBatch)
    {
        Dictionary<LogicalJoin, SharedHashJoin>? joins = null;
        foreach (var node in chain)
        {
            if (node is not LogicalJoin join) continue;
            var (leftKeys, rightKeys, residual) = JoinLowering.HashKeys(join)!.Value;
            var leftTypes = join.Left.Output.Select(c => c.Type).ToList();
            joins ??= new Dictionary<LogicalJoin, SharedHashJoin>(ReferenceEqualityComparer.Instance);
            // a parallel aggregation consumes each batch before its worker pulls the next; a gather queues them
            joins[join] = new SharedHashJoin(JoinLowering.KindOf(join), leftTypes, Lower(join.Right), leftKeys, rightKeys, residual, context, join.MarkCondition)
            {
                ReuseOutputArrays = consumesEachBatch,
            };
        }
        return joins;
    }

    private JoinPipelineSource OwnJoinPipeline(List<Func<IBatchOperator>> rowGroups, IReadOnlyList<DataType> scanTypes,
        Func<IBatchOperator, IBatchOperator> stages, Dictionary<LogicalJoin, SharedHashJoin> joins)
    {
        var source = new JoinPipelineSource(rowGroups, scanTypes, stages, [.. joins.Values]);
        _joinPipelines.Add(source);
        return source;
    }

    /// <summary>
    /// The input of a sort, whose row order does not matter: a hash-join pipeline over a scan runs on all workers and
    /// their batches are gathered as they come (joins not under an aggregate would otherwise probe on one thread).
    /// </summary>
    private IBatchOperator LowerUnordered(LogicalPlan plan)
    {
        if (context.Parallelism > 1 && HasPipelinedJoin(plan)
            && TryMorselPipeline(plan, [.. Enumerable.Range(0, plan.Output.Count)], consumesEachBatch: false) is { } source)
            return new ParallelGatherOperator(source, plan.Output.Select(c => c.Type).ToList(), context);
        return Lower(plan);
    }

    private static bool HasPipelinedJoin(LogicalPlan plan)
    {
        for (var node = plan; node is LogicalFilter or LogicalProject or LogicalExpand || IsPipelinedJoin(node); node = node.Inputs[0])
            if (node is LogicalJoin) return true;
        return false;
    }
}
