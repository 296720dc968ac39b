using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// A semi or anti join decides per row of its left input, from that row's columns alone, so it commutes with the
/// projections, filters and left joins below it: it moves down to the input its condition's left columns come from
/// (through a left join's preserved side). It does not move into inner joins, whose other inputs usually shrink the
/// rows it has to test (TPC-H q21's semi join on line items belongs after the joins with orders and nations). TPC-H q20's <c>ps_partkey IN (parts named
/// 'forest%')</c> then shrinks partsupp before partsupp meets the per-part aggregate of its correlated subquery,
/// instead of after.
/// </summary>
public sealed class PushSemiJoinDown : IOptimizerRule
{
    public string Name => "push_semi_join_down";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is not LogicalJoin { Kind: LogicalJoinKind.Semi or LogicalJoinKind.Anti, Condition: { } condition } join || condition.IsVolatile) return plan;
        return Push(join.Left, join.Right, condition, join.Kind, join.MarkCondition is null) ?? plan;
    }

    /// <summary>
    /// The semi join of <paramref name="left"/> and <paramref name="right"/> placed as deep inside <paramref name="left"/>
    /// as its condition allows, or null when it cannot move.
    /// </summary>
    private static LogicalPlan? Push(LogicalPlan left, LogicalPlan right, BoundExpression condition, LogicalJoinKind kind, bool movable)
    {
        if (!movable) return null;
        var width = left.Output.Count;
        var leftColumns = condition.ReferencedColumns().Where(i => i < width).ToList();
        switch (left)
        {
            case LogicalProject project when leftColumns.All(i => project.Expressions[i] is BoundColumnRef):
            {
                var inner = project.Input.Output.Count;
                var moved = Remap(condition, width, i => ((BoundColumnRef)project.Expressions[i]).Index, inner);
                return project with { Input = Place(project.Input, right, moved, kind) };
            }
            case LogicalFilter filter:
                return filter with { Input = Place(filter.Input, right, condition, kind) };
            case LogicalJoin { Kind: LogicalJoinKind.Left, MarkCondition: null } below when leftColumns.All(i => i < below.Left.Output.Count):
            {
                var moved = Remap(condition, width, i => i, below.Left.Output.Count);
                return below with { Left = Place(below.Left, right, moved, kind) };
            }
            default:
                return null;
        }
    }

    private static LogicalPlan Place(LogicalPlan left, LogicalPlan right, BoundExpression condition, LogicalJoinKind kind) =>
        Push(left, right, condition, kind, true) ?? new LogicalJoin(left, right, kind, condition, LogicalJoin.ColumnsOf(left, right, kind));

    /// <summary>Left columns (below <paramref name="width"/>) through <paramref name="map"/>; right columns shifted to follow a left input of <paramref name="newWidth"/> columns.</summary>
    private static BoundExpression Remap(BoundExpression condition, int width, Func<int, int> map, int newWidth) =>
        ExpressionRewriter.RemapColumns(condition, i => i < width ? map(i) : i - width + newWidth);
}
