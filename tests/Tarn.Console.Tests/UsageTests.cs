namespace Tarn.Console.Tests;

/// <summary>Command-line handling that ends before a database is opened.</summary>
public class UsageTests
{
    [Fact]
    public void Unknown_option_prints_usage_to_stderr_and_exits_2()
    {
        var run = ConsoleHarness.RunRaw("", "--frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("unknown option '--frobnicate'", run.Error);
        Assert.Contains("Usage: tarn", run.Error);
    }

    [Fact]
    public void Bad_format_exits_2()
    {
        var run = ConsoleHarness.RunRaw("", "--format", "xml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown format 'xml'", run.Error);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var run = ConsoleHarness.RunRaw("", "--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^tarn \d+\.\d+\.\d+\S*\n$", run.Out.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_goes_to_stdout()
    {
        var run = ConsoleHarness.RunRaw("", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: tarn [DB_DIR]", run.Out, StringComparison.Ordinal);
        Assert.Contains("--format", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Missing_file_is_reported_before_anything_runs()
    {
        using var harness = new ConsoleHarness();
        var missing = Path.Combine(harness.Root, "missing.sql");

        var run = harness.Run("-c", "CREATE TABLE never_made (x INT)", "-f", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot read '{missing}'", run.Error);
        Assert.False(Directory.Exists(harness.DatabasePath), "the database must not even be opened");
    }
}
