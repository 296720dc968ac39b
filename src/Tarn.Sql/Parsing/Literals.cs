using Superpower.Model;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Parsing;

/// <summary>Decoding of quoted tokens.</summary>
internal static class Literals
{
    /// <summary>'it''s' → it's</summary>
    public static string UnquoteString(Token<SqlToken> token) => Unquote(token.Span.AsReadOnlySpan(), '\'');

    /// <summary>`a``b` → a`b and "a""b" → a"b</summary>
    public static string UnquoteIdentifier(Token<SqlToken> token)
    {
        var text = token.Span.AsReadOnlySpan();
        return Unquote(text, text[0]);
    }

    private static string Unquote(ReadOnlySpan<char> quoted, char quote)
    {
        var inner = quoted[1..^1];
        if (inner.IndexOf(quote) < 0)
            return inner.ToString();
        return inner.ToString().Replace(new string(quote, 2), new string(quote, 1), StringComparison.Ordinal);
    }
}
