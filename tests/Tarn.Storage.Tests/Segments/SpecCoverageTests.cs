using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Tarn.Storage.Tests.Segments;

/// <summary>
/// Every requirement id of the segment, encoding and checksum spec pages is enforced by at least one test
/// (a <c>[Trait("Spec", id)]</c>), and every such trait names a requirement that exists.
/// </summary>
public partial class SpecCoverageTests
{
    private static readonly string[] Pages = ["03-segment-file.md", "04-encodings.md", "08-checksums.md"];

    [GeneratedRegex(@"\*\*\[((?:SEG|ENC|CRC)-\d{3})\]\*\*|\[((?:SEG|ENC|CRC)-\d{3})\]")]
    private static partial Regex RequirementId();

    private static string SpecDirectory([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "storage-spec");
                if (File.Exists(Path.Combine(candidate, Pages[0]))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("storage-spec not found above the test assembly or its sources");
    }

    /// <summary>Ids defined by a page: bold ids (**[SEG-001]**) define, plain ones only refer.</summary>
    private static HashSet<string> DefinedIds()
    {
        var ids = new HashSet<string>();
        foreach (var page in Pages)
        {
            foreach (Match m in RequirementId().Matches(File.ReadAllText(Path.Combine(SpecDirectory(), page))))
                if (m.Groups[1].Success) ids.Add(m.Groups[1].Value);
        }
        return ids;
    }

    private static HashSet<string> TestedIds()
    {
        var ids = new HashSet<string>();
        var methods = typeof(SpecCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));
        foreach (var method in methods)
        {
            foreach (var attribute in method.GetCustomAttributesData())
            {
                if (attribute.AttributeType.Name != "TraitAttribute" || attribute.ConstructorArguments.Count != 2) continue;
                if ((string?)attribute.ConstructorArguments[0].Value != "Spec") continue;
                var id = (string)attribute.ConstructorArguments[1].Value!;
                if (id.StartsWith("SEG-", StringComparison.Ordinal) || id.StartsWith("ENC-", StringComparison.Ordinal) || id.StartsWith("CRC-", StringComparison.Ordinal))
                    ids.Add(id);
            }
        }
        return ids;
    }

    [Fact]
    public void Every_requirement_has_a_test() =>
        Assert.Empty(DefinedIds().Except(TestedIds()).Order());

    [Fact]
    public void Every_spec_trait_names_a_requirement() =>
        Assert.Empty(TestedIds().Except(DefinedIds()).Order());

    [Fact]
    public void Requirement_ids_are_defined_once()
    {
        var all = Pages.SelectMany(p => RequirementId().Matches(File.ReadAllText(Path.Combine(SpecDirectory(), p))))
            .Where(m => m.Groups[1].Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
