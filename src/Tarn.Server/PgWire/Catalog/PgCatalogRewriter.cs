using System.Globalization;
using System.Text;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// Lets Tarn's own SQL engine answer queries over pg_catalog and information_schema: every reference to a system
/// relation (<c>pg_catalog.pg_class</c>, bare <c>pg_class</c>, <c>information_schema.tables</c>) becomes a common table
/// expression whose rows are the relation's current rows, rendered as a typed VALUES list, so filters, joins, ordering
/// and aggregates in the client's query all work. The session functions PostgreSQL clients probe with
/// (<c>version()</c>, <c>current_database()</c>, <c>current_schema()</c>, <c>current_setting('x')</c>) become literals.
/// Only queries are rewritten that way; in any statement, <c>public.name</c> of a table in the current database loses
/// its qualifier (the endpoint shows the current database's tables in schema public).
/// </summary>
internal static class PgCatalogRewriter
{
    /// <summary>The rewritten statement, or null when it mentions no system relation, session function or public-qualified table.</summary>
    public static string? Rewrite(string sql, Func<PgCatalogSnapshot> snapshot)
    {
        var tokens = PgSqlTokens.Scan(sql);
        if (tokens.Count == 0) return null;
        var first = tokens[0];
        var replacements = new List<(int Start, int End, string Text)>();
        var used = new List<PgSystemRelation>();
        PgCatalogSnapshot? taken = null;
        RemovePublicQualifier(sql, tokens, replacements, () => taken ??= snapshot());
        var isQuery = first.IsWord(sql, "SELECT") || first.IsWord(sql, "WITH") || first.IsWord(sql, "VALUES") || first.IsWord(sql, "TABLE") || first.IsSymbol(sql, '(');
        for (var i = 0; i < (isQuery ? tokens.Count : 0); i++)
        {
            var t = tokens[i];
            if (t.Kind is not (PgTokenKind.Word or PgTokenKind.QuotedName)) continue;
            if (TryUserKeyword(sql, tokens, i, () => taken ??= snapshot()) is { } user)
            {
                replacements.Add(user);
                continue;
            }
            var qualified = i + 2 < tokens.Count && tokens[i + 1].IsSymbol(sql, '.') && tokens[i + 2].Kind is PgTokenKind.Word or PgTokenKind.QuotedName;
            var afterQualified = qualified ? i + 3 : i + 1;
            var isCall = afterQualified < tokens.Count && tokens[afterQualified].IsSymbol(sql, '(');
            var precededByDot = i > 0 && tokens[i - 1].IsSymbol(sql, '.');
            if (precededByDot) continue;
            var schema = qualified ? t.Name(sql) : "pg_catalog";
            var name = qualified ? tokens[i + 2].Name(sql) : t.Name(sql);
            if (qualified && !IsSystemSchema(schema)) continue;
            if (!isCall && (qualified || name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase)) && PgSystemRelations.Find(schema, name) is { } relation
                && !(afterQualified < tokens.Count && tokens[afterQualified].IsSymbol(sql, '.')))
            {
                if (!used.Contains(relation)) used.Add(relation);
                replacements.Add((t.Start, tokens[afterQualified - 1].End, CteName(relation)));
                i = afterQualified - 1;
                continue;
            }
            if (string.Equals(schema, "pg_catalog", StringComparison.OrdinalIgnoreCase) && TryFunction(sql, tokens, i, afterQualified, name, () => taken ??= snapshot()) is { } call)
            {
                replacements.Add(call);
                i = IndexAtOrAfter(tokens, call.End) - 1;
            }
        }
        if (replacements.Count == 0) return null;
        replacements.Sort((a, b) => a.Start.CompareTo(b.Start));
        var text = new StringBuilder(sql);
        for (var r = replacements.Count - 1; r >= 0; r--)
        {
            var (start, end, replacement) = replacements[r];
            text.Remove(start, end - start).Insert(start, replacement);
        }
        if (used.Count == 0) return text.ToString();
        taken ??= snapshot();
        var ctes = new StringBuilder();
        foreach (var relation in used)
        {
            if (ctes.Length > 0) ctes.Append(",\n");
            AppendCte(ctes, relation, taken);
        }
        if (!first.IsWord(sql, "WITH")) return "WITH " + ctes + "\n" + text;
        var insertAt = tokens.Count > 1 && tokens[1].IsWord(sql, "RECURSIVE") ? tokens[1].End : first.End;
        return text.Insert(insertAt, " " + ctes + ",\n").ToString();
    }

    /// <summary>
    /// <c>public.name</c> (how psql and BI tools qualify what they list in schema public) names the current database's
    /// table: the qualifier is dropped, unless Tarn has a database called public.
    /// </summary>
    private static void RemovePublicQualifier(string sql, List<PgToken> tokens, List<(int Start, int End, string Text)> replacements, Func<PgCatalogSnapshot> snapshot)
    {
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind is not (PgTokenKind.Word or PgTokenKind.QuotedName) || !string.Equals(t.Name(sql), PgCatalogSnapshot.PublicSchema, StringComparison.OrdinalIgnoreCase)) continue;
            if (!tokens[i + 1].IsSymbol(sql, '.') || tokens[i + 2].Kind is not (PgTokenKind.Word or PgTokenKind.QuotedName)) continue;
            if (i > 0 && tokens[i - 1].IsSymbol(sql, '.')) continue;
            var s = snapshot();
            if (s.Databases.Contains(PgCatalogSnapshot.PublicSchema, StringComparer.OrdinalIgnoreCase)) return;
            var name = tokens[i + 2].Name(sql);
            var isUserRelation = false;
            foreach (var r in s.Relations)
                if (r.Namespace == PgOids.PublicNamespace && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) isUserRelation = true;
            if (isUserRelation) replacements.Add((t.Start, tokens[i + 1].End, ""));
        }
    }

    /// <summary>A cheap test for <see cref="PgCatalogQueries"/>: a query that may select the bare keyword <c>user</c> (a whole word).</summary>
    public static bool MayNameUserKeyword(string sql)
    {
        if (!sql.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)) return false;
        for (var at = sql.IndexOf("user", StringComparison.OrdinalIgnoreCase); at >= 0; at = sql.IndexOf("user", at + 4, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 ? ' ' : sql[at - 1];
            var after = at + 4 >= sql.Length ? ' ' : sql[at + 4];
            if (!IsWordChar(before) && !IsWordChar(after)) return true;
        }
        return false;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '"' or '`';

    /// <summary>
    /// PostgreSQL's user keywords as the connection's user name: <c>current_user</c>, <c>session_user</c> and
    /// <c>current_role</c> wherever they stand as a value, and <c>user</c> as a bare select item of a query without FROM
    /// (elsewhere it may be a Tarn column called user). A bare select item gets PostgreSQL's column name (the keyword).
    /// </summary>
    private static (int Start, int End, string Text)? TryUserKeyword(string sql, List<PgToken> tokens, int i, Func<PgCatalogSnapshot> snapshot)
    {
        var t = tokens[i];
        if (t.Kind != PgTokenKind.Word) return null;
        var word = t.Text(sql).ToLowerInvariant();
        if (word is not ("current_user" or "session_user" or "current_role" or "user")) return null;
        if (i > 0 && tokens[i - 1].IsSymbol(sql, '.')) return null;
        if (i + 1 < tokens.Count && (tokens[i + 1].IsSymbol(sql, '(') || tokens[i + 1].IsSymbol(sql, '.'))) return null;
        var bareItem = i > 0 && (tokens[i - 1].IsWord(sql, "SELECT") || tokens[i - 1].IsSymbol(sql, ','))
            && (i + 1 >= tokens.Count || tokens[i + 1].IsSymbol(sql, ',') || tokens[i + 1].IsSymbol(sql, ';') || tokens[i + 1].IsWord(sql, "FROM"));
        if (word == "user")
        {
            if (!bareItem) return null;
            foreach (var other in tokens) if (other.IsWord(sql, "FROM")) return null;
        }
        var literal = "CAST('" + snapshot().User.Name.Replace("'", "''", StringComparison.Ordinal) + "' AS STRING)";
        if (bareItem) literal += " AS `" + word + "`";
        return (t.Start, t.End, literal);
    }

    private static bool IsSystemSchema(string schema) =>
        string.Equals(schema, "pg_catalog", StringComparison.OrdinalIgnoreCase) || string.Equals(schema, "information_schema", StringComparison.OrdinalIgnoreCase);

    private static string CteName(PgSystemRelation relation) => "`" + relation.Name + "`";

    private static int IndexAtOrAfter(List<PgToken> tokens, int position)
    {
        for (var i = 0; i < tokens.Count; i++) if (tokens[i].Start >= position) return i;
        return tokens.Count;
    }

    /// <summary>version(), current_database(), current_schema(), current_setting('name') as literals, named like PostgreSQL names them.</summary>
    private static (int Start, int End, string Text)? TryFunction(string sql, List<PgToken> tokens, int first, int open, string name, Func<PgCatalogSnapshot> snapshot)
    {
        if (open + 1 >= tokens.Count || !tokens[open].IsSymbol(sql, '(')) return null;
        string? value;
        int close;
        var column = name.ToUpperInvariant() switch
        {
            "VERSION" => "version",
            "CURRENT_DATABASE" => "current_database",
            "CURRENT_SCHEMA" => "current_schema",
            _ => "current_setting",
        };
        if (tokens[open + 1].IsSymbol(sql, ')'))
        {
            close = open + 1;
            value = name.ToUpperInvariant() switch
            {
                "VERSION" => PgSettings.VersionText,
                "CURRENT_DATABASE" => snapshot().Database,
                "CURRENT_SCHEMA" => PgCatalogSnapshot.PublicSchema,
                _ => null,
            };
        }
        else if (string.Equals(name, "current_setting", StringComparison.OrdinalIgnoreCase) && open + 2 < tokens.Count
            && tokens[open + 1].Kind == PgTokenKind.String && tokens[open + 2].IsSymbol(sql, ')')
            && tokens[open + 1].Length >= 2 && sql[tokens[open + 1].Start] == '\'' && sql[tokens[open + 1].End - 1] == '\'')
        {
            close = open + 2;
            var setting = tokens[open + 1].Text(sql);
            var found = PgSettings.Find(setting[1..^1].Replace("''", "'", StringComparison.Ordinal));
            value = found is { } f ? PgSettings.ValueFor(f.Name, f.Value, PgSettings.DependsOnUser(f.Name) ? snapshot().User : null) : null;
        }
        else
        {
            return null;
        }
        if (value is null) return null;
        var literal = "CAST('" + value.Replace("'", "''", StringComparison.Ordinal) + "' AS STRING)";
        // A bare select item gets PostgreSQL's column name (the function's), not the engine's generated one.
        var before = first > 0 ? tokens[first - 1] : default;
        var after = close + 1 < tokens.Count ? tokens[close + 1] : default;
        var bareItem = first > 0 && (before.IsWord(sql, "SELECT") || before.IsSymbol(sql, ','))
            && (close + 1 >= tokens.Count || after.IsSymbol(sql, ',') || after.IsSymbol(sql, ';') || after.IsWord(sql, "FROM"));
        if (bareItem) literal += " AS `" + column + "`";
        return (tokens[first].Start, tokens[close].End, literal);
    }

    private static void AppendCte(StringBuilder sb, PgSystemRelation relation, PgCatalogSnapshot snapshot)
    {
        sb.Append(CteName(relation)).Append(" AS (SELECT ");
        for (var c = 0; c < relation.Columns.Count; c++)
        {
            if (c > 0) sb.Append(", ");
            sb.Append("CAST(c").Append(c.ToString(CultureInfo.InvariantCulture)).Append(" AS ").Append(relation.Columns[c].Type.ToSql())
                .Append(") AS `").Append(relation.Columns[c].Name).Append('`');
        }
        sb.Append(" FROM (VALUES ");
        var rows = 0;
        foreach (var row in relation.Rows(snapshot))
        {
            if (rows++ > 0) sb.Append(", ");
            AppendRow(sb, relation, row);
        }
        if (rows == 0) AppendRow(sb, relation, new object?[relation.Columns.Count]);
        sb.Append(") AS v(");
        for (var c = 0; c < relation.Columns.Count; c++)
        {
            if (c > 0) sb.Append(", ");
            sb.Append('c').Append(c.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(')');
        if (rows == 0) sb.Append(" WHERE 1 = 0");
        sb.Append(')');
    }

    private static void AppendRow(StringBuilder sb, PgSystemRelation relation, object?[] row)
    {
        sb.Append('(');
        for (var c = 0; c < relation.Columns.Count; c++)
        {
            if (c > 0) sb.Append(", ");
            var value = c < row.Length ? row[c] : null;
            sb.Append(value switch
            {
                null => "CAST(NULL AS " + relation.Columns[c].Type.ToSql() + ")",
                bool b => b ? "TRUE" : "FALSE",
                string s => "CAST('" + s.Replace("'", "''", StringComparison.Ordinal) + "' AS STRING)",
                float f => "CAST(" + f.ToString("R", CultureInfo.InvariantCulture) + " AS FLOAT)",
                IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
                _ => "NULL",
            });
        }
        sb.Append(')');
    }
}
