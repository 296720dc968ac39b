namespace Tarn.Tests.SqlLogic;

/// <summary>One record of a sqllogictest file.</summary>
public abstract record SqlLogicRecord(int Line)
{
    /// <summary>
    /// DuckDB's named connections (<c>statement ok con2</c>, <c>query I con2</c>): each name is its own session on the
    /// same database; null is the default session.
    /// </summary>
    public string? Connection { get; init; }
}

public sealed record StatementRecord(int Line, string Sql, bool ExpectError, string? ErrorFragment) : SqlLogicRecord(Line);

public enum SortMode { NoSort, RowSort, ValueSort }

public sealed record QueryRecord(int Line, string Sql, string Types, SortMode Sort, List<string> Expected, string? Label) : SqlLogicRecord(Line);

/// <summary>Closes and reopens the database (DuckDB's <c>restart</c>): what survives must be durable.</summary>
public sealed record RestartRecord(int Line) : SqlLogicRecord(Line);

public sealed record HashThresholdRecord(int Line, int Threshold) : SqlLogicRecord(Line);

/// <summary>
/// A record not run, and why: <c>skipif tarn</c> / <c>onlyif other-engine</c>, a directive the runner does not
/// implement (<c>loop</c>, <c>mode</c>, <c>load</c>...), or a <c>require</c> for a DuckDB extension (which skips every
/// record after it). Counted and reported, never dropped silently.
/// </summary>
public sealed record SkippedRecord(int Line, string Reason) : SqlLogicRecord(Line);

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
        string? required = null; // a 'require' directive: the rest of the file needs a DuckDB extension
        var modeSkip = false; // between DuckDB's 'mode skip' and 'mode unskip'
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) { i++; continue; }
            string? skip = required is not null ? "require " + required : modeSkip ? "mode skip" : null;
            while (line.StartsWith("skipif ", StringComparison.Ordinal) || line.StartsWith("onlyif ", StringComparison.Ordinal))
            {
                var engine = line[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]; // may be followed by '# comment'
                if (line.StartsWith("skipif", StringComparison.Ordinal) && engine == EngineName) skip ??= "skipif " + engine;
                if (line.StartsWith("onlyif", StringComparison.Ordinal) && engine != EngineName) skip ??= "onlyif " + engine;
                if (i + 1 >= lines.Length) break;
                line = lines[++i].TrimEnd();
            }
            var start = i + 1;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "statement":
                {
                    var connection = TakeConnection(ref words);
                    var sql = ReadSql(lines, ref i, out var sawSeparator);
                    var expectError = words.Length > 1 && words[1] == "error";
                    var fragment = expectError && words.Length > 2 ? string.Join(' ', words[2..]) : null;
                    if (sawSeparator)
                    {
                        // DuckDB: the expected error message follows '----' up to the blank line.
                        var message = new List<string>();
                        while (i < lines.Length && lines[i].TrimEnd().Length > 0) message.Add(lines[i++].TrimEnd());
                        if (expectError && fragment is null && message.Count > 0) fragment = string.Join('\n', message);
                    }
                    records.Add(skip is null ? new StatementRecord(start, sql, expectError, fragment) { Connection = connection } : new SkippedRecord(start, skip));
                    break;
                }
                case "query":
                {
                    var connection = TakeConnection(ref words);
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
                    records.Add(skip is null ? new QueryRecord(start, sql, types, sort, expected, label) { Connection = connection } : new SkippedRecord(start, skip));
                    break;
                }
                case "hash-threshold":
                    records.Add(new HashThresholdRecord(start, int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture)));
                    i++;
                    break;
                case "restart":
                    records.Add(skip is null ? new RestartRecord(start) : new SkippedRecord(start, skip));
                    i++;
                    break;
                case "mode" when words.Length > 1 && words[1] is "skip" or "unskip":
                    modeSkip = words[1] == "skip";
                    i++;
                    break;
                case "loop" or "foreach" or "concurrentloop" or "concurrentforeach":
                    // Templated records are not expanded: the whole loop counts as one skipped record.
                    records.Add(new SkippedRecord(start, "unsupported directive '" + words[0] + "'"));
                    while (i < lines.Length && lines[i].Trim() != "endloop") i++;
                    i++;
                    break;
                case "require":
                    required ??= string.Join(' ', words[1..]);
                    i++;
                    break;
                default:
                    // Directives we do not implement (mode, loop, load...) make the rest of the block unusable: skip it.
                    records.Add(new SkippedRecord(start, "unsupported directive '" + words[0] + "'"));
                    while (i < lines.Length && lines[i].TrimEnd().Length > 0) i++;
                    break;
            }
        }
        return records;
    }

    /// <summary>Removes a connection name (<c>con</c> followed by digits) from the words after the record type, and returns it.</summary>
    private static string? TakeConnection(ref string[] words)
    {
        for (var w = 2; w < words.Length; w++)
        {
            if (words[w].Length > 3 && words[w].StartsWith("con", StringComparison.Ordinal) && words[w][3..].All(char.IsAsciiDigit))
            {
                var name = words[w];
                words = [.. words[..w], .. words[(w + 1)..]];
                return name;
            }
        }
        return null;
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
