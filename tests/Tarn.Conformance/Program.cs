using System.Diagnostics;
using System.Globalization;
using Tarn.Tests.SqlLogic;

namespace Tarn.Conformance;

/// <summary>
/// Runs public sqllogictest suites against Tarn and prints pass rates (not part of CI: the suites are large).
/// <c>dotnet run -c Release --project tests/Tarn.Conformance -- DIR_OR_FILE... [--max-records N] [--show-failures N]</c>,
/// e.g. <c>../shared/conformance/duckdb-slt/test/sql</c> or <c>../shared/conformance/sqlite-slt</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var paths = new List<string>();
        var maxRecords = int.MaxValue;
        var showFailures = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--max-records") maxRecords = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--show-failures") showFailures = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else paths.Add(args[i]);
        }
        var files = paths.SelectMany(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*.test", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(p, "*.slt", SearchOption.AllDirectories))
            : [p]).Order(StringComparer.Ordinal).ToList();
        long passed = 0, failed = 0;
        var filesPassing = 0;
        var sw = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var dir = Path.Combine(Path.GetTempPath(), "tarn-conf-" + Guid.NewGuid().ToString("N")[..8]);
            var records = SqlLogicFile.Parse(File.ReadAllText(file)).Take(maxRecords).ToList();
            var runner = new SqlLogicRunner(dir);
            try
            {
                runner.Run(Path.GetFileName(file), records);
            }
            catch (Exception e)
            {
                runner.Failures.Add($"{file}: runner stopped: {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
            passed += runner.Passed;
            failed += runner.Failures.Count;
            if (runner.Failures.Count == 0 && runner.Passed > 0) filesPassing++;
            Console.WriteLine($"{runner.Passed,7} passed {runner.Failures.Count,7} failed  {file}");
            foreach (var f in runner.Failures.Take(showFailures)) Console.WriteLine("    " + f.Replace("\n", "\n    ", StringComparison.Ordinal));
        }
        var total = passed + failed;
        Console.WriteLine($"records: {passed} of {total} pass ({(total == 0 ? 0 : 100.0 * passed / total):F1} %); files fully passing: {filesPassing} of {files.Count}; {sw.Elapsed.TotalSeconds:F0} s");
        return 0;
    }
}
