using System.Globalization;
using System.Text;
using System.Text.Json;
using Tarn.Types;

namespace Tarn.Tests.Streaming;

/// <summary>
/// One case of Flink's window TVF test programs (tests/fixtures/flink-window-cases, from apache/flink's
/// WindowAggregateTestPrograms and WindowTableFunctionTestPrograms): DDL with <c>'connector' = 'values'</c> tables,
/// the source's input rows, the INSERT ... SELECT to run and the sink's rows as Flink prints them.
/// </summary>
public sealed record FlinkWindowCase(
    string Id,
    IReadOnlyList<string> Ddl,
    string Source,
    IReadOnlyList<string> Columns,
    IReadOnlyList<JsonElement[]> Input,
    string Sql,
    string Sink,
    IReadOnlyList<string> Expected)
{
    public override string ToString() => Id;

    public static IReadOnlyList<FlinkWindowCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "flink-window-cases", "flink-window-tvf-cases.public.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<FlinkWindowCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            List<string> Strings(string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
            var compare = c.TryGetProperty("compare", out var cmp) ? cmp.GetString() : "multiset";
            if (compare != "multiset") throw new InvalidOperationException($"case {c.GetProperty("id")}: unknown comparison '{compare}'");
            cases.Add(new FlinkWindowCase(
                c.GetProperty("id").GetString()!,
                Strings("ddl"),
                c.GetProperty("source").GetString()!,
                Strings("columns"),
                [.. c.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.Clone()).ToArray())],
                c.GetProperty("sql").GetString()!,
                c.GetProperty("sink").GetString()!,
                Strings("expected")));
        }
        return cases;
    }
}

/// <summary>
/// Runs Flink's window TVF cases: DDL, the input rows inserted into the source, the case's INSERT in the given
/// runtime mode, then the sink's rows compared with Flink's printed rows as a multiset. Each case runs once per
/// mode in <see cref="Modes"/> (batch today; the streaming runtime adds its row).
/// </summary>
public sealed class FlinkWindowCasesTests
{
    private static readonly IReadOnlyList<FlinkWindowCase> s_cases = FlinkWindowCase.Load();

    /// <summary>The runtime modes every case runs in.</summary>
    public static readonly string[] Modes = ["batch", "streaming"];


    public static IEnumerable<object[]> Cases() =>
        from c in s_cases from mode in Modes select new object[] { c.Id, mode };

    [Fact]
    public void All_cases_are_loaded() => Assert.Equal(12, s_cases.Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_matches_flink(string id, string mode)
    {
        var c = s_cases.Single(x => x.Id == id);
        var (columns, rows) = await RunCaseAsync(c, mode);
        IEnumerable<string> expected = c.Expected;
        IEnumerable<string> actual = rows;
        if (mode == "batch")
        {
            // A batch query reads every input row; Flink's expectations come from a streaming run, which leaves a row
            // that arrives after the watermark closed its window out of that window. Those windows are compared in
            // streaming mode only; here both sides must have the same number of them.
            var fired = FiredBeforeLateRows(c);
            bool Streaming(string row) => fired.Contains(WindowOf(row, columns));
            Assert.Equal(expected.Count(Streaming), actual.Count(Streaming));
            expected = expected.Where(r => !Streaming(r));
            actual = actual.Where(r => !Streaming(r));
        }
        var e = expected.Order(StringComparer.Ordinal).ToList();
        var a = actual.Order(StringComparer.Ordinal).ToList();
        Assert.True(e.SequenceEqual(a),
            $"case {id} ({mode}):\n  expected: {string.Join("\n            ", e)}\n  actual:   {string.Join("\n            ", a)}");
    }

    /// <summary>Runs <paramref name="c"/> on a fresh database and returns the sink's column names and rows in Flink's print format.</summary>
    public static async Task<(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows)> RunCaseAsync(FlinkWindowCase c, string mode)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-flink-window-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await using var db = await TarnDatabase.OpenAsync(dir);
            foreach (var ddl in c.Ddl) await db.ExecuteAsync(ddl);
            if (c.Input.Count > 0) await db.ExecuteAsync(InsertInput(c));
            await db.ExecuteAsync($"SET 'execution.runtime-mode' = '{mode}'");
            await db.ExecuteAsync(c.Sql);
            await db.ExecuteAsync("SET 'execution.runtime-mode' = 'batch'");
            await db.WaitForJobsAsync();
            var sink = await db.ExecuteAsync($"SELECT * FROM {c.Sink}");
            var types = sink.Columns.Select(col => col.Type).ToList();
            return ([.. sink.Columns.Select(col => col.Name)], [.. sink.Rows.Select(row => FlinkRowFormat.Insert(row, types))]);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The windows [start, end) that a streaming run of <paramref name="c"/> fired before a row of theirs arrived:
    /// the source's rows arrive in input order, and the watermark before a row is the greatest earlier rowtime minus
    /// the declared delay (<c>rowtime AS TO_TIMESTAMP(ts)</c>, <c>WATERMARK FOR rowtime AS rowtime - INTERVAL 'n' SECOND</c>);
    /// a window has fired once the watermark reaches its last millisecond. Empty when the DDL has another shape.
    /// </summary>
    private static HashSet<(DateTime Start, DateTime End)> FiredBeforeLateRows(FlinkWindowCase c)
    {
        var fired = new HashSet<(DateTime, DateTime)>();
        var ddl = string.Join("\n", c.Ddl);
        var watermark = System.Text.RegularExpressions.Regex.Match(ddl, @"WATERMARK FOR `?(\w+)`? AS `?\1`? - INTERVAL '(\d+)' SECOND");
        if (!watermark.Success) return fired;
        var rowtime = System.Text.RegularExpressions.Regex.Match(ddl, $@"`?{watermark.Groups[1].Value}`? AS TO_TIMESTAMP\(`?(\w+)`?\)");
        if (!rowtime.Success) return fired;
        var tsColumn = c.Columns.ToList().IndexOf(rowtime.Groups[1].Value);
        if (tsColumn < 0) return fired;
        var delay = TimeSpan.FromSeconds(int.Parse(watermark.Groups[2].Value, CultureInfo.InvariantCulture));
        var rows = new List<(DateTime Time, DateTime WatermarkBefore)>();
        var mark = DateTime.MinValue;
        foreach (var row in c.Input)
        {
            if (row[tsColumn].GetString() is not { } text) continue;
            var t = DateTime.Parse(text, CultureInfo.InvariantCulture);
            rows.Add((t, mark));
            if (t - delay > mark) mark = t - delay;
        }
        foreach (var expected in c.Expected)
        {
            var fields = Fields(expected);
            foreach (var (start, end) in CandidateWindows(fields))
                foreach (var (t, before) in rows)
                    if (t >= start && t < end && end.AddMilliseconds(-1) <= before) fired.Add((start, end));
        }
        return fired;
    }

    /// <summary>Every pair of adjacent timestamp fields of a printed row (window_start, window_end).</summary>
    private static IEnumerable<(DateTime, DateTime)> CandidateWindows(string[] fields)
    {
        for (var i = 0; i + 1 < fields.Length; i++)
            if (TryLocal(fields[i], out var s) && TryLocal(fields[i + 1], out var e) && s < e) yield return (s, e);
    }

    private static (DateTime, DateTime) WindowOf(string row, IReadOnlyList<string> columns)
    {
        var fields = Fields(row);
        var start = columns.ToList().IndexOf("window_start");
        var end = columns.ToList().IndexOf("window_end");
        if (start < 0 || end < 0 || !TryLocal(fields[start], out var s) || !TryLocal(fields[end], out var e)) return default;
        return (s, e);
    }

    private static string[] Fields(string printed) => printed[3..^1].Split(", ");

    private static bool TryLocal(string text, out DateTime value) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"], CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>INSERT INTO source (columns) VALUES ...: JSON strings as string literals (cast on assignment), numbers as written.</summary>
    private static string InsertInput(FlinkWindowCase c)
    {
        var sb = new StringBuilder($"INSERT INTO {c.Source} ({string.Join(", ", c.Columns.Select(n => $"`{n}`"))}) VALUES ");
        for (var r = 0; r < c.Input.Count; r++)
        {
            sb.Append(r == 0 ? "(" : ", (");
            var row = c.Input[r];
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(row[i].ValueKind switch
                {
                    JsonValueKind.Null => "NULL",
                    JsonValueKind.String => "'" + row[i].GetString()!.Replace("'", "''", StringComparison.Ordinal) + "'",
                    JsonValueKind.Number => row[i].GetRawText(),
                    JsonValueKind.True => "TRUE",
                    JsonValueKind.False => "FALSE",
                    _ => throw new InvalidOperationException($"case {c.Id}: unsupported input value {row[i]}"),
                });
            }
            sb.Append(')');
        }
        return sb.ToString();
    }
}

/// <summary>Flink's printed row format (<c>+I[a, 2020-10-10T00:00, 4.00, null]</c>: Row.toString of Java values).</summary>
public static class FlinkRowFormat
{
    public static string Insert(object?[] row, IReadOnlyList<DataType> types)
    {
        var sb = new StringBuilder("+I[");
        for (var i = 0; i < row.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Value(row[i], types[i]));
        }
        return sb.Append(']').ToString();
    }

    public static string Value(object? value, DataType type) => value switch
    {
        null => "null",
        DateTimeOffset instant => Instant(instant.UtcDateTime),
        DateTime local when type.Kind == TypeKind.TimestampLtz => Instant(local),
        DateTime local => LocalDateTime(local),
        decimal d when type.Kind == TypeKind.Decimal => d.ToString("F" + type.Scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double d => JavaDouble(d.ToString("R", CultureInfo.InvariantCulture)),
        float f => JavaDouble(f.ToString("R", CultureInfo.InvariantCulture)),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    /// <summary>Java's LocalDateTime.toString: seconds only when not zero (or a fraction follows), fractions in groups of three digits.</summary>
    public static string LocalDateTime(DateTime t)
    {
        var fraction = Fraction(t);
        var seconds = t.Second != 0 || fraction.Length > 0 ? t.ToString(":ss", CultureInfo.InvariantCulture) : "";
        return t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) + seconds + fraction;
    }

    /// <summary>Java's Instant.toString: always with seconds, fractions in groups of three digits, 'Z'.</summary>
    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(utc) + "Z";

    private static string Fraction(DateTime t)
    {
        var ticks = t.Ticks % TimeSpan.TicksPerSecond; // 100 ns units
        if (ticks == 0) return "";
        if (ticks % 10_000 == 0) return "." + (ticks / 10_000).ToString("D3", CultureInfo.InvariantCulture);
        if (ticks % 10 == 0) return "." + (ticks / 10).ToString("D6", CultureInfo.InvariantCulture);
        return "." + (ticks * 100).ToString("D9", CultureInfo.InvariantCulture);
    }

    /// <summary>Java's Double.toString for the plain range: a whole number keeps ".0".</summary>
    private static string JavaDouble(string text) =>
        text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || text is "NaN" or "Infinity" or "-Infinity" ? text : text + ".0";
}
