using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Formatting;

/// <summary>
/// Prints syntax trees back as SQL that parses to an equal tree: keywords upper-case, names quoted only when
/// they must be (or were), parentheses exactly where precedence needs them. CREATE TABLE puts each column on its
/// own line (for SHOW CREATE TABLE); everything else is one line.
/// </summary>
public static partial class SqlFormatter
{
    public static string Format(Node node)
    {
        var writer = new Writer();
        writer.Node(node);
        return writer.ToString();
    }

    /// <summary>An identifier as SQL: unquoted when that reads back the same, otherwise in backticks.</summary>
    public static string Quote(Identifier identifier) =>
        identifier.Quoted || !IsPlainName(identifier.Value) ? QuoteAlways(identifier.Value) : identifier.Value;

    private static string QuoteAlways(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>True if <paramref name="name"/> can be written without quotes: a non-reserved word.</summary>
    public static bool IsPlainName(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
            return false;
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$'))
                return false;
        }
        return !ReservedWords.Contains(name);
    }

    public static string StringLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    internal static string UnitName(TimeUnit unit) => unit switch
    {
        TimeUnit.DayOfWeek => "DOW",
        TimeUnit.DayOfYear => "DOY",
        TimeUnit.IsoDayOfWeek => "ISODOW",
        TimeUnit.IsoYear => "ISOYEAR",
        _ => unit.ToString().ToUpperInvariant(),
    };

    private sealed partial class Writer
    {
        private readonly StringBuilder _sb = new();

        public override string ToString() => _sb.ToString();

        private Writer Text(string text)
        {
            _sb.Append(text);
            return this;
        }

        private Writer Text(char c)
        {
            _sb.Append(c);
            return this;
        }

        private void List<T>(NodeList<T> items, Action<T> write, string separator = ", ")
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                    _sb.Append(separator);
                write(items[i]);
            }
        }

        private void Names(NodeList<Identifier> names) => List(names, Name);

        private void Name(Identifier identifier) => _sb.Append(Quote(identifier));

        private void Name(QualifiedName name) => List(name.Parts, Name, ".");

        private void Parenthesized<T>(NodeList<T> items, Action<T> write)
        {
            _sb.Append('(');
            List(items, write);
            _sb.Append(')');
        }

        public void Node(Node node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case Expression e:
                    Expression(e, 0);
                    break;
                case Statement s:
                    Statement(s);
                    break;
                case Query q:
                    Query(q);
                    break;
                case QueryBody b:
                    Body(b, 0);
                    break;
                case TableReference t:
                    Table(t);
                    break;
                case Identifier i:
                    Name(i);
                    break;
                case QualifiedName n:
                    Name(n);
                    break;
                default:
                    Part(node);
                    break;
            }
        }

        /// <summary>Nodes that only appear inside others.</summary>
        private void Part(Node node)
        {
            switch (node)
            {
                case SelectItem item:
                    SelectItem(item);
                    break;
                case OrderItem item:
                    OrderItem(item);
                    break;
                case WhenClause clause:
                    Text("WHEN ").Expression(clause.Condition, 0);
                    Text(" THEN ").Expression(clause.Result, 0);
                    break;
                case WindowSpecification window:
                    Window(window);
                    break;
                case WindowFrame frame:
                    Frame(frame);
                    break;
                case FrameBound bound:
                    Bound(bound);
                    break;
                case WindowDefinition definition:
                    Name(definition.Name);
                    Text(" AS ").Window(definition.Specification);
                    break;
                case CommonTableExpression cte:
                    Cte(cte);
                    break;
                case GroupingElement element:
                    Grouping(element);
                    break;
                case GroupingSet { Nested: { } nested }:
                    Grouping(nested);
                    break;
                case GroupingSet set:
                    Parenthesized(set.Expressions, e => Expression(e, 0));
                    break;
                case ValuesRow row:
                    Parenthesized(row.Values, e => Expression(e, 0));
                    break;
                case TableAlias alias:
                    Alias(alias);
                    break;
                case Property property:
                    Property(property);
                    break;
                case Hint hint:
                    Hint(hint);
                    break;
                case TableElement element:
                    Element(element);
                    break;
                case TableLike like:
                    Like(like);
                    break;
                case LikeOption option:
                    LikeOption(option);
                    break;
                case PartitionValue value:
                    Name(value.Column);
                    Text(" = ").Expression(value.Value, 0);
                    break;
                case Assignment assignment:
                    Name(assignment.Column);
                    Text(" = ").Expression(assignment.Value, 0);
                    break;
                case ShowFilter filter:
                    Filter(filter);
                    break;
                default:
                    throw new ArgumentException($"cannot format {node.GetType().Name}", nameof(node));
            }
        }

        private void Property(Property property) =>
            Text(StringLiteral(property.Key)).Text(" = ").Text(StringLiteral(property.Value));

        private void Properties(NodeList<Property> properties) => Parenthesized(properties, Property);

        private void Hints(NodeList<Hint> hints)
        {
            Text("/*+ ");
            List(hints, Hint);
            Text(" */");
        }

        private void Hint(Hint hint)
        {
            Text(hint.Name);
            if (!hint.Options.IsEmpty)
                Properties(hint.Options);
            else if (!hint.Arguments.IsEmpty)
                Parenthesized(hint.Arguments, a => Text(IsHintWord(a) ? a : StringLiteral(a)));
        }

        private static bool IsHintWord(string argument)
        {
            foreach (var part in argument.Split('.'))
            {
                if (!IsPlainName(part))
                    return false;
            }
            return true;
        }

        private static string Number(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('E', StringComparison.Ordinal) ? text : text + "E0";
        }
    }
}
