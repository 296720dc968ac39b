using System.Diagnostics;
using System.Globalization;

namespace Tarn.Benchmarks.Connectors;

/// <summary>
/// <c>connectors [--rows N] [--only a,b] [--sf N]</c>: Tarn's connectors end to end, each beside a baseline measured in
/// the same run on the same rows: SQLite (Microsoft.Data.Sqlite by hand), parquet and csv (DuckDB), Kafka (a plain
/// Confluent.Kafka producer). Every figure is one timed run (no warm-up), so it includes JIT and first-use costs;
/// each measurement checks its target holds the expected answer before it is reported.
/// Names for <c>--only</c>: sqlite-append, sqlite-upsert, sqlite-job, parquet-write, parquet-read, csv-load, kafka-sink.
/// </summary>
internal static partial class ConnectorsBenchmark
{
    private static readonly string[] Names = ["sqlite-append", "sqlite-upsert", "sqlite-job", "parquet-write", "parquet-read", "csv-load", "kafka-sink"];

    public static int Run(string[] args)
    {
        var rows = 1_000_000L;
        HashSet<string>? only = null;
        var sf = "0.1";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows" when i + 1 < args.Length: rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].ToLowerInvariant().Split(',')]; break;
                // csv-load's TPC-H scale factor (0.1: ~600k lineitem rows) or a folder of .tbl files
                case "--sf" when i + 1 < args.Length: sf = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; names for --only: {string.Join(",", Names)}"); return 2;
            }
        }
        if (only is not null)
            foreach (var name in only)
                if (Array.IndexOf(Names, name) < 0)
                {
                    Console.Error.WriteLine($"unknown benchmark {name}; names: {string.Join(",", Names)}");
                    return 2;
                }
        bool Wanted(string name) => only is null || only.Contains(name);
        var root = Path.Combine(Path.GetTempPath(), "tarn-connbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var lines = new List<Line>();
        try
        {
            Console.WriteLine($"connectors benchmark: {rows:N0} rows, {Environment.ProcessorCount} cores, data in {root}");
            using var db = TarnDatabase.Open(Path.Combine(root, "tarn"));
            if (Wanted("sqlite-append") || Wanted("sqlite-upsert") || Wanted("sqlite-job") || Wanted("parquet-write") || Wanted("parquet-read") || Wanted("kafka-sink"))
                LoadSource(db, rows);
            if (Wanted("sqlite-append")) Report(lines, SqliteAppend(db, root, rows));
            if (Wanted("sqlite-upsert")) Report(lines, SqliteUpsert(db, root, rows));
            if (Wanted("sqlite-job")) Report(lines, SqliteJob(db, root, rows).GetAwaiter().GetResult());
            if (Wanted("parquet-write") || Wanted("parquet-read"))
                foreach (var line in Parquet(db, root, rows, Wanted("parquet-write"), Wanted("parquet-read"))) Report(lines, line);
            if (Wanted("csv-load")) Report(lines, CsvLoad(db, root, sf));
            if (Wanted("kafka-sink"))
                foreach (var line in Kafka(db, rows).GetAwaiter().GetResult()) Report(lines, line);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        Console.WriteLine();
        Console.WriteLine("| measurement | Tarn | baseline | Tarn / baseline |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var line in lines)
        {
            var ratio = line.Baseline > 0 ? $"{line.Tarn / line.Baseline:F2}x" : "";
            var baseline = line.Baseline > 0 ? $"{line.Baseline:N0} ({line.BaselineName})" : line.BaselineName;
            Console.WriteLine($"| {line.Name}, {line.Unit} | {line.Tarn:N0} | {baseline} | {ratio} |");
        }
        return 0;
    }

    /// <summary>One row of the table: Tarn's and the baseline's throughput (higher is better), 0 for no baseline.</summary>
    private sealed record Line(string Name, string Unit, double Tarn, double Baseline, string BaselineName);

    private static void Report(List<Line> lines, Line line)
    {
        lines.Add(line);
        var baseline = line.Baseline > 0 ? $"{line.Baseline:N0} {line.Unit} ({line.BaselineName}), {line.Tarn / line.Baseline:F2}x" : line.BaselineName;
        Console.WriteLine($"{line.Name}: Tarn {line.Tarn:N0} {line.Unit}; {baseline}");
    }

    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    // The rows every benchmark but csv-load uses, made the same way for Tarn and for the hand-written baselines.
    // 1,000 distinct names: a native scan hands such a column to the sinks dictionary-encoded, as real data often is.
    private static string NameOf(long i) => "name-" + (i % 1000).ToString(CultureInfo.InvariantCulture);

    private static double AmountOf(long i) => (i % 100_000) * 0.25;

    private static DateTime TsOf(long i) => Epoch.AddSeconds(i);

    private const string Columns = "id BIGINT, name STRING, amount DOUBLE, ts TIMESTAMP(3)";

    private static void LoadSource(TarnDatabase db, long rows)
    {
        var clock = Stopwatch.StartNew();
        db.Execute($"CREATE TABLE src ({Columns})");
        using (var appender = db.CreateAppender("src"))
            for (long i = 0; i < rows; i++) appender.Append(i).Append(NameOf(i)).Append(AmountOf(i)).Append(TsOf(i)).EndRow();
        Console.WriteLine($"source table: {rows:N0} rows appended in {clock.Elapsed.TotalSeconds:F2} s (not timed below)");
    }

    private static double Seconds(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("benchmark check failed: " + what);
    }

    private static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
