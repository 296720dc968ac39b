using System.Text.RegularExpressions;

namespace Tarn.Console.Demo;

/// <summary>
/// THE SWITCH for the demo's JDBC tables (<c>stream_db.user_info</c> and <c>mysql_table</c>). True: they are SQLite
/// tables, as the example scripts declare them (the SQLite sink writes them). False: the demo drops their
/// <c>WITH ('connector' = 'jdbc', ...)</c> clause and they become native primary-key tables — only for a build
/// without the SQLite sink; the scripts themselves always keep the JDBC tables.
/// </summary>
internal static class ResultTables
{
    public static readonly bool InSqlite = true;

    private static readonly Regex JdbcOptions = new(@"\)\s*WITH\s*\(\s*'connector'\s*=\s*'jdbc'.*?\n\);", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>The script as the demo runs it under the current switch.</summary>
    public static string Adapt(string script) => InSqlite ? script : JdbcOptions.Replace(script, ");");
}
