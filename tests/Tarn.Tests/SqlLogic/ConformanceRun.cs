namespace Tarn.Tests.SqlLogic;

/// <summary>The outcome of one corpus file: every record is passed, failed, allowed (a documented difference) or skipped.</summary>
public sealed record FileOutcome(
    string Corpus,
    string RelativePath,
    int Passed,
    IReadOnlyList<string> Failures,
    IReadOnlyList<(string Message, string Reason)> Allowed,
    IReadOnlyList<SkippedRecord> Skipped)
{
    public bool FullyPasses => Failures.Count == 0 && Passed > 0;
}

/// <summary>
/// Runs files of the public sqllogictest corpora (<c>../shared/conformance/{sqlite-slt,duckdb-slt}</c>) on a fresh
/// database each, applying the allow-list. Used by the conformance command and by the CI regression test.
/// </summary>
public static class ConformanceRun
{
    /// <summary>The repository root (the folder holding Embedded.sln), searched upwards from <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no Embedded.sln above {start}");
    }

    /// <summary>The corpus of a file: the nearest folder above it holding MANIFEST-public.tsv, and the path relative to it.</summary>
    public static (string Corpus, string Root, string RelativePath) Locate(string file)
    {
        var full = Path.GetFullPath(file);
        for (var dir = new FileInfo(full).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MANIFEST-public.tsv")))
                return (dir.Name, dir.FullName, Path.GetRelativePath(dir.FullName, full).Replace('\\', '/'));
        }
        return ("(other)", Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>
    /// Session options that give Tarn the defaults of the engine a corpus was written for, where Tarn supports that
    /// engine's option: DuckDB sorts NULLs last in both directions unless a file says otherwise, while Tarn's default
    /// is Flink's (NULL smallest, which SQLite shares).
    /// </summary>
    public static IReadOnlyList<string> SessionSetup(string corpus) =>
        corpus == "duckdb-slt" ? ["SET 'default_null_order' = 'nulls_last'"] : [];

    public static FileOutcome RunFile(string file, AllowList allowList, int maxRecords = int.MaxValue)
    {
        var (corpus, _, relative) = Locate(file);
        var dir = Path.Combine(Path.GetTempPath(), "tarn-conf-" + Guid.NewGuid().ToString("N")[..10]);
        var records = SqlLogicFile.Parse(File.ReadAllText(file)).Take(maxRecords).ToList();
        var runner = new SqlLogicRunner(dir, SessionSetup(corpus)) { IgnoreErrorMessages = corpus != "(other)", DuckDbValues = corpus == "duckdb-slt" };
        try
        {
            runner.Run(relative, records);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            runner.Failures.Add($"{relative}: the runner stopped: {e.GetType().Name}: {e.Message}");
            runner.FailedLines.Add(0);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        var failures = new List<string>();
        var allowed = new List<(string, string)>();
        for (var i = 0; i < runner.Failures.Count; i++)
        {
            if (allowList.Find(corpus, relative, runner.FailedLines[i]) is { } difference) allowed.Add((runner.Failures[i], difference.Reason));
            else failures.Add(runner.Failures[i]);
        }
        return new FileOutcome(corpus, relative, runner.Passed, failures, allowed, runner.Skipped);
    }
}
