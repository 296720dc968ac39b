namespace Tarn.Server.PgWire;

/// <summary>Small text helpers over statement text: leading words, the highest <c>$n</c>, and positions.</summary>
internal static class PgStatementText
{
    /// <summary>The first <paramref name="count"/> words, upper-cased and joined by one space.</summary>
    public static string LeadingWords(string sql, int count)
    {
        var words = sql.Split([' ', '\t', '\r', '\n', ';'], count + 1, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take(Math.Min(count, words.Length))).ToUpperInvariant();
    }

    /// <summary>Whether the statement returns rows (so Describe can ask for its columns by running it).</summary>
    public static bool ReturnsRows(string sql)
    {
        var first = LeadingWords(sql.TrimStart('('), 1);
        return first is "SELECT" or "WITH" or "VALUES" or "TABLE" or "SHOW" or "EXPLAIN" or "DESCRIBE";
    }

    /// <summary>The highest <c>$n</c> placeholder outside quotes and comments (0 when none).</summary>
    public static int MaxParameterIndex(string sql)
    {
        var max = 0;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                var close = sql.IndexOf(c, i + 1);
                if (close < 0) break;
                i = close;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                if (end < 0) break;
                i = end;
            }
            else if (c == '$')
            {
                var n = 0;
                var j = i + 1;
                while (j < sql.Length && char.IsAsciiDigit(sql[j]) && n < 100000) n = n * 10 + (sql[j++] - '0');
                if (j > i + 1) max = Math.Max(max, n);
                i = j - 1;
            }
        }
        return max;
    }

    /// <summary>The 0-based character offset of a 1-based (line, column) in <paramref name="text"/>.</summary>
    public static int OffsetOf(string text, SourcePosition position)
    {
        var offset = 0;
        for (var line = 1; line < position.Line; line++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0) return offset;
            offset = next + 1;
        }
        return Math.Min(text.Length, offset + Math.Max(0, position.Column - 1));
    }
}
