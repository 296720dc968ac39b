using System.Text;
using Superpower.Model;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Parsing;

/// <summary>Builds the one error the parser raises: TarnException 42601 "syntax error at line L, column C: ...".</summary>
internal static class SyntaxErrors
{
    public static TarnException At(SourcePosition position, string detail) =>
        new(SqlStates.SyntaxError, $"syntax error at line {position.Line}, column {position.Column}: {detail}", position);

    public static TarnException At(Token<SqlToken> token, string detail) => At(Syntax.Pos(token), detail);

    /// <summary>
    /// Turns a failed parse into an exception. <paramref name="lastToken"/> is the last token of the statement,
    /// used to place "unexpected end of input" right after it.
    /// </summary>
    public static TarnException From<T>(TokenListParserResult<SqlToken, T> failure, Token<SqlToken>? lastToken)
    {
        SourcePosition position;
        string found;
        if (Syntax.Peek(failure.Remainder, out var token))
        {
            position = Syntax.Pos(token);
            found = DescribeFound(token);
        }
        else
        {
            position = lastToken is { } last ? EndOf(last) : new SourcePosition(1, 1);
            found = "end of input";
        }
        if (failure.ErrorMessage is { } message)
            return At(position, message);

        var detail = new StringBuilder("unexpected ").Append(found);
        if (failure.Expectations is { Length: > 0 } expectations)
            detail.Append(", expected ").Append(ListExpectations(expectations));
        return At(position, detail.ToString());
    }

    /// <summary>The position just after a token.</summary>
    public static SourcePosition EndOf(Token<SqlToken> token)
    {
        var position = token.Span.Position;
        foreach (var c in token.Span.AsReadOnlySpan())
            position = position.Advance(c);
        return new SourcePosition(position.Line, position.Column);
    }

    private static string DescribeFound(Token<SqlToken> token)
    {
        var text = token.ToStringValue();
        if (text.Length > 40)
            text = string.Concat(text.AsSpan(0, 37), "...");
        return token.Kind switch
        {
            SqlToken.String => $"string literal {text}",
            SqlToken.BinaryString => $"binary literal {text}",
            SqlToken.QuotedIdentifier => $"identifier {text}",
            _ => $"'{text}'",
        };
    }

    private static string ListExpectations(string[] expectations)
    {
        var distinct = new List<string>();
        foreach (var e in expectations)
        {
            if (!distinct.Contains(e))
                distinct.Add(e);
        }
        if (distinct.Count == 1)
            return distinct[0];
        return string.Join(", ", distinct.GetRange(0, distinct.Count - 1)) + " or " + distinct[^1];
    }
}
