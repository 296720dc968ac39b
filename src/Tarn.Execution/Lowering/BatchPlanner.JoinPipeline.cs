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
    private Dictionary<LogicalJoin, SharedHashJoin>? LowerJoinBuilds(List<LogicalPlan> chain)
    {
        Dictionary<LogicalJoin, SharedHashJoin>? joins = null;
        foreach (var node in chain)
        {
            if (node is not LogicalJoin join) continue;
            var (leftKeys, rightKeys, residual) = JoinLowering.HashKeys(join)!.Value;
            var leftTypes = join.Left.Output.Select(c => c.Type).ToList();
            joins ??= new Dictionary<LogicalJoin, SharedHashJoin>(ReferenceEqualityComparer.Instance);
            // the pipelines feed a parallel aggregation, which consumes each batch before its worker pulls the next
            joins[join] = new SharedHashJoin(JoinLowering.KindOf(join), leftTypes, Lower(join.Right), leftKeys, rightKeys, residual, context, join.MarkCondition)
            {
                ReuseOutputArrays = true,
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
}
