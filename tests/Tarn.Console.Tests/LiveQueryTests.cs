using System.Threading.Channels;
using Tarn.Console.Live;

namespace Tarn.Console.Tests;

/// <summary>
/// The prompt's live streaming SELECT (Live/LiveQueryRunner.cs), driven without a terminal: the runner draws into a
/// StringWriter, another session commits rows, and cancelling (what Ctrl-C does) ends the view.
/// </summary>
public sealed class LiveQueryTests : IDisposable
{
    private readonly ConsoleHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string[] Lines(StringWriter output) =>
        output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A live query running in the background; <see cref="WaitForChanges"/> follows its progress, <see cref="StopAsync"/> is Ctrl-C.</summary>
    private sealed class Running(TarnDatabase db, LiveResultMode mode, string sql, Func<TextWriter, LiveView>? view = null)
    {
        private readonly Channel<LiveStatus> _progress = Channel.CreateUnbounded<LiveStatus>();
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;

        public StringWriter Output { get; } = new();

        public void Start()
        {
            _stop.CancelAfter(TimeSpan.FromMinutes(2)); // hang guard: a broken query ends the test instead of blocking
            var runner = new LiveQueryRunner(db.DefaultSession, new ConsoleIo(new StringReader(""), Output, new StringWriter()))
            {
                AfterBatch = status => _progress.Writer.TryWrite(status),
            };
            var subscription = db.DefaultSession.SubscribeAsync(sql, _stop.Token);
            _run = Task.Run(() => runner.RunAsync(subscription, view?.Invoke(Output) ?? runner.CreateView(mode), _stop.Token));
        }

        public async Task WaitForChanges(long changes)
        {
            while (await _progress.Reader.ReadAsync(_stop.Token) is var status && status.Changes < changes) { }
        }

        public async Task StopAsync()
        {
            Assert.False(_stop.IsCancellationRequested, "the hang guard fired");
            await _stop.CancelAsync();
            await _run!;
        }
    }

    [Fact]
    public async Task Changelog_mode_prints_each_change_as_it_arrives_until_cancelled()
    {
        using var db = TarnDatabase.Open(_harness.DatabasePath);
        db.Execute("CREATE TABLE src (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO src VALUES (1, 'ann')");
        var live = new Running(db, LiveResultMode.Changelog, "SELECT id, name FROM src");
        live.Start();
        await live.WaitForChanges(1);

        var other = db.CreateSession();
        await other.ExecuteAsync("INSERT INTO src VALUES (2, 'bob')");
        await live.WaitForChanges(2);
        await other.ExecuteAsync("UPDATE src SET name = 'bo' WHERE id = 2");
        await live.WaitForChanges(4);
        await live.StopAsync();

        Assert.Equal(
            [
                " op | id | name",
                "----+----+------",
                " +I |  1 | ann",
                " +I |  2 | bob",
                " -U |  2 | bob",
                " +U |  2 | bo",
                "Query stopped: 2 rows, 4 changes, " + Lines(live.Output)[^1][^8..],
            ],
            Lines(live.Output));
    }

    [Fact]
    public async Task Tableau_mode_draws_a_bordered_table_that_grows()
    {
        using var db = TarnDatabase.Open(_harness.DatabasePath);
        db.Execute("CREATE TABLE t (k STRING, v INT)");
        db.Execute("INSERT INTO t VALUES ('a', 1)");
        var live = new Running(db, LiveResultMode.Tableau, "SELECT k, SUM(v) AS total FROM t GROUP BY k");
        live.Start();
        await live.WaitForChanges(1);
        await db.CreateSession().ExecuteAsync("INSERT INTO t VALUES ('a', 41)");
        await live.WaitForChanges(3);
        await live.StopAsync();

        var border = "+----+----------------------+--------------+";
        var lines = Lines(live.Output);
        Assert.Equal(
            [
                border,
                "| op | k                    |        total |",
                border,
                "| +I | a                    |            1 |",
                "| -U | a                    |            1 |",
                "| +U | a                    |           42 |",
                border,
            ],
            lines[..^1]);
        Assert.StartsWith("Query stopped: 1 row, 3 changes, 00:", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_mode_without_a_terminal_prints_the_current_rows_when_stopped()
    {
        using var db = TarnDatabase.Open(_harness.DatabasePath);
        db.Execute("CREATE TABLE orders (id BIGINT, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO orders VALUES (1, 'x', 5), (2, 'y', 7)");
        var live = new Running(db, LiveResultMode.Table, "SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer");
        live.Start();
        await live.WaitForChanges(2);
        await db.CreateSession().ExecuteAsync("DELETE FROM orders WHERE id = 2");
        await live.WaitForChanges(3);
        await live.StopAsync();

        var lines = Lines(live.Output);
        Assert.Equal([" customer | total", "----------+-------", " x        |     5", "(1 row)"], lines[..^1]);
        Assert.StartsWith("Query stopped: 1 row, 3 changes", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_mode_on_a_terminal_redraws_a_spectre_live_display()
    {
        using var db = TarnDatabase.Open(_harness.DatabasePath);
        db.Execute("CREATE TABLE orders (id BIGINT, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO orders VALUES (1, 'x', 5)");
        var live = new Running(db, LiveResultMode.Table, "SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer",
            output => new SpectreLiveTableView(Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(output),
                Ansi = Spectre.Console.AnsiSupport.Yes,
                Interactive = Spectre.Console.InteractionSupport.Yes,
            })));
        live.Start();
        await live.WaitForChanges(1);
        await db.CreateSession().ExecuteAsync("UPDATE orders SET amount = 40 WHERE id = 1");
        await live.WaitForChanges(3);
        await live.StopAsync();

        var output = live.Output.ToString();
        Assert.Contains("customer", output, StringComparison.Ordinal);
        Assert.Contains("40", output, StringComparison.Ordinal);
        Assert.Contains("1 row, 1 change, 00:", output, StringComparison.Ordinal); // drawn while running
        Assert.Contains("Query stopped: 1 row, 3 changes", output, StringComparison.Ordinal); // the last drawing stays
    }

    [Fact]
    public void At_the_prompt_a_streaming_select_is_live_but_scripts_run_it_to_the_end()
    {
        const string setup = "SET 'execution.runtime-mode' = 'streaming';\n";
        const string query = "SELECT x, COUNT(*) AS n FROM (VALUES (1), (1), (2)) AS v(x) GROUP BY x;\n";

        // Bounded input (VALUES) ends the live query by itself, so the prompt goes on without a Ctrl-C.
        var prompt = _harness.RunPrompt(setup + "SET 'sql-client.execution.result-mode' = 'changelog';\n" + query + "SELECT 'next' AS s;\n");
        Assert.Equal(0, prompt.ExitCode);
        Assert.Contains(" op | x | n", prompt.Out, StringComparison.Ordinal);
        Assert.Contains(" +I | 2 | 1", prompt.Out, StringComparison.Ordinal);
        Assert.Contains("Query stopped: 2 rows,", prompt.Out, StringComparison.Ordinal);
        Assert.Contains("next", prompt.Out, StringComparison.Ordinal);

        var script = _harness.Run("-c", setup + query);
        Assert.Equal(0, script.ExitCode);
        Assert.DoesNotContain("Query stopped", script.Out, StringComparison.Ordinal);
        Assert.Contains("(2 rows)", script.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_modes_are_flinks_names_with_table_the_default()
    {
        Assert.Equal(LiveResultMode.Changelog, LiveResultModes.Parse("CHANGELOG"));
        Assert.Equal(LiveResultMode.Tableau, LiveResultModes.Parse(" tableau "));
        Assert.Equal(LiveResultMode.Table, LiveResultModes.Parse("table"));
        Assert.Equal(LiveResultMode.Table, LiveResultModes.Parse(null));
        Assert.Equal("1 row, 2 changes, 01:02:03 (Ctrl-C to stop)", new LiveStatus(1, 2, new TimeSpan(1, 2, 3)).ToString());
    }
}
