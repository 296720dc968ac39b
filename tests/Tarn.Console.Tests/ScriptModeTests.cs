namespace Tarn.Console.Tests;

/// <summary>-c, -f and stdin scripts against a real database in a temporary directory.</summary>
public class ScriptModeTests : IDisposable
{
    private readonly ConsoleHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    [Fact]
    public void Runs_mixed_c_and_f_in_command_line_order()
    {
        var file = _harness.WriteFile("middle.sql", "SELECT 2 AS b;\nSELECT 3 AS c;\n");

        var run = _harness.Run("-c", "SELECT 1 AS a", "-f", file, "-c", "SELECT 4 AS d", "--format", "csv");

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("a\n1\nb\n2\nc\n3\nd\n4\n", Lf(run.Out));
    }

    [Fact]
    public void First_error_exits_1_and_later_statements_do_not_run()
    {
        var run = _harness.Run(
            "-c", "CREATE TABLE first_t (x INT)",
            "-c", "SELEC 1",
            "-c", "CREATE TABLE never_t (x INT)");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error [42601]: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("-c #2", run.Error);

        var tables = _harness.Run("-c", "SHOW TABLES");
        Assert.Equal(0, tables.ExitCode);
        Assert.Contains("first_t", tables.Out);
        Assert.DoesNotContain("never_t", tables.Out);
    }

    [Fact]
    public void Error_in_a_file_names_the_file_line_and_puts_a_caret_under_the_column()
    {
        var file = _harness.WriteFile("load.sql", "CREATE TABLE ok_t (x INT);\n\nSELECT x FORM ok_t;\nCREATE TABLE not_reached (x INT);\n");

        var run = _harness.Run("-f", file);

        Assert.Equal(1, run.ExitCode);
        var lines = Lf(run.Error).Split('\n');
        Assert.StartsWith("Error [42601]: ", lines[0], StringComparison.Ordinal);
        var match = System.Text.RegularExpressions.Regex.Match(lines[1], $@"^  at -f {System.Text.RegularExpressions.Regex.Escape(file)}, line 3, column (\d+):$");
        Assert.True(match.Success, $"unexpected location line: {lines[1]}");
        var column = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("  SELECT x FORM ok_t;", lines[2]);
        Assert.Equal(new string(' ', 2 + column - 1) + "^", lines[3]);
        Assert.InRange(column, 1, "SELECT x FORM ok_t;".Length + 1);
    }

    [Fact]
    public void Reads_a_script_from_stdin_when_there_is_no_c_or_f()
    {
        var script = "CREATE TABLE s_t (x INT);\nINSERT INTO s_t VALUES (2), (1);\nSELECT x FROM s_t ORDER BY x;\n";

        var run = _harness.RunWithStdin(script, "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("x\n1\n2\n", Lf(run.Out));
        Assert.NotEqual("", run.Error); // the CREATE and INSERT status lines go to stderr in csv mode
    }

    [Fact]
    public void Stdin_script_errors_name_stdin_and_exit_1()
    {
        var run = _harness.RunWithStdin("SELECT 1;\nSELEC 2;\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("at stdin, line 2", run.Error);
    }

    [Fact]
    public void Table_is_the_default_format_and_is_plain_text_when_redirected()
    {
        var run = _harness.Run("-c", "SELECT 1 AS one, 'x' AS two");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(" one | two\n-----+-----\n   1 | x\n(1 row)\n", Lf(run.Out));
    }

    [Fact]
    public void Table_mode_prints_status_lines_for_ddl_and_dml()
    {
        var run = _harness.Run("-c", "CREATE TABLE st_t (x INT); INSERT INTO st_t VALUES (1), (2), (3)");

        Assert.Equal(0, run.ExitCode);
        var lines = Lf(run.Out).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("3", lines[1]);
    }

    [Fact]
    public void Json_format_writes_one_valid_array_per_result()
    {
        var run = _harness.Run("--format", "json", "-c", "SELECT 1 AS n, 'a\"b' AS s, CAST(NULL AS INT) AS z; SELECT TRUE AS t");

        Assert.Equal(0, run.ExitCode);
        var arrays = Lf(run.Out).TrimEnd('\n').Split("]\n");
        Assert.Equal(2, arrays.Length);
        using var first = System.Text.Json.JsonDocument.Parse(arrays[0] + "]");
        var row = Assert.Single(first.RootElement.EnumerateArray());
        Assert.Equal(1, row.GetProperty("n").GetInt32());
        Assert.Equal("a\"b", row.GetProperty("s").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("z").ValueKind);
        using var second = System.Text.Json.JsonDocument.Parse(arrays[1]);
        Assert.True(Assert.Single(second.RootElement.EnumerateArray()).GetProperty("t").GetBoolean());
    }

    [Fact]
    public void Csv_keeps_stdout_machine_readable()
    {
        var run = _harness.Run("--format", "csv", "-c", "CREATE TABLE c_t (s STRING); INSERT INTO c_t VALUES ('a,b'), (NULL), (''); SELECT s FROM c_t");

        Assert.Equal(0, run.ExitCode);
        var records = Rfc4180.Parse(Lf(run.Out));
        Assert.Equal(new string?[] { "s" }, records[0]);
        Assert.Equal(new[] { "a,b", null, "" }.Order(), records.Skip(1).Select(r => Assert.Single(r)).Order());
    }

    [Fact]
    public void Without_db_dir_uses_the_default_database_creating_parent_directories()
    {
        var home = Path.Combine(_harness.Root, "nested", "deeper", "default-db");
        var previous = Environment.GetEnvironmentVariable("TARN_HOME");
        Environment.SetEnvironmentVariable("TARN_HOME", home);
        try
        {
            var run = ConsoleHarness.RunRaw("", "-c", "CREATE TABLE d_t (x INT)");

            Assert.Equal(0, run.ExitCode);
            Assert.True(Directory.Exists(home));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TARN_HOME", previous);
        }
    }

    [Fact]
    public void A_database_that_cannot_be_opened_exits_1()
    {
        var notADirectory = _harness.WriteFile("plain-file", "not a database");

        var run = ConsoleHarness.RunRaw("", notADirectory, "-c", "SELECT 1");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error", run.Error, StringComparison.Ordinal);
    }
}
