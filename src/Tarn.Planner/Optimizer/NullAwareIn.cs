using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Planner.Optimizer;

/// <summary>
/// Uncorrelated <c>x [NOT] IN (subquery)</c> over nullable values without a nested-loop join. In three-valued logic
/// x IN S is TRUE when x equals some element; otherwise FALSE when S is empty; otherwise NULL when x is NULL or S
/// holds a NULL; otherwise FALSE. So: a hash mark join on x = y (the TRUE case), crossed with one row counting S's
/// rows and non-NULL values (the rest).
/// </summary>
internal static class NullAwareIn
{
    /// <summary>The apply's output (Mark), or its left rows where the IN is FALSE (Anti).</summary>
    public static LogicalPlan Build(LogicalApply apply, LogicalPlan right, BoundExpression value)
    {
        var left = apply.Left;
        var n = left.Output.Count;
        var column = right.Output.Count == 1 && value is BoundColumnRef { Index: 0 } ? right
            : new LogicalProject(right, [value], [new OutputColumn("$in", value.Type)]);
        var y = BoundExpressions.Column(n, column.Output[0].Type);
        var mark = new LogicalJoin(left, column, LogicalJoinKind.Mark, BoundExpressions.Compare(ComparisonOperator.Equal, apply.Operand!, y),
            LogicalJoin.ColumnsOf(left, column, LogicalJoinKind.Mark));

        var rows = BoundExpressions.Aggregate(AggregateKind.CountStar, null);
        var values = BoundExpressions.Aggregate(AggregateKind.Count, BoundExpressions.Column(0, column.Output[0].Type));
        var counts = new LogicalAggregate(column, [], [rows, values], [new OutputColumn("$rows", rows.Type), new OutputColumn("$values", values.Type)]);
        var crossed = new LogicalJoin(mark, counts, LogicalJoinKind.Cross, null, LogicalJoin.ColumnsOf(mark, counts, LogicalJoinKind.Cross));

        var matched = BoundExpressions.Column(n, crossed.Output[n].Type);
        var rowCount = BoundExpressions.Column(n + 1, crossed.Output[n + 1].Type);
        var valueCount = BoundExpressions.Column(n + 2, crossed.Output[n + 2].Type);
        var result = BoundExpressions.Case(
        [
            new BoundWhen(BoundExpressions.IsTruth(matched, true), BoundLiteral.Of(true)),
            new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Equal, rowCount, BoundLiteral.Of(0L)), BoundLiteral.Of(false)),
            new BoundWhen(BoundExpressions.Or(BoundExpressions.IsNull(apply.Operand!), BoundExpressions.Compare(ComparisonOperator.Greater, rowCount, valueCount)),
                BoundLiteral.Null(DataType.Boolean)),
        ], BoundLiteral.Of(false));

        var leftColumns = left.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, crossed.Output[i].Type)).ToList();
        if (apply.Mode == ApplyMode.Anti)
        {
            var kept = new LogicalFilter(crossed, BoundExpressions.IsTruth(result, false));
            return new LogicalProject(kept, leftColumns, left.Output);
        }
        return new LogicalProject(crossed, [.. leftColumns, result], apply.Output);
    }
}
