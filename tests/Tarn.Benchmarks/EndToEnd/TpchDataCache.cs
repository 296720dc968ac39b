using System.Globalization;
using DuckDB.NET.Data;
using Tarn.Tests.Tpch;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// TPC-H data of a given scale factor as <c>.tbl</c> files in <c>{temp}/tarn-tpch-data/sf{N}</c>, made once and reused.
/// DuckDB's own <c>dbgen</c> is used when its tpch extension loads (it is not built into the DuckDB.NET native library
/// and cannot be installed offline), else <see cref="TpchGenerator"/>. A <c>complete</c> marker file says the folder
/// holds a finished set.
/// </summary>
internal static class TpchDataCache
{
    /// <summary>A folder as given, or for a number the cached (generated if needed) data of that scale factor.</summary>
    public static string Resolve(string arg)
    {
        if (!double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var sf)) return Path.GetFullPath(arg);
        if (sf <= 0) throw new ArgumentException($"scale factor must be positive: {arg}");
        var dir = Path.Combine(Path.GetTempPath(), "tarn-tpch-data", "sf" + sf.ToString(CultureInfo.InvariantCulture));
        var marker = Path.Combine(dir, "complete");
        if (File.Exists(marker))
        {
            Console.WriteLine($"TPC-H sf{sf}: cached in {dir} ({File.ReadAllText(marker).Trim()})");
            return dir;
        }
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var how = TryDuckDbGen(sf, dir) ? "DuckDB dbgen" : Generate(sf, dir);
        File.WriteAllText(marker, how + "\n");
        Console.WriteLine($"TPC-H sf{sf}: generated with {how} in {sw.Elapsed.TotalSeconds:F1} s into {dir}");
        return dir;
    }

    private static string Generate(double sf, string dir)
    {
        TpchGenerator.Generate(sf, dir, TpchData.DataDir());
        return "Tarn's TpchGenerator (DuckDB's tpch extension is not available offline)";
    }

    private static bool TryDuckDbGen(double sf, string dir)
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        try
        {
            // LOAD only: INSTALL would try the network
            TpchBenchmark.Exec(duck, "LOAD tpch");
        }
        catch (DuckDBException)
        {
            return false;
        }
        TpchBenchmark.Exec(duck, $"CALL dbgen(sf = {sf.ToString(CultureInfo.InvariantCulture)})");
        foreach (var (table, _) in TpchData.Tables)
        {
            var file = Path.Combine(dir, table + ".tbl").Replace("'", "''", StringComparison.Ordinal);
            TpchBenchmark.Exec(duck, $"COPY {table} TO '{file}' (FORMAT csv, DELIMITER '|', HEADER false, QUOTE '')");
        }
        return true;
    }
}
