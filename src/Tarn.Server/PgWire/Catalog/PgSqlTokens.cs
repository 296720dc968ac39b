namespace Tarn.Server.PgWire.Catalog;

internal enum PgTokenKind
{
    Word,
    QuotedName,
    String,
    Number,
    Symbol,
}

/// <summary>A token of client SQL: its kind, where it starts and its length in the text.</summary>
internal readonly record struct PgToken(PgTokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;

    public string Text(string sql) => sql.Substring(Start, Length);

    /// <summary>A word or quoted name as an identifier (quotes removed); other tokens as written.</summary>
    public string Name(string sql) => Kind switch
    {
        PgTokenKind.QuotedName when Length >= 2 => sql.Substring(Start + 1, Length - 2).Replace("\"\"", "\"", StringComparison.Ordinal).Replace("``", "`", StringComparison.Ordinal),
        _ => Text(sql),
    };

    public bool IsWord(string sql, string word) =>
        Kind == PgTokenKind.Word && Length == word.Length && string.Compare(sql, Start, word, 0, Length, StringComparison.OrdinalIgnoreCase) == 0;

    public bool IsSymbol(string sql, char symbol) => Kind == PgTokenKind.Symbol && Length == 1 && sql[Start] == symbol;
}

/// <summary>
/// A small lexer for the SQL clients send (PostgreSQL or Flink spelling): words, "quoted" and `quoted` names,
/// '...' and E'...' strings, numbers and symbols; comments and whitespace are skipped. Enough to find relation and
/// function names outside strings and comments; it does not validate anything.
/// </summary>
internal static class PgSqlTokens
{
    public static List<PgToken> Scan(string sql)
    {
        var tokens = new List<PgToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }
            var start = i;
            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(sql, i, c, backslashes: false);
                tokens.Add(new PgToken(c == '\'' ? PgTokenKind.String : PgTokenKind.QuotedName, start, i - start));
            }
            else if ((c is 'E' or 'e') && i + 1 < sql.Length && sql[i + 1] == '\'')
            {
                i = SkipQuoted(sql, i + 1, '\'', backslashes: true);
                tokens.Add(new PgToken(PgTokenKind.String, start, i - start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                tokens.Add(new PgToken(PgTokenKind.Word, start, i - start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.')) i++;
                tokens.Add(new PgToken(PgTokenKind.Number, start, i - start));
            }
            else
            {
                i++;
                tokens.Add(new PgToken(PgTokenKind.Symbol, start, 1));
            }
        }
        return tokens;
    }

    private static int SkipQuoted(string sql, int open, char quote, bool backslashes)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (backslashes && sql[i] == '\\') { i += 2; continue; }
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }
}
