using System.Diagnostics;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// <c>stream --state-memory SIZE [--state-keys K] [--rows N]</c>: a GROUP BY job over K keys (N rows already in the
/// source table, every key touched N/K times in random order), once with the default state memory (the state fits)
/// and once with <c>SET 'state.memory' = SIZE</c> (pick SIZE about a tenth of the state: most groups then live only
/// on disk). Reports rows/s and the state's size on disk for both.
/// </summary>
internal static class StateSpillBenchmark
{
    public static async Task Run(string root, string memory, long keys, long rows)
    {
        var path = Path.Combine(root, "spill");
        using var db = TarnDatabase.Open(path);
        db.Execute("CREATE TABLE src (k BIGINT, v BIGINT)");
        using (var appender = db.CreateAppender("src"))
        {
            var random = new Random(1);
            for (long i = 0; i < rows; i++) appender.Append(random.NextInt64(keys)).Append(i % 1000).EndRow();
        }
        Console.WriteLine($"group by {keys:N0} keys over {rows:N0} rows -> pk table, one job at a time");
        Console.WriteLine($"{"state memory",-14} {"seconds",8} {"rows/s",12} {"state log on disk",18} {"log / memory",12}");
        foreach (var setting in new[] { "default", memory })
        {
            var sink = "sink_" + (setting == "default" ? "mem" : "spill");
            db.Execute($"CREATE TABLE {sink} (g BIGINT, n BIGINT, s BIGINT, PRIMARY KEY (g) NOT ENFORCED)");
            if (setting != "default") db.Execute($"SET 'state.memory' = '{setting}'");
            db.Execute("SET 'execution.runtime-mode' = 'streaming'");
            var clock = Stopwatch.StartNew();
            var id = (string)db.Execute($"INSERT INTO {sink} SELECT k, COUNT(*), SUM(v) FROM src GROUP BY k").GetValue(0, 0)!;
            db.Execute("SET 'execution.runtime-mode' = 'batch'");
            await db.WaitForJobsAsync();
            var elapsed = clock.Elapsed.TotalSeconds;
            db.Execute($"STOP JOB '{id}'");
            var log = new DirectoryInfo(Path.Combine(path, "state", "jobs", id, "log")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            var ratio = setting == "default" ? "" : $"{log / (double)ParseMegabytes(setting):F1}x";
            Console.WriteLine($"{setting,-14} {elapsed,8:F2} {rows / elapsed,12:N0} {log / 1048576.0,15:F1} MB {ratio,12}");
        }
    }

    /// <summary>'8 mb' / '8mb' / '1 gb' in bytes (the benchmark's own argument; the database validates it properly).</summary>
    private static long ParseMegabytes(string text)
    {
        var t = text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        var scale = t.EndsWith("gb", StringComparison.Ordinal) ? 1L << 30 : t.EndsWith("mb", StringComparison.Ordinal) ? 1L << 20 : t.EndsWith("kb", StringComparison.Ordinal) ? 1L << 10 : 1;
        return long.Parse(t.TrimEnd('g', 'm', 'k', 'b'), System.Globalization.CultureInfo.InvariantCulture) * scale;
    }
}
