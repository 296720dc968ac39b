using Tarn.Execution.Lowering;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>The equi-join keys, residual and both sides' window_end columns of a window join.</summary>
public sealed record WindowJoinMatch(List<BoundExpression> LeftKeys, List<BoundExpression> RightKeys, BoundExpression? Residual,
    int LeftWindowEnd, int RightWindowEnd);

/// <summary>
/// Recognizes Flink's window join: a join (inner, outer, semi, anti) whose equality conjuncts include
/// left.window_end = right.window_end, where both columns are the window_end of a closing event-time window — a window
/// table function over an insert-only input with a watermark, or a window aggregate (<see cref="WindowRanking.IsWindowEnd"/>)
/// — so both inputs are insert-only and each window's rows are complete once the watermark passes its end. Flink also
/// asks for window_start equality; equal window_end is what makes the per-window evaluation exact, so it suffices here.
/// </summary>
public static class WindowJoins
{
    public static WindowJoinMatch? Match(LogicalJoin join)
    {
        if (join.Kind is not (LogicalJoinKind.Inner or LogicalJoinKind.Left or LogicalJoinKind.Right or LogicalJoinKind.Full or LogicalJoinKind.Semi or LogicalJoinKind.Anti))
            return null;
        if (JoinLowering.HashKeys(join) is not var (leftKeys, rightKeys, residual)) return null;
        for (var i = 0; i < leftKeys.Count; i++)
        {
            if (leftKeys[i] is BoundColumnRef l && rightKeys[i] is BoundColumnRef r
                && WindowRanking.IsWindowEnd(join.Left, l.Index) && WindowRanking.IsWindowEnd(join.Right, r.Index)
                && ChangelogModeInference.Of(join.Left).IsInsertOnly() && ChangelogModeInference.Of(join.Right).IsInsertOnly())
                return new WindowJoinMatch(leftKeys, rightKeys, residual, l.Index, r.Index);
        }
        return null;
    }
}
