using Tarn.Execution.Lowering;
using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// Regular joins over changelogs (state per side): the equality conjuncts between a left and a right expression
    /// are the join key (as for the batch hash join), the other conjuncts a residual filter on candidate pairs; without
    /// an equality every row shares one key.
    /// </summary>
    private void LowerJoin(LogicalJoin join, IChangeConsumer output)
    {
        if (join.Kind is LogicalJoinKind.Mark or LogicalJoinKind.Single)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"{(join.Kind == LogicalJoinKind.Mark ? "an IN/EXISTS subquery used as a value" : "a scalar subquery")} ({join.Describe()}) is not supported in streaming mode yet; run the query with 'execution.runtime-mode' = 'batch'");
        if (TryLowerWindowJoin(join, output)) return;
        List<BoundExpression> leftKeys = [], rightKeys = [];
        var residual = join.Condition;
        if (JoinLowering.HashKeys(join) is { } keys) (leftKeys, rightKeys, residual) = keys;
        var op = new StreamJoin(join.Kind, [.. join.Left.Output.Select(c => c.Type)], [.. join.Right.Output.Select(c => c.Type)],
            leftKeys, rightKeys, residual, [.. join.Columns.Select(c => c.Type)], state.ForNextOperator(), context, output);
        op.SetStateTtl(HintedStateTtl(join.Left) ?? context.StateTtl, HintedStateTtl(join.Right) ?? context.StateTtl);
        if (IntervalJoinBounds.Find(join.Condition, join.Left.Output.Count) is { } bounds
            && ChangelogModeInference.Of(join.Left).IsInsertOnly() && ChangelogModeInference.Of(join.Right).IsInsertOnly())
            op.EnableIntervalExpiry(bounds);
        LowerNode(join.Left, op.Left);
        LowerNode(join.Right, op.Right);
    }
}
