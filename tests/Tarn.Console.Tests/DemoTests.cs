using System.Diagnostics;
using Tarn.Console.Demo;

namespace Tarn.Console.Tests;

/// <summary>
/// <c>tarn demo</c> and the article's example scripts: the whole scenario runs, and the result table the streaming job
/// keeps (mysql_table) holds exactly the batch aggregation over all orders.
/// </summary>
public class DemoTests
{
    private const string StreamingResult = "SELECT age, avg_amount FROM my_hive.stream_db.mysql_table ORDER BY age";

    private const string BatchAnswer = "SELECT age, avg(amount) AS avg_amount FROM my_hive.stream_db.order_with_user_age GROUP BY age ORDER BY age";

    [Fact]
    public async Task Demo_runs_the_article_and_its_streaming_result_equals_the_batch_answer_also_when_run_again()
    {
        using var harness = new ConsoleHarness();
        var first = ConsoleHarness.RunRaw("", "demo", harness.DatabasePath, "--rows", "300");
        Assert.True(first.ExitCode == 0, $"exit code {first.ExitCode}; stderr: {first.Error}");
        Assert.Contains("batch and streaming agree: ", first.Out, StringComparison.Ordinal);
        foreach (var statement in new[]
                 {
                     "LIKE stream_db.order_table (EXCLUDING OPTIONS)",
                     "JOIN user_info FOR SYSTEM_TIME AS OF order_table.proctime",
                     "INSERT INTO mysql_table SELECT age, avg(amount) FROM order_with_user_age GROUP BY age;",
                 })
        {
            Assert.Contains(statement, first.Out, StringComparison.Ordinal);
        }
        Assert.Equal(ResultTables.InSqlite, File.Exists(DemoCatalog.SqlitePathFor(harness.DatabasePath)));
        await AssertStreamingEqualsBatchAsync(harness.DatabasePath, orders: 600);

        // A second run recreates the demo's catalog and SQLite file, and the jobs of the first run are stopped.
        var second = ConsoleHarness.RunRaw("", "demo", harness.DatabasePath, "--rows", "100");
        Assert.True(second.ExitCode == 0, $"exit code {second.ExitCode}; stderr: {second.Error}");
        Assert.Contains("removed the previous run's catalog my_hive", second.Out, StringComparison.Ordinal);
        await AssertStreamingEqualsBatchAsync(harness.DatabasePath, orders: 200);
    }

    [Fact]
    public void Demo_leaves_a_my_hive_catalog_it_did_not_create_alone()
    {
        using var harness = new ConsoleHarness();
        Assert.Equal(0, harness.Run("-c", "CREATE CATALOG my_hive; CREATE TABLE my_hive.default_database.mine (x INT); INSERT INTO my_hive.default_database.mine VALUES (1)").ExitCode);
        var run = ConsoleHarness.RunRaw("", "demo", harness.DatabasePath, "--rows", "10");
        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains("already has a catalog 'my_hive' that the demo did not create", run.Error, StringComparison.Ordinal);
        var after = harness.Run("--format", "csv", "-c", "SELECT x FROM my_hive.default_database.mine");
        Assert.Equal("x\n1\n", after.Out);
    }

    [Fact]
    public async Task On_the_default_database_with_a_my_hive_of_its_own_the_demo_runs_in_a_database_beside_it()
    {
        using var harness = new ConsoleHarness();
        var home = Path.Combine(harness.Root, "default");
        var environment = new Dictionary<string, string> { ["TARN_HOME"] = home };
        var quickstart = await RunTarnAsync(harness.Root, environment, "-c", "CREATE CATALOG my_hive; CREATE TABLE my_hive.default_database.mine (x INT)");
        Assert.True(quickstart.Exit == 0, quickstart.Error);

        var demo = await RunTarnAsync(harness.Root, environment, "demo", "--rows", "20");
        Assert.True(demo.Exit == 0, $"exit code {demo.Exit}; stderr: {demo.Error}");
        var beside = Path.Combine(harness.Root, "demo");
        Assert.Contains($"the demo runs in {beside}", demo.Out, StringComparison.Ordinal);
        Assert.Contains("batch and streaming agree: ", demo.Out, StringComparison.Ordinal);

        var mine = await RunTarnAsync(harness.Root, environment, "--format", "csv", "-c", "SHOW TABLES IN my_hive.default_database");
        Assert.Equal("table name\nmine\n", mine.Out);
        await AssertStreamingEqualsBatchAsync(beside, orders: 40);
    }

    [Theory]
    [InlineData("--rows", "0", "--rows needs a whole number")]
    [InlineData("--rows", "many", "--rows needs a whole number")]
    [InlineData("--nope", "", "unknown demo option '--nope'")]
    public void Demo_rejects_a_bad_command_line(string option, string value, string message)
    {
        var run = ConsoleHarness.RunRaw("", value.Length == 0 ? ["demo", option] : ["demo", option, value]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_help_names_its_options()
    {
        var run = ConsoleHarness.RunRaw("", "demo", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(DemoOptions.Usage, run.Out, StringComparison.Ordinal);
        Assert.Contains("--kafka BOOTSTRAP", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparison_names_every_age_that_differs_is_missing_or_is_extra()
    {
        using var harness = new ConsoleHarness();
        await using var db = await TarnDatabase.OpenAsync(harness.DatabasePath);
        var streaming = await db.ExecuteAsync("SELECT * FROM (VALUES (18, 1.0E0), (19, 2.0E0), (21, 4.0E0)) AS t (age, avg_amount) ORDER BY age");
        var batch = await db.ExecuteAsync("SELECT * FROM (VALUES (18, 1.0E0), (19, 2.5E0), (20, 3.0E0)) AS t (age, avg_amount) ORDER BY age");
        Assert.Equal(
            ["age 19: batch 2.5, streaming 2", "age 20: batch 3, missing in the streaming table", "age 21: streaming 4, not in the batch answer"],
            DemoComparison.Differences(streaming, batch));
        Assert.Empty(DemoComparison.Differences(batch, batch));
    }

    [Fact]
    public void Script_splitting_keeps_comments_inside_statements_and_narrates_the_ones_above()
    {
        var statements = ArticleScripts.Split("-- title\n-- run: x\n\n-- makes t\nCREATE TABLE t (\n  a INT -- the a; not the end\n);\n\nSELECT ';' FROM t;\n");
        Assert.Equal(2, statements.Count);
        Assert.Equal(["makes t"], statements[0].Narration);
        Assert.Equal("CREATE TABLE t (\n  a INT -- the a; not the end\n);", statements[0].Sql);
        Assert.Empty(statements[1].Narration);
        Assert.Equal("SELECT ';' FROM t;", statements[1].Sql);
    }

    /// <summary>
    /// Every example script shipped next to the console runs in order with <c>tarn DB_DIR --wait-jobs -f FILE</c>, one
    /// child process each, from one working directory (where the scripts' relative SQLite file lands).
    /// </summary>
    [Fact]
    public async Task Example_scripts_run_in_order_with_tarn_f_and_streaming_equals_batch()
    {
        using var harness = new ConsoleHarness();
        var shipped = Path.Combine(AppContext.BaseDirectory, "Examples", "article");
        foreach (var name in ArticleScripts.InOrder)
        {
            var path = Path.Combine(shipped, name);
            Assert.True(File.Exists(path), $"{name} is not shipped next to the console: {path}");
            Assert.Equal(ArticleScripts.Text(name), File.ReadAllText(path)); // the demo runs the same text
            var script = harness.WriteFile(name, ResultTables.Adapt(File.ReadAllText(path)));
            var (exit, output, error) = await RunTarnAsync(harness.Root, harness.DatabasePath, "--wait-jobs", "-f", script);
            Assert.True(exit == 0, $"{name}: exit code {exit}; stderr: {error}\nstdout: {output}");
        }
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Examples", "article", ArticleScripts.OdsKafka)));
        Assert.Equal(ResultTables.InSqlite, File.Exists(Path.Combine(harness.Root, "tarn-article.db")));

        // Checked with tarn from the same directory: the scripts' SQLite file is relative to it.
        var counts = await RunTarnAsync(harness.Root, harness.DatabasePath, "--wait-jobs", "--format", "csv", "-c",
            "SELECT (SELECT count(*) FROM my_hive.stream_db.order_table) AS s, (SELECT count(*) FROM my_hive.batch_db.order_table) AS b");
        Assert.Equal("s,b\n2000,2000\n", counts.Out);
        var batch = await RunTarnAsync(harness.Root, harness.DatabasePath, "--format", "csv", "-c", BatchAnswer);
        var streaming = await RunTarnAsync(harness.Root, harness.DatabasePath, "--format", "csv", "-c", StreamingResult);
        Assert.True(batch.Exit == 0 && streaming.Exit == 0, batch.Error + streaming.Error);
        Assert.True(batch.Out.Split('\n').Length > 3, batch.Out);
        Assert.Equal(batch.Out, streaming.Out);
    }

    private static async Task AssertStreamingEqualsBatchAsync(string databasePath, int orders)
    {
        await using var db = await TarnDatabase.OpenAsync(databasePath);
        await db.WaitForJobsAsync();
        Assert.Equal((long)orders, db.Execute("SELECT count(*) FROM my_hive.stream_db.order_table").GetValue(0, 0));
        Assert.Equal((long)orders, db.Execute("SELECT count(*) FROM my_hive.batch_db.order_table").GetValue(0, 0));
        var batch = Rows(db.Execute(BatchAnswer));
        Assert.NotEmpty(batch);
        Assert.Equal(batch, Rows(db.Execute(StreamingResult)));
    }

    private static List<(object?, object?)> Rows(TarnResult result) => [.. result.Rows.Select(r => (r[0], r[1]))];

    private static Task<(int Exit, string Out, string Error)> RunTarnAsync(string workingDirectory, params string[] args) =>
        RunTarnAsync(workingDirectory, new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Out, string Error)> RunTarnAsync(string workingDirectory, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tarn.Console.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            // A guard against a hung child, not a timing assertion.
            try { await process.WaitForExitAsync(guard.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        }
        return (process.ExitCode, stdout, await stderr);
    }
}
