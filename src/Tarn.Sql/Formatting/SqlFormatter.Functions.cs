using Tarn.Sql.Ast;

namespace Tarn.Sql.Formatting;

public static partial class SqlFormatter
{
    private sealed partial class Writer
    {
        /// <summary>CREATE/DROP FUNCTION, MACRO and SEQUENCE; false for any other statement.</summary>
        private bool FunctionOrSequenceStatement(Statement statement)
        {
            switch (statement)
            {
                case CreateMacroStatement m:
                    Text("CREATE ").Text(m.OrReplace ? "OR REPLACE " : "").Text(m.Temporary ? "TEMPORARY " : "").Text("FUNCTION ")
                        .Text(m.IfNotExists ? "IF NOT EXISTS " : "");
                    Name(m.Name);
                    Parenthesized(m.Parameters, Name);
                    Text(" AS ");
                    if (m.TableBody is not null)
                    {
                        Text("TABLE ");
                        Query(m.TableBody);
                    }
                    else
                    {
                        Expression(m.Body!, 0);
                    }
                    return true;
                case CreateExternalFunctionStatement f:
                    Text("CREATE ").Text(f.Temporary ? "TEMPORARY " : "").Text("FUNCTION ").Text(f.IfNotExists ? "IF NOT EXISTS " : "");
                    Name(f.Name);
                    Text(" AS ").Text(StringLiteral(f.ClassName));
                    if (f.Language is not null)
                        Text(" LANGUAGE ").Text(f.Language);
                    return true;
                case DropFunctionStatement d:
                    Text("DROP ").Text(d.Temporary ? "TEMPORARY " : "").Text("FUNCTION ").Text(d.IfExists ? "IF EXISTS " : "");
                    Name(d.Name);
                    return true;
                case CreateSequenceStatement s:
                    Text("CREATE ").Text(s.OrReplace ? "OR REPLACE " : "").Text(s.Temporary ? "TEMPORARY " : "").Text("SEQUENCE ")
                        .Text(s.IfNotExists ? "IF NOT EXISTS " : "");
                    Name(s.Name);
                    if (s.Increment is { } inc) Text(" INCREMENT BY ").Text(Number(inc));
                    if (s.MinValue is { } min) Text(" MINVALUE ").Text(Number(min));
                    if (s.MaxValue is { } max) Text(" MAXVALUE ").Text(Number(max));
                    if (s.Start is { } start) Text(" START WITH ").Text(Number(start));
                    if (s.Cycle) Text(" CYCLE");
                    return true;
                case DropSequenceStatement d:
                    Text("DROP SEQUENCE ").Text(d.IfExists ? "IF EXISTS " : "");
                    Name(d.Name);
                    return true;
                default:
                    return false;
            }
        }

        private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
