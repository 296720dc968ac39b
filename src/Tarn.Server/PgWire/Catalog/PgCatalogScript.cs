using Tarn.Sql;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// Splits a simple-query text Tarn's own lexer rejects (psql's and Npgsql's catalog queries use PostgreSQL-only
/// operators such as <c>!~</c>) into statements at top-level ';'. Used only when at least one statement concerns the
/// catalog, so a plain syntax error is still reported by Tarn.
/// </summary>
internal static class PgCatalogScript
{
    public static IReadOnlyList<SqlScriptSegment>? TrySplit(string sql)
    {
        if (!sql.Contains("pg_", StringComparison.OrdinalIgnoreCase) && !sql.Contains("information_schema", StringComparison.OrdinalIgnoreCase)) return null;
        var tokens = PgSqlTokens.Scan(sql);
        var segments = new List<SqlScriptSegment>();
        var first = -1;
        for (var i = 0; i <= tokens.Count; i++)
        {
            var end = i == tokens.Count || tokens[i].IsSymbol(sql, ';');
            if (!end)
            {
                if (first < 0) first = i;
                continue;
            }
            if (first >= 0)
            {
                var from = tokens[first].Start;
                segments.Add(new SqlScriptSegment(sql[from..tokens[i - 1].End], PositionOf(sql, from)));
            }
            first = -1;
        }
        return segments;
    }

    private static SourcePosition PositionOf(string sql, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
            if (sql[i] == '\n') { line++; lineStart = i + 1; }
        return new SourcePosition(line, offset - lineStart + 1);
    }
}
