using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>INTERSECT ALL and EXCEPT ALL (multiset semantics) on top of the tagged-union grouping of the distinct forms.</summary>
public sealed partial class Binder
{
    /// <summary>
    /// A row that occurs l times on the left and r times on the right occurs min(l, r) times in INTERSECT ALL and
    /// max(l - r, 0) times in EXCEPT ALL (SQL standard, PostgreSQL): compute that count per group of equal rows and
    /// replicate each group's row that often (Flink does the same with its ReplicateRows function).
    /// </summary>
    private static LogicalPlan ReplicateMultiplicities(LogicalPlan grouped, SetOperator op, BoundExpression leftCount, BoundExpression rightCount,
        IReadOnlyList<BoundExpression> rowColumns, IReadOnlyList<OutputColumn> columns)
    {
        var left = BoundExpressions.Coalesce([leftCount, BoundLiteral.Of(0L)]);
        var right = BoundExpressions.Coalesce([rightCount, BoundLiteral.Of(0L)]);
        BoundExpression count = op == SetOperator.Intersect
            ? BoundExpressions.Case([new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Less, left, right), left)], right)
            : BoundExpressions.Arithmetic(ArithmeticOperator.Subtract, left, right);
        var kept = new LogicalFilter(grouped, BoundExpressions.Compare(ComparisonOperator.Greater, count, BoundLiteral.Of(0L)));
        var withCount = new LogicalProject(kept, [.. rowColumns, count], [.. columns, new OutputColumn("$count", count.Type)]);
        return new LogicalReplicateRows(withCount, columns.Count);
    }
}
