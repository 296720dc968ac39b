using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;

namespace Tarn.Execution.Lowering;

/// <summary>
/// Chooses the join operator: a hash join on the equality conjuncts that compare a left expression with a right
/// expression (the rest becomes a residual condition), else a nested-loop join. The right input is the build side.
/// </summary>
internal static class JoinLowering
{
    public static IBatchOperator Lower(LogicalJoin join, IBatchOperator left, IBatchOperator right, ExecutionContext context)
    {
        var kind = KindOf(join);
        if (join.Condition is null) return new NestedLoopJoinOperator(left, right, kind, null, context, join.MarkCondition);
        if (HashKeys(join) is not var (leftKeys, rightKeys, residual))
            return new NestedLoopJoinOperator(left, right, kind, join.Condition, context, join.MarkCondition);
        return new HashJoinOperator(left, right, kind, leftKeys, rightKeys, residual, context, join.MarkCondition);
    }

    public static JoinKind KindOf(LogicalJoin join) => join.Kind switch
    {
        LogicalJoinKind.Left => JoinKind.Left,
        LogicalJoinKind.Right => JoinKind.Right,
        LogicalJoinKind.Full => JoinKind.Full,
        LogicalJoinKind.Semi => JoinKind.Semi,
        LogicalJoinKind.Anti => JoinKind.Anti,
        LogicalJoinKind.Mark => JoinKind.Mark,
        LogicalJoinKind.Single => JoinKind.Single,
        _ => JoinKind.Inner,
    };

    /// <summary>
    /// The hash join keys of a join's condition (left expression = right expression conjuncts, the right ones over
    /// the right input's columns) and the residual of the other conjuncts; null when it has no such conjunct.
    /// </summary>
    public static (List<BoundExpression> LeftKeys, List<BoundExpression> RightKeys, BoundExpression? Residual)? HashKeys(LogicalJoin join)
    {
        if (join.Condition is null) return null;
        var leftCount = join.Left.Output.Count;
        var leftKeys = new List<BoundExpression>();
        var rightKeys = new List<BoundExpression>();
        var residual = new List<BoundExpression>();
        foreach (var c in ExpressionRewriter.Conjuncts(join.Condition))
        {
            if (c is BoundComparison { Operator: ComparisonOperator.Equal } eq && Side(eq.Left, leftCount) is var ls && Side(eq.Right, leftCount) is var rs
                && ls != 0 && rs != 0 && ls != rs && TypeRules.CommonType(eq.Left.Type, eq.Right.Type) is { } common)
            {
                var (l, r) = ls < 0 ? (eq.Left, eq.Right) : (eq.Right, eq.Left);
                leftKeys.Add(FunctionRegistry.Coerce(l, common.WithNullable(l.Type.Nullable)));
                rightKeys.Add(FunctionRegistry.Coerce(ExpressionRewriter.RemapColumns(r, i => i - leftCount), common.WithNullable(r.Type.Nullable)));
            }
            else residual.Add(c);
        }
        if (leftKeys.Count == 0) return null;
        return (leftKeys, rightKeys, residual.Count == 0 ? null : BoundExpressions.And(residual));
    }

    /// <summary>-1 when the expression reads only left columns, +1 only right columns, 0 otherwise (both or none).</summary>
    private static int Side(BoundExpression e, int leftCount)
    {
        var columns = e.ReferencedColumns();
        if (columns.Count == 0) return 0;
        if (columns.All(i => i < leftCount)) return -1;
        if (columns.All(i => i >= leftCount)) return 1;
        return 0;
    }
}
