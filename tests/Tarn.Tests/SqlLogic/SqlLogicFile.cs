namespace Tarn.Tests.SqlLogic;

/// <summary>One record of a sqllogictest file.</summary>
public abstract record SqlLogicRecord(int Line);

public sealed record StatementRecord(int Line, string Sql, bool ExpectError, string? ErrorFragment) : SqlLogicRecord(Line);

public enum SortMode { NoSort, RowSort, ValueSort }

public sealed record QueryRecord(int Line, string Sql, string Types, SortMode Sort, List<string> Expected, string? Label) : SqlLogicRecord(Line);

/// <summary>Closes and reopens the database (DuckDB's <c>restart</c>): what survives must be durable.</summary>
public sealed record RestartRecord(int Line) : SqlLogicRecord(Line);

public sealed record HashThresholdRecord(int Line, int Threshold) : SqlLogicRecord(Line);

/// <summary>
/// Parses the sqllogictest format (SQLite's, with DuckDB's additions): records separated by blank lines;
/// <c>statement ok|error</c>, <c>query TYPES [nosort|rowsort|valuesort] [label]</c> followed by SQL, <c>----</c> and
/// the expected values; <c>skipif</c>/<c>onlyif</c> conditions; <c>hash-threshold N</c>; <c>restart</c>; <c>#</c> comments.
/// </summary>
public static class SqlLogicFile
{
    public const string EngineName = "tarn";

    public static List<SqlLogicRecord> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var records = new List<SqlLogicRecord>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) { i++; continue; }
            var skip = false;
            while (line.StartsWith("skipif ", StringComparison.Ordinal) || line.StartsWith("onlyif ", StringComparison.Ordinal))
            {
                var engine = line[7..].Trim();
                if (line.StartsWith("skipif", StringComparison.Ordinal) && engine == EngineName) skip = true;
                if (line.StartsWith("onlyif", StringComparison.Ordinal) && engine != EngineName) skip = true;
                line = lines[++i].TrimEnd();
            }
            var start = i + 1;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "statement":
                {
                    var sql = ReadSql(lines, ref i, out _);
                    var expectError = words.Length > 1 && words[1] == "error";
                    var fragment = expectError && words.Length > 2 ? string.Join(' ', words[2..]) : null;
                    if (!skip) records.Add(new StatementRecord(start, sql, expectError, fragment));
                    break;
                }
                case "query":
                {
                    var types = words.Length > 1 ? words[1] : "";
                    var sort = SortMode.NoSort;
                    string? label = null;
                    foreach (var w in words.Skip(2))
                    {
                        if (w == "rowsort") sort = SortMode.RowSort;
                        else if (w == "valuesort") sort = SortMode.ValueSort;
                        else if (w == "nosort") sort = SortMode.NoSort;
                        else label = w;
                    }
                    var sql = ReadSql(lines, ref i, out var sawSeparator);
                    var expected = new List<string>();
                    if (sawSeparator)
                    {
                        while (i < lines.Length && lines[i].TrimEnd().Length > 0) expected.Add(lines[i++].TrimEnd());
                    }
                    if (!skip) records.Add(new QueryRecord(start, sql, types, sort, expected, label));
                    break;
                }
                case "hash-threshold":
                    records.Add(new HashThresholdRecord(start, int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture)));
                    i++;
                    break;
                case "restart":
                    if (!skip) records.Add(new RestartRecord(start));
                    i++;
                    break;
                default:
                    // Directives we do not implement (mode, loop, load, require) make the rest of the block unusable: skip it.
                    while (i < lines.Length && lines[i].TrimEnd().Length > 0) i++;
                    break;
            }
        }
        return records;
    }

    private static string ReadSql(string[] lines, ref int i, out bool sawSeparator)
    {
        i++;
        var sql = new List<string>();
        sawSeparator = false;
        while (i < lines.Length)
        {
            var l = lines[i].TrimEnd();
            if (l.Length == 0) break;
            i++;
            if (l == "----") { sawSeparator = true; break; }
            sql.Add(l);
        }
        return string.Join('\n', sql);
    }
}
