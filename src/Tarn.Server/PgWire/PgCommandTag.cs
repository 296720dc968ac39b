using System.Globalization;

namespace Tarn.Server.PgWire;

/// <summary>The CommandComplete tag for a statement's result ("SELECT 3", "INSERT 0 2", "CREATE TABLE", ...).</summary>
internal static class PgCommandTag
{
    public static string For(string statement, TarnResult result) => result.Kind switch
    {
        StatementKind.Query or StatementKind.Show or StatementKind.Explain => "SELECT " + result.RowCount.ToString(CultureInfo.InvariantCulture),
        StatementKind.Insert => "INSERT 0 " + Math.Max(0, result.RowsAffected).ToString(CultureInfo.InvariantCulture),
        StatementKind.Update => "UPDATE " + Math.Max(0, result.RowsAffected).ToString(CultureInfo.InvariantCulture),
        StatementKind.Delete => "DELETE " + Math.Max(0, result.RowsAffected).ToString(CultureInfo.InvariantCulture),
        StatementKind.Set => "SET",
        _ when result.HasRows => "SELECT " + result.RowCount.ToString(CultureInfo.InvariantCulture),
        _ => FromText(statement),
    };

    /// <summary>DDL and others: the leading verb and object word, skipping modifiers (CREATE OR REPLACE TEMPORARY VIEW → CREATE VIEW).</summary>
    public static string FromText(string statement)
    {
        var words = statement.Split([' ', '\t', '\r', '\n', '(', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "";
        var verb = words[0].ToUpperInvariant();
        if (verb is not ("CREATE" or "DROP" or "ALTER")) return verb;
        for (var i = 1; i < words.Length; i++)
        {
            var w = words[i].ToUpperInvariant();
            if (w is "OR" or "REPLACE" or "TEMPORARY" or "TEMP" or "IF" or "NOT" or "EXISTS" or "UNIQUE") continue;
            return verb + " " + w;
        }
        return verb;
    }
}
