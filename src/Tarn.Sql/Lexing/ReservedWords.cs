using System.Collections.Frozen;

namespace Tarn.Sql.Lexing;

/// <summary>
/// Words that can never be unquoted names. The list is deliberately short (much shorter than Calcite's): a word
/// is reserved only where a name in that position would make the grammar ambiguous, e.g. FROM after a select
/// item or JOIN after a table. Everything else (DATE, YEAR, VALUE, STATUS, ...) stays usable as a column name,
/// and keywords like TABLES or WATERMARK are recognized by the parser from context.
/// </summary>
internal static class ReservedWords
{
    private static readonly FrozenSet<string> Words = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "ALL", "AND", "AS", "BETWEEN", "BY", "CASE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
        "DISTINCT", "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FOR", "FROM", "FULL", "GROUP",
        "HAVING", "IN", "INNER", "INTERSECT", "INTERVAL", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT",
        "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER",
        "QUALIFY", "RIGHT", "SELECT", "SIMILAR", "TABLE", "THEN", "TRUE", "UNION", "UNKNOWN", "USING", "VALUES",
        "WHEN", "WHERE", "WINDOW", "WITH",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool Contains(ReadOnlySpan<char> word) => Lookup.Contains(word);

    public static bool Contains(string word) => Words.Contains(word);
}
