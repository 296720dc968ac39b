using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Tarn.Tests.Tpch;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// <c>-- tpch [--sf DIR|N] [--runs N] [--timeout S] [--queries 1,6,...] [--sql TEXT]...</c>: loads the TPC-H <c>.tbl</c> files of DIR (default
/// <c>shared/tpch/sf0.01</c>) into Tarn (filesystem connector → native tables) and into DuckDB (<c>read_csv</c>),
/// runs the 22 queries on both and prints the median times, their ratio, the row counts and whether the answers
/// agree (see <see cref="TpchResultComparer"/>). A query that fails or runs past the timeout on Tarn is reported as
/// such; the others still run. With a number N instead of DIR the data of scale factor N is generated first (see
/// <see cref="TpchDataCache"/>) and cached under the temp folder.
/// </summary>
internal static class TpchBenchmark
{
    public static int Run(string[] args)
    {
        var dataDir = TpchData.DataDir();
        var runs = 3;
        var timeout = TimeSpan.FromSeconds(60);
        var queries = Enumerable.Range(1, 22).ToList();
        var extra = new List<string>();
        var explain = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sf" when i + 1 < args.Length: dataDir = TpchDataCache.Resolve(args[++i]); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--queries" when i + 1 < args.Length: queries = args[++i].Split(',').Select(q => int.Parse(q.TrimStart('q'), CultureInfo.InvariantCulture)).ToList(); break;
                case "--sql" when i + 1 < args.Length: extra.Add(args[++i]); break;
                // --explain: print Tarn's plan of each query before timing it
                case "--explain": explain = true; break;
                case "--timeout" when i + 1 < args.Length: timeout = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'"); return 2;
            }
        }
        var root = Path.Combine(Path.GetTempPath(), "tarn-tpch-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"TPC-H from {dataDir}, {Environment.ProcessorCount} cores, median of {runs} runs after a warm-up");
            using var db = TarnDatabase.Open(Path.Combine(root, "tarn"));
            var sw = Stopwatch.StartNew();
            TpchData.LoadAsync(db, dataDir).GetAwaiter().GetResult();
            var tarnLoad = sw.Elapsed.TotalSeconds;
            using var duck = new DuckDBConnection($"Data Source={Path.Combine(root, "duck.db")}");
            duck.Open();
            sw.Restart();
            LoadDuck(duck, dataDir);
            var duckLoad = sw.Elapsed.TotalSeconds;

            Console.WriteLine();
            Console.WriteLine("| query | Tarn s | DuckDB s | Tarn / DuckDB | rows Tarn / DuckDB | answers |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine($"| load | {tarnLoad:F3} | {duckLoad:F3} | {tarnLoad / duckLoad:F2}x | | |");
            double tarnTotal = 0, duckTotal = 0;
            var ok = 0;
            var work = queries.Select(q => ($"q{q:00}", TpchData.QueryText(q))).Concat(extra.Select((sql, i) => ($"sql{i + 1}", sql)));
            foreach (var (q, sql) in work)
            {
                if (explain)
                    foreach (var line in db.Execute("EXPLAIN " + sql).Rows) Console.WriteLine($"    {q}: {line[0]}");
                List<string[]>? duckAnswer = null;
                var (duckTime, duckRows) = Median(runs, () => DuckRows(duck, sql), () =>
                {
                    duckAnswer = TpchResultComparer.DuckRows(duck, sql);
                    return duckAnswer.Count;
                });
                string tarnCell, ratio = "", rows, agree = "";
                try
                {
                    List<string[]>? tarnAnswer = null;
                    var (tarnTime, tarnRows) = Median(runs, () => TarnRows(db, sql, timeout), () =>
                    {
                        tarnAnswer = TpchResultComparer.TarnRows(TarnResult(db, sql, timeout));
                        return tarnAnswer.Count;
                    });
                    tarnCell = tarnTime.ToString("F4", CultureInfo.InvariantCulture);
                    ratio = $"{tarnTime / duckTime:F2}x";
                    rows = $"{tarnRows} / {duckRows}";
                    agree = TpchResultComparer.Compare(tarnAnswer!, duckAnswer!);
                    tarnTotal += tarnTime;
                    duckTotal += duckTime;
                    ok++;
                }
                catch (TarnException e)
                {
                    tarnCell = e.SqlState == SqlStates.QueryCanceled ? $"timeout ({timeout.TotalSeconds:F0} s)" : $"error {e.SqlState}";
                    rows = $"- / {duckRows}";
                    Console.Error.WriteLine($"{q}: {e.Message}");
                }
                Console.WriteLine($"| {q} | {tarnCell} | {duckTime:F4} | {ratio} | {rows} | {agree} |");
            }
            Console.WriteLine($"| total of the {ok} queries Tarn ran | {tarnTotal:F4} | {duckTotal:F4} | {(duckTotal > 0 ? tarnTotal / duckTotal : 0):F2}x | | |");
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    internal static void LoadDuck(DuckDBConnection duck, string dataDir)
    {
        foreach (var (table, columns) in TpchData.Tables)
        {
            Exec(duck, $"CREATE TABLE {table} ({columns})");
            // read_csv's columns struct: {'name': 'TYPE', ...}; the types' own commas (DECIMAL(15,2)) have no blank after them
            var spec = string.Join(", ", columns.Split(", ").Select(c =>
            {
                var space = c.IndexOf(' ', StringComparison.Ordinal);
                return $"'{c[..space]}': '{c[(space + 1)..].Replace(" NOT NULL", "", StringComparison.Ordinal)}'";
            }));
            var file = Path.Combine(dataDir, table + ".tbl").Replace("'", "''", StringComparison.Ordinal);
            Exec(duck, $"INSERT INTO {table} SELECT * FROM read_csv('{file}', delim = '|', header = false, quote = '', columns = {{{spec}}})");
        }
    }

    private static int TarnRows(TarnDatabase db, string sql, TimeSpan timeout) => TarnResult(db, sql, timeout).RowCount;

    private static TarnResult TarnResult(TarnDatabase db, string sql, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return db.DefaultSession.ExecuteAsync(sql, TarnParameters.None, cancel.Token).GetAwaiter().GetResult();
    }

    private static int DuckRows(DuckDBConnection duck, string sql)
    {
        using var cmd = duck.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var n = 0;
        while (r.Read()) n++;
        return n;
    }

    internal static void Exec(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Median wall time of <paramref name="runs"/> runs after one warm-up (which also gives the row count,
    /// and the answer to compare).</summary>
    private static (double Seconds, int Rows) Median(int runs, Func<int> run, Func<int> warmUp)
    {
        var rows = warmUp();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return (times[times.Count / 2], rows);
    }
}
