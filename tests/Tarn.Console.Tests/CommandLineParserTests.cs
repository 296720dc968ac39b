using Tarn.Console.Cli;

namespace Tarn.Console.Tests;

public class CommandLineParserTests
{
    [Fact]
    public void Keeps_mixed_c_and_f_in_command_line_order()
    {
        var options = CommandLineParser.Parse(["db", "-c", "SELECT 1", "-f", "a.sql", "--command=SELECT 2", "-fb.sql", "-cSELECT 3"]);

        Assert.Equal("db", options.DatabasePath);
        Assert.Equal(
            [
                ScriptSource.Command("SELECT 1", 1),
                ScriptSource.File("a.sql"),
                ScriptSource.Command("SELECT 2", 2),
                ScriptSource.File("b.sql"),
                ScriptSource.Command("SELECT 3", 3),
            ],
            options.Scripts);
    }

    [Fact]
    public void Option_values_may_start_with_a_dash_and_the_database_may_come_last()
    {
        var options = CommandLineParser.Parse(["-c", "-- only a comment", "--format", "json", "mydb"]);

        Assert.Equal("-- only a comment", Assert.Single(options.Scripts).Argument);
        Assert.Equal(OutputFormat.Json, options.Format);
        Assert.Equal("mydb", options.DatabasePath);
    }

    [Theory]
    [InlineData("table", "table")]
    [InlineData("CSV", "csv")]
    [InlineData("json", "json")]
    public void Parses_formats(string name, string expected)
    {
        Assert.Equal(expected, CommandLineParser.Parse(["--format", name]).Format.Name());
        Assert.Equal(expected, CommandLineParser.Parse([$"--format={name}"]).Format.Name());
    }

    [Fact]
    public void Defaults_to_table_and_the_default_database()
    {
        var options = CommandLineParser.Parse([]);

        Assert.Null(options.DatabasePath);
        Assert.Empty(options.Scripts);
        Assert.Equal(OutputFormat.Table, options.Format);
        Assert.False(options.ShowHelp || options.ShowVersion);
    }

    [Fact]
    public void Dash_f_dash_means_stdin_and_double_dash_ends_options()
    {
        var options = CommandLineParser.Parse(["-f", "-", "--", "-odd-name"]);

        Assert.Equal(ScriptSourceKind.Stdin, Assert.Single(options.Scripts).Kind);
        Assert.Equal("-odd-name", options.DatabasePath);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("-c")]
    [InlineData("--format")]
    [InlineData("--format", "xml")]
    [InlineData("db1", "db2")]
    [InlineData("--help=yes")]
    public void Rejects_bad_command_lines(params string[] args) =>
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(args));

    [Fact]
    public void Recognizes_help_and_version()
    {
        Assert.True(CommandLineParser.Parse(["--help"]).ShowHelp);
        Assert.True(CommandLineParser.Parse(["-h"]).ShowHelp);
        Assert.True(CommandLineParser.Parse(["--version"]).ShowVersion);
        Assert.True(CommandLineParser.Parse(["-V"]).ShowVersion);
    }

    [Fact]
    public void Describes_sources_for_error_messages()
    {
        Assert.Equal("-c #2", ScriptSource.Command("x", 2).Describe());
        Assert.Equal("-f load.sql", ScriptSource.File("load.sql").Describe());
        Assert.Equal("stdin", ScriptSource.Stdin.Describe());
        Assert.Equal("", ScriptSource.Prompt.Describe());
    }
}
