namespace Tarn.Tests.SqlLogic;

/// <summary>One documented, deliberate difference between Tarn and the engine a public corpus was written for.</summary>
public sealed record AllowedDifference(string Corpus, string PathPattern, IReadOnlySet<int>? Lines, string Reason)
{
    public bool Matches(string corpus, string relativePath, int line)
    {
        if (!string.Equals(corpus, Corpus, StringComparison.Ordinal)) return false;
        var pathMatches = PathPattern.EndsWith('*')
            ? relativePath.StartsWith(PathPattern[..^1], StringComparison.Ordinal)
            : string.Equals(relativePath, PathPattern, StringComparison.Ordinal);
        return pathMatches && (Lines is null || Lines.Contains(line));
    }
}

/// <summary>
/// <c>tests/conformance/allow-list.tsv</c>: records of the public corpora whose expected results follow another engine's
/// semantics where Tarn follows Flink's on purpose. Columns: corpus, path (relative to the corpus; a trailing
/// <c>*</c> matches a prefix), lines (comma-separated, or <c>*</c> for the whole file), reason. A failing record that
/// matches is reported as an allowed difference with its reason, never hidden.
/// </summary>
public sealed class AllowList
{
    private readonly List<AllowedDifference> _entries;

    private AllowList(List<AllowedDifference> entries) => _entries = entries;

    public static AllowList Empty { get; } = new([]);

    public IReadOnlyList<AllowedDifference> Entries => _entries;

    public static AllowList Load(string path)
    {
        var entries = new List<AllowedDifference>();
        var lineNo = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNo++;
            if (raw.Length == 0 || raw.StartsWith('#')) continue;
            var parts = raw.Split('\t');
            if (parts.Length != 4 || parts[3].Trim().Length == 0)
                throw new FormatException($"{path}:{lineNo}: expected corpus, path, lines and a reason separated by tabs");
            IReadOnlySet<int>? lines = parts[2] == "*"
                ? null
                : parts[2].Split(',').Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            entries.Add(new AllowedDifference(parts[0], parts[1], lines, parts[3].Trim()));
        }
        return new AllowList(entries);
    }

    public AllowedDifference? Find(string corpus, string relativePath, int line)
    {
        foreach (var e in _entries)
        {
            if (e.Matches(corpus, relativePath, line)) return e;
        }
        return null;
    }
}
