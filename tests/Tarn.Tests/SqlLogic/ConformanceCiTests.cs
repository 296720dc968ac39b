using System.Globalization;

namespace Tarn.Tests.SqlLogic;

/// <summary>
/// The public-corpus files listed in <c>tests/conformance/ci-files.txt</c> (paths under <c>../shared/conformance/</c>,
/// optionally followed by a record limit for the largest files) must keep passing: a regression guard that grows as
/// the engine does. The whole corpora are measured with the conformance command (README).
/// </summary>
public class ConformanceCiTests
{
    private static readonly string Root = ConformanceRun.RepositoryRoot(AppContext.BaseDirectory);
    private static readonly AllowList Allowed = AllowList.Load(Path.Combine(Root, "tests", "conformance", "allow-list.tsv"));

    public static IEnumerable<object[]> Files()
    {
        var root = ConformanceRun.RepositoryRoot(AppContext.BaseDirectory);
        foreach (var line in File.ReadLines(Path.Combine(root, "tests", "conformance", "ci-files.txt")))
        {
            var l = line.Trim();
            if (l.Length == 0 || l.StartsWith('#')) continue;
            yield return [l];
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Corpus_file_passes(string entry)
    {
        var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var file = Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance", parts[0]));
        Assert.True(File.Exists(file), $"corpus file {file} is missing: the public corpora are expected beside the repository in ../shared");
        var max = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : int.MaxValue;
        var outcome = ConformanceRun.RunFile(file, Allowed, max);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures.Take(10)));
        Assert.True(outcome.Passed > 0, "the file ran no record");
    }
}
