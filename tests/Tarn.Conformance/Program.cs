using System.Diagnostics;
using System.Globalization;
using Tarn.Tests.SqlLogic;

namespace Tarn.Conformance;

/// <summary>
/// Runs sqllogictest files or folders against Tarn and prints, per corpus, records passed / failed / allowed (documented
/// differences, tests/conformance/allow-list.tsv) / skipped, and a final line <c>N passed, N failed</c>:
/// <c>dotnet run -c Release --project tests/Tarn.Conformance -- PATH... [--max-records N] [--show-failures N] [--list-passing]</c>,
/// e.g. <c>../shared/conformance/duckdb-slt/test/sql</c> or <c>../shared/conformance/sqlite-slt</c>. Exit code 1 when a
/// record failed.
/// </summary>
internal static class Program
{
    private static int Usage(string? problem)
    {
        if (problem is not null) Console.Error.WriteLine(problem);
        Console.Error.WriteLine("usage: Tarn.Conformance PATH... [--max-records N] [--show-failures N] [--list-passing]");
        return 2;
    }

    private static int Main(string[] args)
    {
        var paths = new List<string>();
        var maxRecords = int.MaxValue;
        var showFailures = 0;
        var listPassing = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--max-records") maxRecords = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--show-failures") showFailures = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--list-passing") listPassing = true;
            else if (args[i].StartsWith('-') || !Path.Exists(args[i])) return Usage(args[i].StartsWith('-') ? null : $"no such file or folder: {args[i]}");
            else paths.Add(args[i]);
        }
        if (paths.Count == 0)
            return Usage(null);
        var root = ConformanceRun.RepositoryRoot(AppContext.BaseDirectory);
        var allowList = AllowList.Load(Path.Combine(root, "tests", "conformance", "allow-list.tsv"));
        var files = paths.SelectMany(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*.test", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(p, "*.slt", SearchOption.AllDirectories))
            : [p]).Order(StringComparer.Ordinal).ToList();
        var sw = Stopwatch.StartNew();
        var outcomes = new List<FileOutcome>();
        foreach (var file in files)
        {
            var o = ConformanceRun.RunFile(file, allowList, maxRecords);
            outcomes.Add(o);
            Console.WriteLine($"{o.Passed,7} passed {o.Failures.Count,6} failed {o.Allowed.Count,5} allowed {o.Skipped.Count,5} skipped  {o.Corpus}/{o.RelativePath}");
            foreach (var f in o.Failures.Take(showFailures)) Console.WriteLine("    " + f.Replace("\n", "\n    ", StringComparison.Ordinal));
        }

        Console.WriteLine();
        foreach (var corpus in outcomes.GroupBy(o => o.Corpus))
        {
            long passed = corpus.Sum(o => o.Passed), failed = corpus.Sum(o => o.Failures.Count), allowed = corpus.Sum(o => o.Allowed.Count), skipped = corpus.Sum(o => o.Skipped.Count);
            var run = passed + failed + allowed;
            Console.WriteLine($"corpus {corpus.Key}: records {passed} passed, {failed} failed, {allowed} allowed differences, {skipped} skipped; "
                + $"{Percent(passed + allowed, run)} of records run pass or differ as documented; files fully passing {corpus.Count(o => o.FullyPasses || (o.Failures.Count == 0 && o.Allowed.Count > 0))} of {corpus.Count()}");
            if (corpus.Key == "duckdb-slt") DuckDbPortableFiles(corpus.ToList(), files);
            foreach (var reason in corpus.SelectMany(o => o.Skipped).GroupBy(s => s.Reason).OrderByDescending(g => g.Count()).Take(8))
                Console.WriteLine($"  skipped {reason.Count(),6}: {reason.Key}");
            foreach (var reason in corpus.SelectMany(o => o.Allowed).GroupBy(a => a.Reason).OrderByDescending(g => g.Count()))
                Console.WriteLine($"  allowed {reason.Count(),6}: {reason.Key}");
        }
        if (listPassing)
        {
            Console.WriteLine();
            foreach (var o in outcomes.Where(o => o.Failures.Count == 0 && o.Passed > 0)) Console.WriteLine($"{o.Corpus}/{o.RelativePath}");
        }
        long totalPassed = outcomes.Sum(o => o.Passed), totalFailed = outcomes.Sum(o => o.Failures.Count);
        Console.WriteLine($"({sw.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine($"{totalPassed} passed, {totalFailed} failed");
        return totalFailed == 0 ? 0 : 1;
    }

    /// <summary>The DuckDB goal is stated over the files its manifest does not flag as using DuckDB-only syntax.</summary>
    private static void DuckDbPortableFiles(List<FileOutcome> outcomes, List<string> files)
    {
        var (_, corpusRoot, _) = ConformanceRun.Locate(files.First(f => ConformanceRun.Locate(f).Corpus == "duckdb-slt"));
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(corpusRoot, "MANIFEST-public.tsv")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 5 && parts[4].Length > 0) flagged.Add(parts[0]);
        }
        var portable = outcomes.Where(o => !flagged.Contains(o.RelativePath)).ToList();
        var passing = portable.Count(o => o.Failures.Count == 0 && (o.Passed > 0 || o.Allowed.Count > 0));
        Console.WriteLine($"  files without DuckDB-only syntax (manifest): {passing} of {portable.Count} fully pass ({Percent(passing, portable.Count)})");
    }

    private static string Percent(long part, long whole) => whole == 0 ? "n/a" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
