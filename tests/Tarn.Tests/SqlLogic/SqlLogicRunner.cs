using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tarn.Tests.SqlLogic;

/// <summary>Runs a sqllogictest file against a fresh database and reports every mismatch.</summary>
public sealed class SqlLogicRunner
{
    private readonly string _directory;
    private TarnDatabase _db;
    private TarnSession _session;
    private int _hashThreshold;

    /// <summary>Results of labelled queries: a later query with the same label and no expected rows must match them.</summary>
    private readonly Dictionary<string, List<string>> _labelled = new(StringComparer.Ordinal);

    public SqlLogicRunner(string directory, IReadOnlyList<string>? sessionSetup = null)
    {
        _directory = directory;
        _sessionSetup = sessionSetup ?? [];
        _db = TarnDatabase.Open(directory);
        _session = NewSession();
    }

    private readonly IReadOnlyList<string> _sessionSetup;

    /// <summary>A session with the corpus's engine defaults applied (see <see cref="ConformanceRun"/>).</summary>
    private TarnSession NewSession()
    {
        var session = _db.CreateSession();
        foreach (var statement in _sessionSetup)
            session.ExecuteAsync(statement).GetAwaiter().GetResult();
        return session;
    }

    public List<string> Failures { get; } = [];

    /// <summary>The line of each entry of <see cref="Failures"/>.</summary>
    public List<int> FailedLines { get; } = [];

    /// <summary>Skipped records with their reasons (skipif/onlyif, unsupported directives, require).</summary>
    public List<SkippedRecord> Skipped { get; } = [];

    public int Passed { get; private set; }

    /// <summary>
    /// Public corpora carry other engines' error messages after <c>statement error</c>: there the record only requires
    /// that the statement fails.
    /// </summary>
    public bool IgnoreErrorMessages { get; init; }

    private void Fail(int line, string message)
    {
        Failures.Add(message);
        FailedLines.Add(line);
    }

    public void Run(string name, IEnumerable<SqlLogicRecord> records)
    {
        try
        {
            foreach (var record in records)
            {
                switch (record)
                {
                    case HashThresholdRecord h: _hashThreshold = h.Threshold; break;
                    case RestartRecord: Restart(); break;
                    case StatementRecord s: RunStatement(name, s); break;
                    case QueryRecord q: RunQuery(name, q); break;
                    case SkippedRecord k: Skipped.Add(k); break;
                }
            }
        }
        finally
        {
            _db.Dispose();
        }
    }

    private readonly Dictionary<string, TarnSession> _connections = new(StringComparer.Ordinal);

    /// <summary>The session a record runs on: the default one, or the named connection's (made on first use).</summary>
    private TarnSession SessionFor(SqlLogicRecord record)
    {
        if (record.Connection is null) return _session;
        if (!_connections.TryGetValue(record.Connection, out var session)) _connections[record.Connection] = session = NewSession();
        return session;
    }

    private void Restart()
    {
        _connections.Clear();
        _db.Dispose();
        _db = TarnDatabase.Open(_directory);
        _session = NewSession();
    }

    private void RunStatement(string file, StatementRecord s)
    {
        try
        {
            SessionFor(s).ExecuteAsync(s.Sql).GetAwaiter().GetResult();
            if (s.ExpectError) Fail(s.Line, $"{file}:{s.Line}: statement should have failed: {s.Sql}");
            else Passed++;
        }
        catch (TarnException e)
        {
            if (!s.ExpectError) Fail(s.Line, $"{file}:{s.Line}: statement failed: {e.SqlState} {e.Message}\n  {s.Sql}");
            else if (s.ErrorFragment is not null && !IgnoreErrorMessages && !e.Message.Contains(s.ErrorFragment, StringComparison.OrdinalIgnoreCase) && e.SqlState != s.ErrorFragment)
                Fail(s.Line, $"{file}:{s.Line}: error '{e.Message}' does not mention '{s.ErrorFragment}'");
            else Passed++;
        }
    }

    private void RunQuery(string file, QueryRecord q)
    {
        TarnResult result;
        try
        {
            result = SessionFor(q).ExecuteAsync(q.Sql).GetAwaiter().GetResult();
        }
        catch (TarnException e)
        {
            Fail(q.Line, $"{file}:{q.Line}: query failed: {e.SqlState} {e.Message}\n  {q.Sql}");
            return;
        }
        var rows = new List<List<string>>();
        // A DML statement run as a query answers with its row count (DuckDB's "Count" column).
        IEnumerable<object?[]> resultRows = !result.HasRows && result.RowsAffected >= 0 && result.Kind is StatementKind.Insert or StatementKind.Update or StatementKind.Delete
            ? [[result.RowsAffected]]
            : result.Rows;
        foreach (var row in resultRows)
            rows.Add(row.Select((v, i) => Format(v, DuckDbValues || i >= q.Types.Length ? 'T' : q.Types[i])).ToList());
        if (q.Sort == SortMode.RowSort) rows.Sort((a, b) => string.CompareOrdinal(string.Join('\t', a), string.Join('\t', b)));
        List<string> values;
        if (q.Sort == SortMode.ValueSort)
        {
            values = rows.SelectMany(r => r).ToList();
            values.Sort(string.CompareOrdinal);
        }
        else values = rows.SelectMany(r => r).ToList();

        List<string> actual;
        var expectedIsHash = q.Expected.Count == 1 && q.Expected[0].Contains("values hashing to", StringComparison.Ordinal);
        if (expectedIsHash || (_hashThreshold > 0 && values.Count > _hashThreshold))
        {
            var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(string.Concat(values.Select(v => v + "\n"))))).ToLowerInvariant();
            actual = [$"{values.Count} values hashing to {md5}"];
        }
        else if (q.Expected.Any(e => e.Contains('\t')))
        {
            // DuckDB style: one line per row, values separated by tabs.
            actual = q.Sort == SortMode.ValueSort ? values : rows.Select(r => string.Join('\t', r)).ToList();
        }
        else actual = values;
        if (q.Label is not null && q.Expected.Count == 0)
        {
            // sqllogictest labels: the first query with a label records its result, later ones must produce the same.
            if (!_labelled.TryGetValue(q.Label, out var earlier)) _labelled[q.Label] = values;
            else if (!values.SequenceEqual(earlier))
            {
                Fail(q.Line, $"{file}:{q.Line}: result differs from the earlier query labelled '{q.Label}' for\n  {q.Sql}\n  earlier: {string.Join(" | ", earlier.Take(20))}\n  actual:  {string.Join(" | ", values.Take(20))}");
                return;
            }
            Passed++;
            return;
        }
        if (q.Label is not null) _labelled.TryAdd(q.Label, values);
        if (!actual.SequenceEqual(q.Expected) && !(DuckDbValues && actual.Count == q.Expected.Count && actual.Zip(q.Expected).All(p => LinesMatch(p.First, p.Second))))
            Fail(q.Line, $"{file}:{q.Line}: wrong result for\n  {q.Sql}\n  expected: {string.Join(" | ", q.Expected.Take(20))}\n  actual:   {string.Join(" | ", actual.Take(20))}");
        else Passed++;
    }

    /// <summary>
    /// DuckDB's runner prints values as they are whatever the column letter says, and compares a mismatching value
    /// after casting the expected text to the result's type: numbers approximately, booleans as 1/0 or true/false.
    /// </summary>
    public bool DuckDbValues { get; init; }

    private static bool LinesMatch(string actual, string expected)
    {
        if (actual == expected) return true;
        var a = actual.Split('\t');
        var e = expected.Split('\t');
        if (a.Length != e.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!ValuesMatch(a[i], e[i])) return false;
        }
        return true;
    }

    private static bool ValuesMatch(string actual, string expected)
    {
        if (actual == expected) return true;
        if (actual is "true" or "false")
        {
            // DuckDB casts the expected text to BOOLEAN: 1/0, t/f and true/false in any case.
            var t = actual == "true";
            var lower = expected.ToLowerInvariant();
            return lower == (t ? "1" : "0") || lower == (t ? "t" : "f") || lower == actual;
        }
        const NumberStyles number = NumberStyles.Float;
        if (double.TryParse(actual, number, CultureInfo.InvariantCulture, out var x) && double.TryParse(expected, number, CultureInfo.InvariantCulture, out var y))
            return x == y || Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
        return false;
    }

    private static string Format(object? v, char type)
    {
        if (v is null) return "NULL";
        if (v is object?[] list) return FormatList(list);
        switch (type)
        {
            case 'I':
                return v switch
                {
                    double d => ((long)Math.Truncate(d)).ToString(CultureInfo.InvariantCulture),
                    float f => ((long)Math.Truncate(f)).ToString(CultureInfo.InvariantCulture),
                    decimal m => ((long)Math.Truncate(m)).ToString(CultureInfo.InvariantCulture),
                    bool b => b ? "1" : "0",
                    string s => long.TryParse(s, out var l) ? l.ToString(CultureInfo.InvariantCulture) : "0",
                    IFormattable f2 => f2.ToString(null, CultureInfo.InvariantCulture),
                    _ => v.ToString() ?? "",
                };
            case 'R':
                return v switch
                {
                    double d => d.ToString("F3", CultureInfo.InvariantCulture),
                    float f => f.ToString("F3", CultureInfo.InvariantCulture),
                    decimal m => m.ToString("F3", CultureInfo.InvariantCulture),
                    IConvertible c => Convert.ToDouble(c, CultureInfo.InvariantCulture).ToString("F3", CultureInfo.InvariantCulture),
                    _ => v.ToString() ?? "",
                };
            default:
                var s2 = v switch
                {
                    bool b => b ? "true" : "false",
                    DateTime dt => dt.ToString(dt.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    TimeOnly t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "HH:mm:ss" : "HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    byte[] bytes => Convert.ToHexString(bytes),
                    _ => v.ToString() ?? "",
                };
                return s2.Length == 0 ? "(empty)" : s2;
        }
    }

    /// <summary>ARRAY values (object?[] from the API) as DuckDB prints lists: [a, b, NULL], nested likewise.</summary>
    private static string FormatList(object?[] list)
    {
        var parts = new string[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            parts[i] = list[i] switch
            {
                null => "NULL",
                object?[] inner => FormatList(inner),
                var e => Format(e, 'T') is "(empty)" ? "" : Format(e, 'T'),
            };
        }
        return "[" + string.Join(", ", parts) + "]";
    }
}
