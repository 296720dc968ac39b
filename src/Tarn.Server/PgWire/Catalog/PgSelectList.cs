using System.Text.RegularExpressions;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>One item of a SELECT list: its text and its alias (<c>AS "Name"</c> or <c>AS name</c>), if any.</summary>
internal readonly record struct PgSelectItem(string Text, string? Alias)
{
    /// <summary>The alias, or the item's last identifier (what PostgreSQL would name the column).</summary>
    public string ColumnName
    {
        get
        {
            if (Alias is { } alias) return alias;
            var words = Regex.Matches(Text, "[A-Za-z_][A-Za-z0-9_]*");
            return words.Count == 0 ? "?column?" : words[^1].Value;
        }
    }

    public bool Mentions(string needle) => Text.Contains(needle, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits the first SELECT list of a client query into its items (top-level commas up to the top-level FROM).</summary>
internal static class PgSelectList
{
    public static List<PgSelectItem> Items(string sql)
    {
        var tokens = PgSqlTokens.Scan(sql);
        var items = new List<PgSelectItem>();
        if (tokens.Count == 0 || !tokens[0].IsWord(sql, "SELECT")) return items;
        var depth = 0;
        var start = 1;
        var end = tokens.Count;
        for (var i = 1; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol(sql, '(')) depth++;
            else if (t.IsSymbol(sql, ')')) depth--;
            else if (depth == 0 && (t.IsWord(sql, "FROM") || t.IsSymbol(sql, ';') || t.IsWord(sql, "UNION")))
            {
                end = i;
                break;
            }
            else if (depth == 0 && t.IsSymbol(sql, ','))
            {
                if (i > start) items.Add(Item(sql, tokens, start, i));
                start = i + 1;
            }
        }
        if (end > start) items.Add(Item(sql, tokens, start, end));
        return items;
    }

    private static PgSelectItem Item(string sql, List<PgToken> tokens, int from, int to)
    {
        var text = sql[tokens[from].Start..tokens[to - 1].End];
        string? alias = null;
        if (to - from >= 3 && tokens[to - 2].IsWord(sql, "AS") && tokens[to - 1].Kind is PgTokenKind.Word or PgTokenKind.QuotedName)
            alias = tokens[to - 1].Name(sql);
        return new PgSelectItem(text, alias);
    }
}
