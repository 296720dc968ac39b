using DuckDB.NET.Data;
using Tarn.Benchmarks.EndToEnd;
using Tarn.Tests.Tpch;

namespace Tarn.Benchmarks.Connectors;

/// <summary>The filesystem connector (parquet, csv) against DuckDB on the same rows; both engines use all cores.</summary>
internal static partial class ConnectorsBenchmark
{
    private static List<Line> Parquet(TarnDatabase db, string root, long rows, bool write, bool read)
    {
        var lines = new List<Line>();
        var dir = Path.Combine(root, "parquet");
        db.Execute($"CREATE TABLE fs_parquet ({Columns}) WITH ('connector' = 'filesystem', 'path' = '{Quote(dir)}', 'format' = 'parquet')");
        var tarnWrite = Seconds(() => db.Execute("INSERT INTO fs_parquet SELECT * FROM src"));
        var files = Quote(Path.Combine(dir, "*.parquet"));

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        // DuckDB gets the same rows by reading the file Tarn wrote into its own table first (not timed)
        TpchBenchmark.Exec(duck, $"CREATE TABLE t AS SELECT * FROM read_parquet('{files}')");
        Check(Convert.ToInt64(DuckScalar(duck, "SELECT count(*) FROM t"), System.Globalization.CultureInfo.InvariantCulture) == rows, "parquet: DuckDB reads Tarn's file back whole");
        if (write)
        {
            var duckFile = Quote(Path.Combine(root, "duck.parquet"));
            var duckWrite = Seconds(() => TpchBenchmark.Exec(duck, $"COPY t TO '{duckFile}' (FORMAT parquet)"));
            lines.Add(new Line("parquet-write (INSERT INTO filesystem parquet table, snappy)", "rows/s", rows / tarnWrite, rows / duckWrite, "DuckDB COPY TO parquet, snappy"));
        }
        if (read)
        {
            object? tarnCount = null;
            // a read is cheap to repeat: the best of 3 runs for each engine (the first pays for JIT and the page cache)
            var tarnRead = BestOf3(() => tarnCount = db.Execute("SELECT count(*), sum(amount) FROM fs_parquet").GetValue(0, 0));
            Check(Convert.ToInt64(tarnCount, System.Globalization.CultureInfo.InvariantCulture) == rows, "parquet-read: Tarn's count");
            object? duckCount = null;
            var duckRead = BestOf3(() => duckCount = DuckScalar(duck, $"SELECT count(*), sum(amount) FROM read_parquet('{files}')"));
            Check(Convert.ToInt64(duckCount, System.Globalization.CultureInfo.InvariantCulture) == rows, "parquet-read: DuckDB's count");
            lines.Add(new Line("parquet-read (count(*), sum(amount) of the file Tarn wrote)", "rows/s", rows / tarnRead, rows / duckRead, "DuckDB read_parquet, same file; best of 3 each"));
        }
        return lines;
    }

    /// <summary>TPC-H lineitem <c>.tbl</c> into a native table through a csv filesystem table, vs DuckDB's read_csv into a DuckDB table.</summary>
    private static Line CsvLoad(TarnDatabase db, string root, string sf)
    {
        var dataDir = TpchDataCache.Resolve(sf);
        var file = Path.Combine(dataDir, "lineitem.tbl");
        var columns = TpchData.Tables.First(t => t.Table == "lineitem").Columns;
        db.Execute($"CREATE TABLE lineitem ({columns})");
        db.Execute($"CREATE TABLE lineitem_src ({columns}) WITH ('connector' = 'filesystem', 'path' = '{Quote(file)}', 'format' = 'csv', 'csv.field-delimiter' = '|')");
        var tarn = Seconds(() => db.Execute("INSERT INTO lineitem SELECT * FROM lineitem_src"));
        var rows = Convert.ToInt64(db.Execute("SELECT count(*) FROM lineitem").GetValue(0, 0), System.Globalization.CultureInfo.InvariantCulture);

        using var duck = new DuckDBConnection($"Data Source={Path.Combine(root, "csv.duckdb")}");
        duck.Open();
        TpchBenchmark.Exec(duck, $"CREATE TABLE lineitem ({columns})");
        var spec = string.Join(", ", columns.Split(", ").Select(c =>
        {
            var space = c.IndexOf(' ', StringComparison.Ordinal);
            return $"'{c[..space]}': '{c[(space + 1)..].Replace(" NOT NULL", "", StringComparison.Ordinal)}'";
        }));
        var duckSeconds = Seconds(() => TpchBenchmark.Exec(duck, $"INSERT INTO lineitem SELECT * FROM read_csv('{Quote(file)}', delim = '|', header = false, quote = '', columns = {{{spec}}})"));
        Check(Convert.ToInt64(DuckScalar(duck, "SELECT count(*) FROM lineitem"), System.Globalization.CultureInfo.InvariantCulture) == rows, "csv-load: both engines load the same rows");
        Console.WriteLine($"csv-load: {rows:N0} lineitem rows, {new FileInfo(file).Length / 1e6:F1} MB");
        return new Line($"csv-load (TPC-H lineitem .tbl, {rows:N0} rows, into a native table)", "rows/s", rows / tarn, rows / duckSeconds, "DuckDB read_csv into a persistent DuckDB table");
    }

    private static double BestOf3(Action run) => Math.Min(Seconds(run), Math.Min(Seconds(run), Seconds(run)));

    private static object? DuckScalar(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
