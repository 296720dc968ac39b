namespace Tarn.Console.Tests;

/// <summary>The interactive prompt, driven line by line from a TextReader.</summary>
public class PromptTests : IDisposable
{
    private readonly ConsoleHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Multi_line_statements_errors_and_quit()
    {
        var typed = string.Join('\n',
            "CREATE TABLE r_t",
            "  (x INT);",
            "SELEC oops;",
            "INSERT INTO r_t VALUES (7);",
            "SELECT x * 6 AS answer",
            "FROM r_t;",
            ".quit",
            "SELECT 'after quit' AS never;");

        var run = _harness.RunPrompt(typed);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Error [42601]", run.Error);
        Assert.Contains("  at line 1, column", run.Error);
        Assert.Contains(" answer\n", run.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("     42\n(1 row)", run.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("never", run.Out);
    }

    [Fact]
    public void Mode_switches_the_output_format()
    {
        var run = _harness.RunPrompt(".mode csv\nSELECT 1 AS a;\n.mode\n.mode xml\n.mode json\nSELECT 2 AS b;\n");

        Assert.Equal(0, run.ExitCode);
        var output = run.Out.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("a\n1\n", output);
        Assert.Contains("Output format: csv", output);
        Assert.Contains("[{\"b\":2}]", output);
        Assert.Contains("Unknown format 'xml'", run.Error);
    }

    [Fact]
    public void End_of_input_runs_an_unterminated_statement_and_exits()
    {
        var run = _harness.RunPrompt("SELECT 40 + 2 AS total");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("42", run.Out);
    }

    [Fact]
    public void Error_positions_are_relative_to_the_typed_statement()
    {
        var run = _harness.RunPrompt("SELECT 1 AS a;\nSELECT 1\n  FORM nothing;\n.exit\n");

        Assert.Contains("  at line 2, column", run.Error);
        Assert.Contains("\n    FORM nothing;\n", run.Error.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_read_and_unknown_commands()
    {
        var file = _harness.WriteFile("more.sql", "SELECT 'from file' AS source;\n");

        var run = _harness.RunPrompt($".help\n.read {file}\n.nonsense\n");

        Assert.Contains(".mode [FORMAT]", run.Out);
        Assert.Contains("from file", run.Out);
        Assert.Contains("Unknown command '.nonsense'", run.Error);
    }
}
