using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// ORDER BY after a set operation (DuckDB and SQLite rules): an output position or name, a select-list expression
/// of one of the operands (<c>SELECT a-10 AS k ... UNION SELECT a-11 ... ORDER BY a-11</c>), or a column name of any
/// operand (<c>... UNION SELECT a AS l ... ORDER BY l</c>).
/// </summary>
public sealed partial class Binder
{
    /// <summary>The outputs of the operands of the set operations bound so far by this binder.</summary>
    private readonly List<IReadOnlyList<OutputColumn>> _setOperands = [];

    /// <summary>The sort keys; a constant (accepted with order_by_non_integer_literal) sorts nothing and is left out.</summary>
    private List<SortKey> SetOperationSortKeys(NodeList<OrderItem> orderBy, IReadOnlyList<OutputColumn> output, QueryBody body)
    {
        var keys = new List<SortKey>();
        foreach (var item in orderBy)
        {
            RejectNonIntegerLiteral(item.Expression, "ORDER BY");
            if (item.Expression is NullLiteral or BooleanLiteral or StringLiteral or DecimalLiteral or DoubleLiteral) continue;
            keys.Add(SetOperationSortKey(item, output, body));
        }
        return keys;
    }

    private SortKey SetOperationSortKey(OrderItem item, IReadOnlyList<OutputColumn> output, QueryBody body)
    {
        if (item.Expression is IntegerLiteral || (item.Expression is ColumnRef { Parts.Count: 1 } c && FindOutput(output, c.Name.Value) >= 0))
            return OutputSortKey(item, output);
        var matched = -1;
        foreach (var select in SelectOperands(body))
        {
            if (select.Items.Any(i => i.Expression is StarExpression)) continue;
            for (var i = 0; i < select.Items.Count && i < output.Count; i++)
            {
                if (!select.Items[i].Expression.Equals(item.Expression) || i == matched) continue;
                if (matched >= 0) throw Error(SqlStates.AmbiguousColumn, $"ORDER BY expression {item.Expression} is different columns of the set operation's operands", item.Position);
                matched = i;
            }
        }
        if (matched >= 0) return MakeSortKey(item, matched);
        if (item.Expression is ColumnRef { Parts.Count: 1 } name)
        {
            var found = -1;
            foreach (var operand in _setOperands)
            {
                if (operand.Count != output.Count) continue;
                var k = FindOutput(operand, name.Name.Value);
                if (k < 0 || k == found) continue;
                if (found >= 0) throw Error(SqlStates.AmbiguousColumn, $"ORDER BY column '{name.Name.Value}' names different columns of the set operation's operands", name.Position);
                found = k;
            }
            if (found >= 0) return MakeSortKey(item, found);
        }
        return OutputSortKey(item, output);
    }

    /// <summary>The SELECTs a set operation combines (not entering parenthesized queries with clauses of their own).</summary>
    private static IEnumerable<SelectBody> SelectOperands(QueryBody body)
    {
        var pending = new Stack<QueryBody>();
        pending.Push(body);
        while (pending.TryPop(out var next))
        {
            if (next is SelectBody select) yield return select;
            else if (next is SetOperationBody set)
            {
                pending.Push(set.Right);
                pending.Push(set.Left);
            }
        }
    }

    /// <summary>UNION of a string column with a non-string one: VARCHAR (DuckDB casts the other side to text).</summary>
    private static DataType? StringUnion(DataType a, DataType b) =>
        a.IsString != b.IsString && a.Kind != TypeKind.Null && b.Kind != TypeKind.Null ? DataType.String.WithNullable(a.Nullable || b.Nullable) : null;
}
