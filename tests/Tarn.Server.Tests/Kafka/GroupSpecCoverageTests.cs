using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Every KGRP requirement of storage-spec/12-kafka-groups.md has a test (<c>[Trait("Spec", id)]</c>) and every such trait names one.</summary>
public sealed partial class GroupSpecCoverageTests
{
    [GeneratedRegex(@"^- \[(KGRP-\d{3})\]", RegexOptions.Multiline)]
    private static partial Regex DefinedId();

    private static string SpecPage([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source)! })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "storage-spec", "12-kafka-groups.md");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException("storage-spec/12-kafka-groups.md not found above the tests");
    }

    [Fact]
    public void Every_kgrp_requirement_has_a_test_and_every_kgrp_trait_names_one()
    {
        var defined = DefinedId().Matches(File.ReadAllText(SpecPage())).Select(m => m.Groups[1].Value).ToHashSet();
        var tested = typeof(GroupSpecCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributesData())
            .Where(a => a.AttributeType.Name == "TraitAttribute" && a.ConstructorArguments.Count == 2 && (string?)a.ConstructorArguments[0].Value == "Spec")
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .Where(id => id.StartsWith("KGRP-", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Equal(6, defined.Count);
        Assert.Empty(defined.Except(tested).Order());
        Assert.Empty(tested.Except(defined).Order());
    }
}
