using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Tarn.Storage.Scans;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// The foundation issue's end-to-end figures, Tarn and DuckDB side by side in one run on the same generated data:
/// durable ingest through the appender, the 5-group aggregate, a 10 % time-range filter (with row groups pruned),
/// size on disk, and commit-to-streaming-reader wake-up latency.
/// </summary>
internal static class OrdersBenchmark
{
    public static int Run(string[] args)
    {
        var rows = 10_000_000L;
        string? dataDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rows" && i + 1 < args.Length) rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
            // e.g. --only q1,q4: time only these queries (q1..q5; "wake" for the wake-up latency), for quick comparisons
            else if (args[i] == "--only" && i + 1 < args.Length) _only = [.. args[++i].ToLowerInvariant().Split(',')];
            // --cpu: report the process's CPU time per query instead of wall time (steadier on a loaded machine)
            else if (args[i] == "--cpu") _cpu = true;
            // --data DIR: keep the generated databases in DIR and reuse them on the next run (skips ingest)
            else if (args[i] == "--data" && i + 1 < args.Length) dataDir = args[++i];
            // --runs N: timed runs per query (the median is reported); default 5
            else if (args[i] == "--runs" && i + 1 < args.Length) _runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
        }
        // Only the point lookup: it builds its own users tables, so skip generating orders.
        if (_only is { Count: 1 } && _only.Contains("q5")) return RunOnlyPointLookup();
        var root = dataDir ?? Path.Combine(Path.GetTempPath(), "tarn-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"orders benchmark: {rows:N0} rows, {Environment.ProcessorCount} cores, data in {root}");
            var tarn = RunTarn(Path.Combine(root, "tarn"), rows);
            var duck = RunDuck(Path.Combine(root, "duck.db"), rows);
            var (lookupTarn, lookupSqlite, lookupDuck) = Wanted("q5") ? PointLookupBenchmark.Run(root) : (0.0, 0.0, 0.0);
            Console.WriteLine();
            Console.WriteLine("| measurement | Tarn | DuckDB | Tarn / DuckDB |");
            Console.WriteLine("|---|---|---|---|");
            Line("durable ingest (appender), rows/s", tarn.IngestRowsPerSec, duck.IngestRowsPerSec, higherIsBetter: true, "N0");
            Line("Q1 group by status, 1 thread, s", tarn.Q1Single, duck.Q1Single, higherIsBetter: false, "F4");
            Line("Q1 group by status, all cores, s", tarn.Q1Parallel, duck.Q1Parallel, higherIsBetter: false, "F4");
            Line("Q2 group by user_id avg (100k groups), 1 thread, s", tarn.Q2Single, duck.Q2Single, higherIsBetter: false, "F4");
            Line("Q2 group by user_id avg (100k groups), all cores, s", tarn.Q2Parallel, duck.Q2Parallel, higherIsBetter: false, "F4");
            Line("Q3 10% ts range, 1 thread, s", tarn.Q3Single, duck.Q3Single, higherIsBetter: false, "F4");
            Line("Q3 10% ts range, all cores, s", tarn.Q3Parallel, duck.Q3Parallel, higherIsBetter: false, "F4");
            Line("Q4 orders join users group by age, 1 thread, s", tarn.Q4Single, duck.Q4Single, higherIsBetter: false, "F4");
            Line("Q4 orders join users group by age, all cores, s", tarn.Q4Parallel, duck.Q4Parallel, higherIsBetter: false, "F4");
            Line("size on disk, MB", tarn.SizeMb, duck.SizeMb, higherIsBetter: false, "F1");
            Console.WriteLine($"| Q5 point lookup by primary key, µs (SQLite / DuckDB) | {lookupTarn:F1} | {lookupSqlite:F1} / {lookupDuck:F1} | {lookupTarn / lookupSqlite:F2}x SQLite, {lookupTarn / lookupDuck:F2}x DuckDB |");
            Console.WriteLine($"| Q3 row groups pruned | {tarn.Q3Pruned} | | |");
            Console.WriteLine($"| commit → streaming reader wake-up p50 / p99, ms | {tarn.WakeP50:F3} / {tarn.WakeP99:F3} | | |");
            Console.WriteLine($"| checksums | {tarn.Checksum} | {duck.Checksum} | {(tarn.Checksum == duck.Checksum ? "equal" : "DIFFERENT")} |");
            return tarn.Checksum == duck.Checksum ? 0 : 1;
        }
        finally
        {
            if (dataDir is null)
                try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    private static HashSet<string>? _only;
    private static bool _cpu;
    private static int _runs = 5;

    private static bool Wanted(string what) => _only is null || _only.Contains(what);

    /// <summary>The median time of a query named <paramref name="what"/>, or 0 when --only leaves it out.</summary>
    private static double Time(string what, Func<object> run) => Wanted(what) ? Median(run) : 0;

    /// <summary>The rows of the query named <paramref name="what"/> for the checksum, or none when --only leaves it out.</summary>
    private static IEnumerable<object?[]> Rows(string what, Func<IEnumerable<object?[]>> run) => Wanted(what) ? run() : [];
    /// <summary><c>--only q5</c>: just the point lookup (Tarn, SQLite, DuckDB), without generating the orders table.</summary>
    private static int RunOnlyPointLookup()
    {
        var root = Path.Combine(Path.GetTempPath(), "tarn-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var (tarn, sqlite, duck) = PointLookupBenchmark.Run(root);
            Console.WriteLine($"| Q5 point lookup by primary key, µs (Tarn / SQLite / DuckDB) | {tarn:F1} | {sqlite:F1} / {duck:F1} | {tarn / sqlite:F2}x SQLite, {tarn / duck:F2}x DuckDB |");
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    private static void Line(string what, double tarn, double duck, bool higherIsBetter, string format)
    {
        var ratio = higherIsBetter ? tarn / duck : tarn / duck;
        Console.WriteLine($"| {what} | {tarn.ToString(format, CultureInfo.InvariantCulture)} | {duck.ToString(format, CultureInfo.InvariantCulture)} | {ratio:F2}x |");
    }

    private sealed record Figures(double IngestRowsPerSec, double Q1Single, double Q1Parallel, double Q2Single, double Q2Parallel, double Q3Single, double Q3Parallel, double Q4Single, double Q4Parallel,
        int Q3Pruned, double SizeMb, double WakeP50, double WakeP99, string Checksum);

    private const string Q1 = "SELECT status, count(*), sum(amount) FROM orders GROUP BY status ORDER BY status";
    // Rounded so both engines' floating-point summation orders give the same checksum.
    private const string Q2 = "SELECT count(*), sum(round(a, 6)) FROM (SELECT user_id, avg(amount) AS a FROM orders GROUP BY user_id) t";
    private const string Q4 = "SELECT u.age, count(*), sum(o.amount) FROM orders o JOIN users u ON o.user_id = u.id GROUP BY u.age ORDER BY u.age";

    private static (long From, long To) Q3Range(long rows) => ((long)(rows * 0.45) * 3_000_000L, (long)(rows * 0.55) * 3_000_000L);

    private static Figures RunTarn(string path, long rows)
    {
        var reuse = Directory.Exists(path);
        using var db = TarnDatabase.Open(path);
        var ingest = reuse ? double.NaN : LoadTarn(db, rows);

        var (from, to) = Q3Range(rows);
        var q3 = $"SELECT count(*), sum(amount) FROM orders WHERE ts >= TIMESTAMP '{OrdersData.ToDateTime(from):yyyy-MM-dd HH:mm:ss}' AND ts < TIMESTAMP '{OrdersData.ToDateTime(to):yyyy-MM-dd HH:mm:ss}'";
        db.Execute("SET 'parallelism' = '1'");
        var q1Single = Time("q1", () => db.Execute(Q1));
        var q2Single = Time("q2", () => db.Execute(Q2));
        var q3Single = Time("q3", () => db.Execute(q3));
        var q4Single = Time("q4", () => db.Execute(Q4));
        db.Execute("RESET 'parallelism'");
        var q1Parallel = Time("q1", () => db.Execute(Q1));
        var q2Parallel = Time("q2", () => db.Execute(Q2));
        var q4Parallel = Time("q4", () => db.Execute(Q4));
        var q3Time = Time("q3", () => db.Execute(q3));
        var explain = db.Execute("EXPLAIN " + q3);
        var pruned = 0;
        foreach (var row in explain.Rows)
        {
            var text = row[0]?.ToString() ?? "";
            var at = text.IndexOf("pruned=", StringComparison.Ordinal);
            if (at >= 0) pruned = int.Parse(new string(text[(at + 7)..].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);
        }
        var checksum = Checksum(Rows("q1", () => db.Execute(Q1).Rows).Concat(Rows("q2", () => db.Execute(Q2).Rows)).Concat(Rows("q3", () => db.Execute(q3).Rows)).Concat(Rows("q4", () => db.Execute(Q4).Rows)));
        var size = DirectorySize(path) / 1e6;

        // Wake-up latency: a reader waits at the end; each single-row insert's commit wakes it. Measured from the
        // moment the commit became visible (the engine's publish timestamp) to the moment the reader has the row.
        var reader = db.OpenStream("orders", StreamStart.Latest);
        var latencies = new List<double>();
        for (var i = 0; i < (Wanted("wake") ? 300 : 0); i++)
        {
            var read = reader.ReadAsync().AsTask().ContinueWith(_ => Stopwatch.GetTimestamp(), TaskContinuationOptions.ExecuteSynchronously);
            db.Execute("INSERT INTO orders VALUES (-1, 0, 0.0, 'x', TIMESTAMP '2024-01-01 00:00:00')");
            var woke = read.GetAwaiter().GetResult();
            latencies.Add(Stopwatch.GetElapsedTime(db.Core.Storage.LastPublishedTimestamp, woke).TotalMilliseconds);
        }
        latencies.Sort();
        double P(List<double> l, double p) => l[(int)Math.Min(l.Count - 1, Math.Round(p * (l.Count - 1)))];
        if (latencies.Count == 0) return new Figures(ingest, q1Single, q1Parallel, q2Single, q2Parallel, q3Single, q3Time, q4Single, q4Parallel, pruned, size, 0, 0, checksum);
        var p50 = P(latencies, 0.5);
        var p99 = P(latencies, 0.99);
        return new Figures(ingest, q1Single, q1Parallel, q2Single, q2Parallel, q3Single, q3Time, q4Single, q4Parallel, pruned, size, p50, p99, checksum);
    }

    /// <summary>Durable ingest of orders through the appender, then users; returns orders rows per second.</summary>
    private static double LoadTarn(TarnDatabase db, long rows)
    {
        db.Execute("CREATE TABLE orders (id BIGINT, user_id BIGINT, amount DOUBLE, status STRING, ts TIMESTAMP(6))");
        var data = new OrdersData(42);
        var sw = Stopwatch.StartNew();
        using (var appender = db.CreateAppender("orders"))
        {
            for (long i = 0; i < rows; i++)
            {
                data.Row(i, out var id, out var user, out var amount, out var status, out var ts);
                appender.Append(id).Append(user).Append(amount).Append(status).Append(OrdersData.ToDateTime(ts));
                appender.EndRow();
            }
        }
        var ingest = rows / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"tarn: ingest {sw.Elapsed.TotalSeconds:F2} s");
        db.Checkpoint();

        db.Execute("CREATE TABLE users (id BIGINT, name STRING, age INT, country STRING)");
        using (var appender = db.CreateAppender("users"))
        {
            for (var i = 0; i < UsersData.Count; i++)
            {
                UsersData.Row(i, out var name, out var age, out var country);
                appender.Append((long)i).Append(name).Append(age).Append(country);
                appender.EndRow();
            }
        }
        db.Checkpoint();
        return ingest;
    }

    private static Figures RunDuck(string path, long rows)
    {
        var reuse = File.Exists(path);
        using var conn = new DuckDBConnection($"Data Source={path}");
        conn.Open();
        var ingest = reuse ? double.NaN : LoadDuck(conn, rows);
        var (from, to) = Q3Range(rows);
        var q3 = $"SELECT count(*), sum(amount) FROM orders WHERE ts >= TIMESTAMP '{OrdersData.ToDateTime(from):yyyy-MM-dd HH:mm:ss}' AND ts < TIMESTAMP '{OrdersData.ToDateTime(to):yyyy-MM-dd HH:mm:ss}'";
        Exec(conn, "SET threads = 1");
        var q1Single = Time("q1", () => Query(conn, Q1));
        var q2Single = Time("q2", () => Query(conn, Q2));
        var q3Single = Time("q3", () => Query(conn, q3));
        var q4Single = Time("q4", () => Query(conn, Q4));
        Exec(conn, $"SET threads = {Environment.ProcessorCount}");
        var q1Parallel = Time("q1", () => Query(conn, Q1));
        var q2Parallel = Time("q2", () => Query(conn, Q2));
        var q4Parallel = Time("q4", () => Query(conn, Q4));
        var q3Time = Time("q3", () => Query(conn, q3));
        var checksum = Checksum(Rows("q1", () => Query(conn, Q1)).Concat(Rows("q2", () => Query(conn, Q2))).Concat(Rows("q3", () => Query(conn, q3))).Concat(Rows("q4", () => Query(conn, Q4))));
        conn.Close();
        var size = new FileInfo(path).Length / 1e6 + (File.Exists(path + ".wal") ? new FileInfo(path + ".wal").Length / 1e6 : 0);
        return new Figures(ingest, q1Single, q1Parallel, q2Single, q2Parallel, q3Single, q3Time, q4Single, q4Parallel, 0, size, 0, 0, checksum);
    }

    private static double LoadDuck(DuckDBConnection conn, long rows)
    {
        Exec(conn, "CREATE TABLE orders (id BIGINT, user_id BIGINT, amount DOUBLE, status VARCHAR, ts TIMESTAMP)");
        var data = new OrdersData(42);
        var sw = Stopwatch.StartNew();
        using (var appender = conn.CreateAppender("orders"))
        {
            for (long i = 0; i < rows; i++)
            {
                data.Row(i, out var id, out var user, out var amount, out var status, out var ts);
                appender.CreateRow().AppendValue(id).AppendValue(user).AppendValue(amount).AppendValue(status).AppendValue(OrdersData.ToDateTime(ts)).EndRow();
            }
        }
        Exec(conn, "CHECKPOINT");
        var ingest = rows / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"duckdb: ingest {sw.Elapsed.TotalSeconds:F2} s");
        Exec(conn, "CREATE TABLE users (id BIGINT, name VARCHAR, age INTEGER, country VARCHAR)");
        using (var appender = conn.CreateAppender("users"))
        {
            for (var i = 0; i < UsersData.Count; i++)
            {
                UsersData.Row(i, out var name, out var age, out var country);
                appender.CreateRow().AppendValue((long)i).AppendValue(name).AppendValue(age).AppendValue(country).EndRow();
            }
        }
        Exec(conn, "CHECKPOINT");
        return ingest;
    }

    private static void Exec(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static List<object?[]> Query(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var v = new object?[r.FieldCount];
            for (var i = 0; i < v.Length; i++) v[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(v);
        }
        return rows;
    }

    /// <summary>Median wall time (CPU time with --cpu) of <c>--runs</c> runs (5) after one warm-up.</summary>
    private static double Median(Func<object> run)
    {
        run();
        var times = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < _runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            process.Refresh();
            times.Add(_cpu ? (process.TotalProcessorTime - cpu).TotalSeconds : sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>A checksum of result values that ignores type differences (counts as integers, sums rounded to cents).</summary>
    private static string Checksum(IEnumerable<object?[]> rows)
    {
        var parts = new List<string>();
        foreach (var row in rows)
            parts.Add(string.Join(",", row.Select(v => v switch
            {
                null => "null",
                double d => Math.Round(d, 2).ToString("F2", CultureInfo.InvariantCulture),
                decimal m => Math.Round(m, 2).ToString("F2", CultureInfo.InvariantCulture),
                System.Numerics.BigInteger b => b.ToString(CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            })));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..16];
    }

    private static long DirectorySize(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
