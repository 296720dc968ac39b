using System.Globalization;
using Tarn.Sql.Ast;

namespace Tarn.Sql.Formatting;

public static partial class SqlFormatter
{
    private static class Precedence
    {
        public const int Or = 1;
        public const int And = 2;
        public const int Not = 3;
        public const int Predicate = 4;
        public const int Additive = 5;
        public const int Multiplicative = 6;
        public const int Unary = 7;
        public const int Postfix = 8;
        public const int Primary = 9;
    }

    private static int PrecedenceOf(Expression e) => e switch
    {
        BinaryExpression b => b.Operator switch
        {
            BinaryOperator.Or => Precedence.Or,
            BinaryOperator.And => Precedence.And,
            BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Concat => Precedence.Additive,
            BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => Precedence.Multiplicative,
            _ => Precedence.Predicate,
        },
        UnaryExpression { Operator: UnaryOperator.Not } => Precedence.Not,
        UnaryExpression => Precedence.Unary,
        IsExpression or IsDistinctFromExpression or BetweenExpression or InListExpression or InSubqueryExpression
            or LikeExpression or QuantifiedComparisonExpression => Precedence.Predicate,
        // A negative number reads back as a unary minus applied to its digits.
        IntegerLiteral { Value: < 0 } => Precedence.Unary,
        DecimalLiteral d when d.Text.StartsWith('-') => Precedence.Unary,
        DoubleLiteral f when double.IsNegative(f.Value) => Precedence.Unary,
        SubscriptExpression or CollateExpression => Precedence.Postfix,
        _ => Precedence.Primary,
    };

    private static bool IsNumber(Expression e) => e is IntegerLiteral or DecimalLiteral or DoubleLiteral;

    private static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "OR",
        BinaryOperator.And => "AND",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Concat => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Functions written without parentheses.</summary>
    private static bool IsNiladic(FunctionCall call) =>
        call.Arguments.IsEmpty && !call.Distinct && call.Filter is null && call.Over is null
        && call.Name.Parts.Count == 1 && !call.Name.Parts[0].Quoted
        && call.Name.Parts[0].Value.ToUpperInvariant() is "CURRENT_DATE" or "CURRENT_TIME" or "CURRENT_TIMESTAMP" or "LOCALTIME" or "LOCALTIMESTAMP";

    private sealed partial class Writer
    {
        /// <summary>Writes <paramref name="e"/>, in parentheses if it binds looser than <paramref name="minimum"/>.</summary>
        private Writer Expression(Expression e, int minimum)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            var parenthesize = PrecedenceOf(e) < minimum;
            if (parenthesize)
                _sb.Append('(');
            ExpressionBody(e);
            if (parenthesize)
                _sb.Append(')');
            return this;
        }

        private void ExpressionBody(Expression e)
        {
            switch (e)
            {
                case IntegerLiteral i:
                    Text(i.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case DecimalLiteral d:
                    Text(d.Text);
                    break;
                case DoubleLiteral f:
                    Text(Number(f.Value));
                    break;
                case StringLiteral s:
                    Text(StringLiteral(s.Value));
                    break;
                case BinaryLiteral b:
                    Text("X'").Text(b.Hex).Text('\'');
                    break;
                case BooleanLiteral b:
                    Text(b.Value switch { true => "TRUE", false => "FALSE", null => "UNKNOWN" });
                    break;
                case NullLiteral:
                    Text("NULL");
                    break;
                case DateTimeLiteral d:
                    Text(d.Kind.ToString().ToUpperInvariant()).Text(' ').Text(StringLiteral(d.Value));
                    break;
                case IntervalLiteral interval:
                    Text("INTERVAL ").Text(interval.Negative ? "-" : "").Text(StringLiteral(interval.Value)).Text(' ');
                    Qualifier(interval.Qualifier);
                    break;
                case ParameterExpression p:
                    Text(p.Style switch
                    {
                        ParameterStyle.QuestionMark => "?",
                        ParameterStyle.Dollar => "$" + p.Ordinal.ToString(CultureInfo.InvariantCulture),
                        ParameterStyle.Colon => ":" + p.Name,
                        _ => "@" + p.Name,
                    });
                    break;
                case ColumnRef c:
                    List(c.Parts, Name, ".");
                    break;
                case StarExpression star:
                    foreach (var part in star.Qualifier)
                    {
                        Name(part);
                        Text('.');
                    }
                    Text('*');
                    break;
                case UnaryExpression u:
                    Unary(u);
                    break;
                case BinaryExpression b:
                    Binary(b);
                    break;
                case IsExpression i:
                    Expression(i.Operand, Precedence.Predicate).Text(i.Negated ? " IS NOT " : " IS ").Text(i.Test switch
                    {
                        IsTest.Json => "JSON",
                        IsTest.JsonValue => "JSON VALUE",
                        IsTest.JsonScalar => "JSON SCALAR",
                        IsTest.JsonArray => "JSON ARRAY",
                        IsTest.JsonObject => "JSON OBJECT",
                        _ => i.Test.ToString().ToUpperInvariant(),
                    });
                    break;
                case IsDistinctFromExpression d:
                    Expression(d.Left, Precedence.Predicate).Text(d.Negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
                    Expression(d.Right, Precedence.Additive);
                    break;
                case BetweenExpression b:
                    Expression(b.Operand, Precedence.Predicate).Text(b.Negated ? " NOT BETWEEN " : " BETWEEN ").Text(b.Symmetric ? "SYMMETRIC " : "");
                    Expression(b.Low, Precedence.Additive).Text(" AND ").Expression(b.High, Precedence.Additive);
                    break;
                case InListExpression i:
                    Expression(i.Operand, Precedence.Predicate).Text(i.Negated ? " NOT IN " : " IN ");
                    Parenthesized(i.Values, v => Expression(v, 0));
                    break;
                case InSubqueryExpression i:
                    Expression(i.Operand, Precedence.Predicate).Text(i.Negated ? " NOT IN (" : " IN (");
                    Query(i.Query);
                    Text(')');
                    break;
                case LikeExpression l:
                    Expression(l.Operand, Precedence.Predicate).Text(l.Negated ? " NOT " : " ").Text(l.Kind == PatternKind.Like ? "LIKE " : "SIMILAR TO ");
                    Expression(l.Pattern, Precedence.Additive);
                    if (l.Escape is not null)
                        Text(" ESCAPE ").Expression(l.Escape, Precedence.Additive);
                    break;
                case QuantifiedComparisonExpression q:
                    Expression(q.Left, Precedence.Predicate).Text(' ').Text(OperatorText(q.Operator)).Text(q.Quantifier == Quantifier.All ? " ALL (" : " ANY (");
                    Query(q.Query);
                    Text(')');
                    break;
                case ExistsExpression x:
                    Text("EXISTS (");
                    Query(x.Query);
                    Text(')');
                    break;
                case ScalarSubquery s:
                    Text('(');
                    Query(s.Query);
                    Text(')');
                    break;
                case CaseExpression c:
                    Case(c);
                    break;
                case CollateExpression c:
                    Expression(c.Operand, Precedence.Postfix).Text(" COLLATE ").Text(c.Collation.Split('.').All(IsPlainName) ? c.Collation : StringLiteral(c.Collation));
                    break;
                case CastExpression c:
                    Text(c.Try ? "TRY_CAST(" : "CAST(").Expression(c.Operand, 0).Text(" AS ").Text(c.Type.ToSql()).Text(')');
                    break;
                case ExtractExpression x:
                    Text("EXTRACT(").Text(UnitName(x.Unit)).Text(" FROM ").Expression(x.Source, 0).Text(')');
                    break;
                case FloorCeilExpression f:
                    // The operand must not end in an interval unit, or TO would extend the interval: FLOOR((INTERVAL '1' DAY) TO HOUR).
                    Text(f.Ceiling ? "CEIL(" : "FLOOR(");
                    if (f.Operand is IntervalLiteral { Qualifier.End: null })
                        Text('(').Expression(f.Operand, 0).Text(')');
                    else
                        Expression(f.Operand, Precedence.Primary);
                    Text(" TO ").Text(UnitName(f.Unit)).Text(')');
                    break;
                case TrimExpression t:
                    Text("TRIM(").Text(t.Mode.ToString().ToUpperInvariant()).Text(' ');
                    if (t.Characters is not null)
                        Expression(t.Characters, 0).Text(' ');
                    Text("FROM ").Expression(t.Source, 0).Text(')');
                    break;
                case FunctionCall call:
                    Call(call);
                    break;
                case JsonValueExpression j:
                    JsonValue(j);
                    break;
                case NamedArgument n:
                    Name(n.Name);
                    Text(" => ").Expression(n.Value, 0);
                    break;
                case TableArgument t:
                    Text("TABLE ").Name(t.Table);
                    if (!t.PartitionBy.IsEmpty)
                    {
                        Text(" PARTITION BY ");
                        Parenthesized(t.PartitionBy, Name);
                    }
                    break;
                case DescriptorExpression d:
                    Text("DESCRIPTOR");
                    Parenthesized(d.Columns, Name);
                    break;
                case TimeUnitExpression u:
                    Text(UnitName(u.Unit));
                    break;
                case RowConstructor r:
                    Text("ROW");
                    Parenthesized(r.Fields, f => Expression(f, 0));
                    break;
                case ArrayConstructor a:
                    Text("ARRAY[");
                    List(a.Elements, x => Expression(x, 0));
                    Text(']');
                    break;
                case MapConstructor m:
                    Text("MAP[");
                    for (var i = 0; i < m.Keys.Count; i++)
                    {
                        if (i > 0)
                            Text(", ");
                        Expression(m.Keys[i], 0).Text(", ").Expression(m.Values[i], 0);
                    }
                    Text(']');
                    break;
                case SubscriptExpression s:
                    // ARRAY[1] and MAP[...] would read back as constructors: parenthesize such a column.
                    if (s.Operand is ColumnRef { Parts: [{ Quoted: false } only] } && only.Value.ToUpperInvariant() is "ARRAY" or "MAP")
                        Text('(').Expression(s.Operand, 0).Text(')');
                    else
                        Expression(s.Operand, Precedence.Postfix);
                    Text('[').Expression(s.Index, 0).Text(']');
                    break;
                default:
                    throw new ArgumentException($"cannot format {e.GetType().Name}", nameof(e));
            }
        }

        /// <summary>
        /// A left-associative chain such as a OR b OR c is a left-deep tree as tall as it is long; walk its left
        /// spine with a loop so that a chain of thousands of terms prints without deep recursion.
        /// </summary>
        private void Binary(BinaryExpression b)
        {
            var precedence = PrecedenceOf(b);
            var spine = new Stack<BinaryExpression>();
            spine.Push(b);
            while (spine.Peek().Left is BinaryExpression left && PrecedenceOf(left) == precedence)
                spine.Push(left);
            Expression(spine.Peek().Left, precedence);
            while (spine.Count > 0)
            {
                var node = spine.Pop();
                Text(' ').Text(OperatorText(node.Operator)).Text(' ');
                Expression(node.Right, precedence + 1);
            }
        }

        private void Unary(UnaryExpression u)
        {
            if (u.Operator == UnaryOperator.Not)
            {
                Text("NOT ").Expression(u.Operand, Precedence.Not);
                return;
            }
            Text(u.Operator == UnaryOperator.Minus ? "-" : "+");
            if (IsNumber(u.Operand) && PrecedenceOf(u.Operand) == Precedence.Primary && u.Operator == UnaryOperator.Minus)
            {
                // -5 would read back as the literal -5, not as minus applied to 5.
                Text('(').Expression(u.Operand, 0).Text(')');
                return;
            }
            if (PrecedenceOf(u.Operand) == Precedence.Unary)
                Text(' '); // keep "- -5" from becoming the comment "--5"
            Expression(u.Operand, Precedence.Unary);
        }

        private void Case(CaseExpression c)
        {
            Text("CASE ");
            if (c.Operand is not null)
                Expression(c.Operand, 0).Text(' ');
            List(c.WhenClauses, w => Part(w), " ");
            if (c.Else is not null)
                Text(" ELSE ").Expression(c.Else, 0);
            Text(" END");
        }

        private void JsonValue(JsonValueExpression j)
        {
            Text("JSON_VALUE(").Expression(j.Json, 0).Text(", ").Expression(j.Path, 0);
            if (j.Returning is not null)
                Text(" RETURNING ").Text(j.Returning.ToSql());
            Behavior(j.OnEmpty, "EMPTY");
            Behavior(j.OnError, "ERROR");
            Text(')');
        }

        private void Behavior(JsonBehavior? b, string on)
        {
            if (b is null)
                return;
            switch (b.Kind)
            {
                case JsonBehaviorKind.Null: Text(" NULL"); break;
                case JsonBehaviorKind.Error: Text(" ERROR"); break;
                default: Text(" DEFAULT ").Expression(b.Default!, 0); break;
            }
            Text(" ON ").Text(on);
        }

        private void Call(FunctionCall call)
        {
            if (IsNiladic(call))
            {
                Text(call.Name.Parts[0].Value.ToUpperInvariant());
                return;
            }
            if (call.Name.Parts is [{ Quoted: false } only] && only.Value.ToUpperInvariant() is "LEFT" or "RIGHT")
                Text(only.Value); // reserved words, but callable
            else
                Name(call.Name);
            Text('(');
            if (call.Distinct)
                Text("DISTINCT ");
            // POSITION(a, b) reads its first argument at the additive level (so that POSITION(a IN b) works).
            var firstMinimum = call.Name.Parts.Count == 1 && call.Name.Parts[0].Value.Equals("POSITION", StringComparison.OrdinalIgnoreCase)
                ? Precedence.Additive
                : 0;
            for (var i = 0; i < call.Arguments.Count; i++)
            {
                if (i > 0)
                    Text(", ");
                Expression(call.Arguments[i], i == 0 ? firstMinimum : 0);
            }
            if (!call.OrderBy.IsEmpty)
            {
                Text(" ORDER BY ");
                List(call.OrderBy, OrderItem);
            }
            Text(')');
            if (call.Filter is not null)
                Text(" FILTER (WHERE ").Expression(call.Filter, 0).Text(')');
            if (call.Over is { BaseWindow: { } name, PartitionBy.IsEmpty: true, OrderBy.IsEmpty: true, Frame: null })
                Text(" OVER ").Text(Quote(name)); // OVER w, written as read: "(w)" would quote a keyword-like name such as PARTITION
            else if (call.Over is not null)
                Text(" OVER ").Window(call.Over);
        }

        private void Qualifier(IntervalQualifier q)
        {
            Text(UnitName(q.Start));
            if (q.End is null)
            {
                if (q.Precision is not null)
                {
                    Text('(').Text(q.Precision.Value.ToString(CultureInfo.InvariantCulture));
                    if (q.FractionalPrecision is not null)
                        Text(", ").Text(q.FractionalPrecision.Value.ToString(CultureInfo.InvariantCulture));
                    Text(')');
                }
                return;
            }
            if (q.Precision is not null)
                Text('(').Text(q.Precision.Value.ToString(CultureInfo.InvariantCulture)).Text(')');
            Text(" TO ").Text(UnitName(q.End.Value));
            if (q.FractionalPrecision is not null)
                Text('(').Text(q.FractionalPrecision.Value.ToString(CultureInfo.InvariantCulture)).Text(')');
        }

        private Writer Window(WindowSpecification w)
        {
            Text('(');
            var space = false;
            if (w.BaseWindow is not null)
            {
                // An unquoted ROWS, RANGE or PARTITION here would start a clause instead of naming a window.
                var name = w.BaseWindow;
                Text(!name.Quoted && name.Value.ToUpperInvariant() is "ROWS" or "RANGE" or "PARTITION" ? QuoteAlways(name.Value) : Quote(name));
                space = true;
            }
            if (!w.PartitionBy.IsEmpty)
            {
                Text(space ? " PARTITION BY " : "PARTITION BY ");
                List(w.PartitionBy, e => Expression(e, 0));
                space = true;
            }
            if (!w.OrderBy.IsEmpty)
            {
                Text(space ? " ORDER BY " : "ORDER BY ");
                List(w.OrderBy, OrderItem);
                space = true;
            }
            if (w.Frame is not null)
            {
                if (space)
                    Text(' ');
                Frame(w.Frame);
            }
            return Text(')');
        }

        private void Frame(WindowFrame frame)
        {
            Text(frame.Unit == FrameUnit.Rows ? "ROWS " : "RANGE ");
            if (frame.End is null)
            {
                Bound(frame.Start);
                return;
            }
            Text("BETWEEN ");
            Bound(frame.Start);
            Text(" AND ");
            Bound(frame.End);
        }

        private void Bound(FrameBound bound)
        {
            switch (bound.Kind)
            {
                case FrameBoundKind.UnboundedPreceding:
                    Text("UNBOUNDED PRECEDING");
                    break;
                case FrameBoundKind.UnboundedFollowing:
                    Text("UNBOUNDED FOLLOWING");
                    break;
                case FrameBoundKind.CurrentRow:
                    Text("CURRENT ROW");
                    break;
                default:
                    Expression(bound.Offset!, Precedence.Additive).Text(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                    break;
            }
        }

        private void OrderItem(OrderItem item)
        {
            Expression(item.Expression, 0);
            if (item.Descending)
                Text(" DESC");
            if (item.Nulls != NullOrdering.Default)
                Text(item.Nulls == NullOrdering.First ? " NULLS FIRST" : " NULLS LAST");
        }
    }
}
