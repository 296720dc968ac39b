using Tarn.Sql.Lexing;

namespace Tarn.Sql;

/// <summary>One statement's text within a script and where it starts.</summary>
public sealed record SqlScriptSegment(string Text, SourcePosition Position);

/// <summary>Script-level helpers for consoles and loaders that handle statements as text.</summary>
public static class SqlScript
{
    /// <summary>
    /// Splits a script into statement texts at top-level ';' (not inside strings, quoted names, comments or a
    /// statement set). Empty statements are dropped. Lexical errors (an unterminated string, say) throw
    /// TarnException 42601.
    /// </summary>
    public static IReadOnlyList<SqlScriptSegment> Split(string sql)
    {
        var tokens = SqlTokenizer.TokenizeOrThrow(sql);
        var segments = new List<SqlScriptSegment>();
        foreach (var (start, count) in ScriptSplitter.Split(tokens, out _))
        {
            var first = tokens[start];
            var last = tokens[start + count - 1];
            var from = first.Span.Position.Absolute;
            var to = last.Span.Position.Absolute + last.Span.Length;
            segments.Add(new SqlScriptSegment(sql[from..to], new SourcePosition(first.Position.Line, first.Position.Column)));
        }
        return segments;
    }

    /// <summary>
    /// True when the text ends with a complete statement: its last token is a top-level ';' (for a console that
    /// reads until the user finishes a statement). False inside an unterminated string, quoted name, comment,
    /// hint or statement set, and for text with no statement at all.
    /// </summary>
    public static bool IsComplete(string sql)
    {
        var (tokens, error) = SqlTokenizer.Instance.TryTokenizeToArray(sql);
        if (error is { } e)
            return !e.Message.StartsWith("unterminated", StringComparison.Ordinal) && sql.TrimEnd().EndsWith(';');
        if (tokens.Length == 0 || tokens[^1].Kind != SqlToken.Semicolon)
            return false;
        var segments = ScriptSplitter.Split(tokens, out var endsInsideBlock);
        return !endsInsideBlock && segments.Count > 0;
    }
}
