using Tarn.Sql.Ast;

namespace Tarn.Sql.Formatting;

public static partial class SqlFormatter
{
    private sealed partial class Writer
    {
        private void Query(Query query)
        {
            if (!query.With.IsEmpty)
            {
                Text(query.With[0].Recursive ? "WITH RECURSIVE " : "WITH ");
                List(query.With, Cte);
                Text(' ');
            }
            Body(query.Body, 0);
            if (!query.OrderBy.IsEmpty)
            {
                Text(" ORDER BY ");
                List(query.OrderBy, OrderItem);
            }
            if (query.Limit is not null)
                Text(" LIMIT ").Expression(query.Limit, Precedence.Additive).Text(query.LimitPercent ? " PERCENT" : "");
            if (query.Offset is not null)
                Text(" OFFSET ").Expression(query.Offset, Precedence.Additive);
        }

        private void Cte(CommonTableExpression cte)
        {
            Name(cte.Name);
            if (!cte.Columns.IsEmpty)
                Parenthesized(cte.Columns, Name);
            if (!cte.UsingKey.IsEmpty)
            {
                Text(" USING KEY ");
                Parenthesized(cte.UsingKey, e => Expression(e, 0));
            }
            Text(cte.Materialized switch { true => " AS MATERIALIZED (", false => " AS NOT MATERIALIZED (", null => " AS (" });
            Query(cte.Query);
            Text(')');
        }

        private static int BodyPrecedence(QueryBody body) => body switch
        {
            SetOperationBody { Operator: SetOperator.Intersect } => 2,
            SetOperationBody => 1,
            _ => 3,
        };

        /// <summary>Writes a body, in parentheses if it binds looser than <paramref name="minimum"/>.</summary>
        private void Body(QueryBody body, int minimum)
        {
            var parenthesize = BodyPrecedence(body) < minimum;
            if (parenthesize)
                Text('(');
            switch (body)
            {
                case SelectBody select:
                    Select(select);
                    break;
                case SetOperationBody set:
                    SetOperation(set);
                    break;
                case ValuesBody values:
                    Text("VALUES ");
                    List(values.Rows, r => Part(r));
                    break;
                case ParenthesizedBody nested:
                    Text('(');
                    Query(nested.Query);
                    Text(')');
                    break;
                default:
                    throw new ArgumentException($"cannot format {body.GetType().Name}", nameof(body));
            }
            if (parenthesize)
                Text(')');
        }

        /// <summary>
        /// A UNION/INTERSECT/EXCEPT chain. The parser accepts A UNION B UNION C ... at any length as a left-deep tree,
        /// so its left spine is walked with a loop, not recursion (which overflowed the stack at a few thousand).
        /// </summary>
        private void SetOperation(SetOperationBody set)
        {
            var spine = new Stack<SetOperationBody>();
            spine.Push(set);
            var left = set.Left;
            // A left operand binding at least as tightly as its parent is printed without parentheses: same spine.
            while (left is SetOperationBody inner && BodyPrecedence(inner) >= BodyPrecedence(spine.Peek()))
            {
                spine.Push(inner);
                left = inner.Left;
            }
            Body(left, BodyPrecedence(spine.Peek()));
            while (spine.TryPop(out var operation))
            {
                Text(' ').Text(operation.Operator.ToString().ToUpperInvariant()).Text(operation.All ? " ALL " : " ");
                Body(operation.Right, BodyPrecedence(operation) + 1);
            }
        }

        private void Select(SelectBody select)
        {
            Text("SELECT ");
            if (!select.Hints.IsEmpty)
            {
                Hints(select.Hints);
                Text(' ');
            }
            if (!select.DistinctOn.IsEmpty)
            {
                Text("DISTINCT ON ");
                Parenthesized(select.DistinctOn, e => Expression(e, 0));
                Text(' ');
            }
            else if (select.Distinct)
                Text("DISTINCT ");
            List(select.Items, SelectItem);
            if (!select.From.IsEmpty)
            {
                Text(" FROM ");
                List(select.From, Table);
            }
            if (select.Where is not null)
                Text(" WHERE ").Expression(select.Where, 0);
            if (!select.GroupBy.IsEmpty)
            {
                Text(" GROUP BY ");
                List(select.GroupBy, Grouping);
            }
            if (select.Having is not null)
                Text(" HAVING ").Expression(select.Having, 0);
            if (!select.Windows.IsEmpty)
            {
                Text(" WINDOW ");
                List(select.Windows, w => Part(w));
            }
            if (select.Qualify is not null)
                Text(" QUALIFY ").Expression(select.Qualify, 0);
        }

        private void SelectItem(SelectItem item)
        {
            Expression(item.Expression, 0);
            if (item.Alias is not null)
                Text(" AS ").Name(item.Alias);
        }

        private void Grouping(GroupingElement element)
        {
            switch (element)
            {
                case ExpressionGrouping e:
                    Expression(e.Expression, 0);
                    break;
                case GroupingSets sets:
                    Text("GROUPING SETS ");
                    Parenthesized(sets.Sets, s => Part(s));
                    break;
                case Rollup rollup:
                    Text("ROLLUP");
                    Parenthesized(rollup.Expressions, e => Expression(e, 0));
                    break;
                case Cube cube:
                    Text("CUBE");
                    Parenthesized(cube.Expressions, e => Expression(e, 0));
                    break;
            }
        }

        private void Table(TableReference table)
        {
            switch (table)
            {
                case NamedTable named:
                    Name(named.Name);
                    if (!named.Hints.IsEmpty)
                    {
                        Text(' ');
                        Hints(named.Hints);
                    }
                    if (named.SystemTime is not null)
                        Text(" FOR SYSTEM_TIME AS OF ").Expression(named.SystemTime, 0);
                    Alias(named.Alias);
                    break;
                case DerivedTable derived:
                    Text(derived.Lateral ? "LATERAL (" : "(");
                    Query(derived.Query);
                    Text(')');
                    Alias(derived.Alias);
                    break;
                case DescribeTable describe:
                    Text(describe.Summarize ? "(SUMMARIZE " : "(DESCRIBE ");
                    if (describe is { OfTable: true, Query.Body: SelectBody { From: [NamedTable described] } })
                    {
                        Text("TABLE ");
                        Name(described.Name);
                    }
                    else
                        Query(describe.Query);
                    Text(')');
                    Alias(describe.Alias);
                    break;
                case FunctionTable function:
                    Text(function.Lateral ? "LATERAL TABLE(" : "TABLE(").Expression(function.Call, 0).Text(')');
                    Alias(function.Alias);
                    break;
                case UnnestTable unnest:
                    Text("UNNEST");
                    Parenthesized(unnest.Arguments, e => Expression(e, 0));
                    if (unnest.WithOrdinality)
                        Text(" WITH ORDINALITY");
                    Alias(unnest.Alias);
                    break;
                case JoinedTable join:
                    Joins(join);
                    break;
                default:
                    throw new ArgumentException($"cannot format {table.GetType().Name}", nameof(table));
            }
        }

        /// <summary>
        /// A join chain. The parser accepts a JOIN b JOIN c ... at any length as a left-deep tree, so its left spine is
        /// walked with a loop, not recursion (which overflowed the stack at a few thousand joins).
        /// </summary>
        private void Joins(JoinedTable last)
        {
            var spine = new Stack<JoinedTable>();
            TableReference left = last;
            while (left is JoinedTable inner)
            {
                spine.Push(inner);
                left = inner.Left;
            }
            Table(left);
            while (spine.TryPop(out var join))
            {
                if (join.Natural)
                    Text(" NATURAL");
                if (join.AsOf)
                    Text(" ASOF");
                Text(join.Type switch
                {
                    JoinType.Inner => " JOIN ",
                    JoinType.Semi => " SEMI JOIN ",
                    JoinType.Anti => " ANTI JOIN ",
                    JoinType.Left => " LEFT JOIN ",
                    JoinType.Right => " RIGHT JOIN ",
                    JoinType.Full => " FULL JOIN ",
                    _ => " CROSS JOIN ",
                });
                if (join.Right is JoinedTable)
                {
                    Text('(');
                    Table(join.Right);
                    Text(')');
                }
                else
                {
                    Table(join.Right);
                }
                if (join.On is not null)
                    Text(" ON ").Expression(join.On, 0);
                else if (!join.Using.IsEmpty)
                {
                    Text(" USING ");
                    Parenthesized(join.Using, Name);
                }
            }
        }

        private void Alias(TableAlias? alias)
        {
            if (alias is null)
                return;
            Text(" AS ").Name(alias.Name);
            if (!alias.Columns.IsEmpty)
                Parenthesized(alias.Columns, Name);
        }
    }
}
