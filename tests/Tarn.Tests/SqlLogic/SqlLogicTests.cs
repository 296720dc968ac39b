namespace Tarn.Tests.SqlLogic;

/// <summary>Runs every <c>tests/Tarn.Tests/sql/**/*.test</c> file, each on a fresh database.</summary>
public class SqlLogicTests
{
    public static string SqlDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    public static IEnumerable<object[]> Files() =>
        Directory.EnumerateFiles(SqlDirectory, "*.test", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SqlDirectory, f)).Order(StringComparer.Ordinal).Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Files))]
    public void File_passes(string file)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-slt-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var runner = new SqlLogicRunner(dir);
            runner.Run(file, SqlLogicFile.Parse(File.ReadAllText(Path.Combine(SqlDirectory, file))));
            Assert.True(runner.Failures.Count == 0, string.Join("\n\n", runner.Failures));
            Assert.True(runner.Passed > 0, "the file ran no record");
            Assert.True(runner.Skipped.Count == 0, "our own files skip nothing: " + string.Join(", ", runner.Skipped.Select(k => $"line {k.Line}: {k.Reason}")));
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
