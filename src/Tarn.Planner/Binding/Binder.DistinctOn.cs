using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// DISTINCT ON (expr, ...) and SELECT DISTINCT ordered by expressions outside the select list (DuckDB and SQLite
/// accept it; it means DISTINCT ON the select list): one row per key, the first in ORDER BY order.
/// </summary>
public sealed partial class Binder
{
    /// <summary>
    /// The select-list columns (by index into <paramref name="items"/>, extended with hidden columns as needed) that
    /// make up the DISTINCT ON key: integer literals are select-list positions.
    /// </summary>
    private List<int> DistinctOnKeys(SelectBody select, Scope scope, AggregationState? aggregation, List<(BoundExpression Expr, string Name)> items, int visible)
    {
        var keys = new List<int>();
        if (select.DistinctOn.IsEmpty)
        {
            for (var i = 0; i < visible; i++) keys.Add(i);
            return keys;
        }
        foreach (var e in select.DistinctOn)
        {
            RejectNonIntegerLiteral(e, "DISTINCT ON");
            int index;
            if (e is IntegerLiteral ord)
            {
                if (ord.Value < 1 || ord.Value > visible) throw Error(SqlStates.InvalidParameterValue, $"DISTINCT ON position {ord.Value} is not in select list", ord.Position);
                index = (int)ord.Value - 1;
            }
            else
            {
                var bound = BindExpression(e, scope, aggregation);
                index = items.FindIndex(x => x.Expr.Equals(bound));
                if (index < 0)
                {
                    index = items.Count;
                    items.Add((bound, "$distinct" + index));
                }
            }
            if (!keys.Contains(index)) keys.Add(index);
        }
        return keys;
    }

    /// <summary>Keeps the first row (in <paramref name="order"/>) of each group of equal <paramref name="keys"/>: ROW_NUMBER() = 1.</summary>
    private static LogicalPlan FirstRowPerKey(LogicalPlan plan, List<int> keys, List<SortKey> order)
    {
        var width = plan.Output.Count;
        var rowNumberType = DataType.BigInt.WithNullable(false);
        var rowNumber = new WindowFunction(WindowFunctionKind.RowNumber, [], null,
            keys.Select(k => (BoundExpression)BoundExpressions.Column(k, plan.Output[k].Type)).ToList(),
            order.Select(k => new BoundSortKey(BoundExpressions.Column(k.Column, plan.Output[k.Column].Type), k.Descending, k.NullsFirst)).ToList(),
            WindowFrameSpec.WholePartition, rowNumberType);
        var windowed = new LogicalWindow(plan, [rowNumber], [.. plan.Output, new OutputColumn("$row_number", rowNumberType)]);
        var first = new LogicalFilter(windowed, BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(width, rowNumberType), BoundLiteral.Of(1L)));
        return new LogicalProject(first, plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(), plan.Output.ToList());
    }

    /// <summary>ORDER BY NULL, TRUE or 'text' sorts by a constant, which has no effect and is almost always a mistake (DuckDB rejects it).</summary>
    private void RejectNonIntegerLiteral(Expression e, string clause)
    {
        if (!_context.AllowOrderByNonIntegerLiteral && e is NullLiteral or BooleanLiteral or StringLiteral or DecimalLiteral or DoubleLiteral)
            throw Error(SqlStates.InvalidColumnReference, $"{clause} non-integer literal has no effect", e.Position);
    }
}
