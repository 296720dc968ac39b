using System.Globalization;
using System.Text;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;

namespace Tarn.Sql.Tests.Fuzz;

/// <summary>
/// What must hold for any input: every entry point of the parser returns normally or throws <see cref="TarnException"/>
/// with a SQLSTATE and a position inside the input, never another exception; a statement that parses formats to
/// text that parses back to an equal tree.
/// </summary>
internal static class ParserProperty
{
    /// <summary>
    /// The AST's generated record equality recurses down left-deep operator chains (a OR b OR c ..., which the parser
    /// accepts at any length), so it would overflow the stack on very long inputs; those are compared as formatted text
    /// (format, parse, format again gives the same text) instead.
    /// </summary>
    private const int MaxInputForTreeEquality = 5_000;

    /// <summary>null if the property holds for <paramref name="input"/>, else what went wrong.</summary>
    public static string? Violation(string input)
    {
        string? violation = null;
        Statement? statement = null;
        violation ??= Check(input, "ParseStatement", () => statement = SqlParser.ParseStatement(input));
        violation ??= Check(input, "ParseScript", () => SqlParser.ParseScript(input));
        violation ??= Check(input, "ParseExpression", () => SqlParser.ParseExpression(input));
        violation ??= Check(input, "ParseDataType", () => SqlParser.ParseDataType(input));
        violation ??= Check(input, "SqlScript.Split", () => SqlScript.Split(input));
        violation ??= Check(input, "SqlScript.IsComplete", () => SqlScript.IsComplete(input));
        if (violation is null && statement is not null)
            violation = RoundTrip(statement, compareTrees: input.Length <= MaxInputForTreeEquality);
        return violation;
    }

    private static string? Check(string input, string entry, Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (TarnException e)
        {
            if (e.SqlState is not { Length: 5 })
                return $"{entry}: TarnException without a SQLSTATE: {e.Message}";
            if (e.Position is not { } position)
                return $"{entry}: {e.SqlState} without a position: {e.Message}";
            if (!IsWithin(input, position))
                return $"{entry}: {e.SqlState} at {position}, outside the input: {e.Message}";
            return null;
        }
        catch (Exception e)
        {
            return $"{entry}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
    }

    /// <summary>Lines are 1-based and split at '\n'; a column may point just past the end of its line (end of input).</summary>
    public static bool IsWithin(string input, SourcePosition position)
    {
        var lines = input.Split('\n');
        if (position.Line < 1 || position.Line > lines.Length)
            return false;
        return position.Column >= 1 && position.Column <= lines[position.Line - 1].Length + 1;
    }

    /// <summary>Format and re-parse; statements the formatter does not cover are skipped.</summary>
    public static string? RoundTrip(Statement statement, bool compareTrees = true)
    {
        string formatted;
        try
        {
            formatted = SqlFormatter.Format(statement);
        }
        catch (ArgumentException e) when (e.Message.StartsWith("cannot format", StringComparison.Ordinal))
        {
            return null;
        }
        catch (Exception e)
        {
            return $"SqlFormatter.Format: {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
        Statement again;
        try
        {
            again = SqlParser.ParseStatement(formatted);
        }
        catch (Exception e)
        {
            return $"the formatted statement does not parse ({e.GetType().Name}: {e.Message}):\n{formatted}";
        }
        if (compareTrees)
            return statement.Equals(again) ? null : $"formatting changed the tree:\n{formatted}\n{again}";
        var again2 = SqlFormatter.Format(again);
        return again2 == formatted ? null : $"formatting is not stable:\n{formatted}\n{again2}";
    }

    /// <summary>An input as a C# string literal (escapes control characters and lone surrogates), cut to a readable length.</summary>
    public static string Show(string input)
    {
        var text = new StringBuilder("\"");
        foreach (var c in input.Length > 600 ? input[..600] : input)
        {
            if (c is '"' or '\\') text.Append('\\').Append(c);
            else if (c == '\n') text.Append("\\n");
            else if (c < ' ' || char.IsSurrogate(c) || c > '~') text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        text.Append('"');
        if (input.Length > 600) text.Append($" ... ({input.Length} characters)");
        return text.ToString();
    }
}
