using System.Globalization;

namespace Tarn.Console.Demo;

/// <summary>A statement of the demo failed; it has been reported, the demo stops with exit status 1.</summary>
internal sealed class DemoFailedException(string message) : Exception(message);

/// <summary>
/// Runs the article's scenario step by step on an open database: the example scripts statement by statement with
/// their explanations, the live part (more orders while the jobs run, OLAP queries meanwhile) and the final check
/// that the streaming result equals the batch answer.
/// </summary>
internal sealed class DemoRunner(TarnDatabase db, DemoOptions options, DemoNarrator say)
{
    private readonly List<string> _jobs = [];

    private TarnSession Session => db.DefaultSession;

    /// <summary>For the demo's bookkeeping (the marker table), always in batch mode whatever the scripts SET.</summary>
    private readonly TarnSession _bookkeeping = db.CreateSession();

    public string SqlitePath { get; } = DemoCatalog.SqlitePathFor(db.Path);

    /// <summary>The streaming jobs the demo submitted, in order.</summary>
    public IReadOnlyList<string> Jobs => _jobs;

    public async Task<int> RunAsync(CancellationToken cancellation = default)
    {
        say.Heading("tarn demo: the article's warehouse, end to end");
        say.Say(DemoNarration.Intro);
        say.Line("");
        say.Line($"Database:    {db.Path}");
        if (ResultTables.InSqlite) say.Line($"SQLite file: {SqlitePath}");
        try
        {
            if (!await DemoCatalog.ResetAsync(db, _bookkeeping, SqlitePath, say)) return ExitCodes.Error;
            await StepsAsync(cancellation);
            var agree = await VerdictAsync();
            await FinishAsync();
            return agree ? ExitCodes.Success : ExitCodes.Error;
        }
        catch (DemoFailedException e)
        {
            say.Error($"tarn demo: {e.Message}");
            return ExitCodes.Error;
        }
        finally
        {
            _bookkeeping.Dispose();
        }
    }

    private async Task StepsAsync(CancellationToken cancellation)
    {
        var rows = options.Rows.ToString(CultureInfo.InvariantCulture);

        say.Heading("1. ODS: the raw order log and the two order tables");
        say.Say(DemoNarration.Ods);
        await RunScriptAsync(ArticleScripts.Ods, s => ArticleScripts.Substitute(s, ArticleScripts.OdsRows, rows, ArticleScripts.Ods));
        await DemoCatalog.CreateMarkerAsync(_bookkeeping);
        if (options.KafkaBootstrap is { } kafka)
        {
            say.Say(DemoNarration.OdsKafka);
            await RunScriptAsync(ArticleScripts.OdsKafka, s => ArticleScripts.Substitute(s, ArticleScripts.KafkaBootstrap, kafka, ArticleScripts.OdsKafka));
        }

        say.Heading("2. Import: log_table into stream_db.order_table and batch_db.order_table");
        say.Say(DemoNarration.Import);
        await RunScriptAsync(ArticleScripts.Import);
        await CatchUpAsync(cancellation);
        say.Say("Caught up: the same orders are in both tables, and batch_db.order_table has them in day/hour partitions.");
        await ShowAsync("""
            SELECT 'stream_db.order_table' AS table_name, count(*) AS orders FROM stream_db.order_table
            UNION ALL
            SELECT 'batch_db.order_table', count(*) FROM batch_db.order_table;
            """);
        await ShowAsync("SELECT ts_day, ts_hour, count(*) AS orders FROM batch_db.order_table GROUP BY ts_day, ts_hour ORDER BY ts_day, ts_hour;");

        say.Heading("3. Dimension: user_info in batch, in SQLite, and the lookup join into order_with_user_age (DWD)");
        say.Say(DemoNarration.Dimension);
        if (!ResultTables.InSqlite) say.Say(DemoNarration.NativeResultTables);
        await RunScriptAsync(ArticleScripts.Dimension);
        await CatchUpAsync(cancellation);
        await ShowAsync("SELECT count(*) AS orders_with_age, count(DISTINCT age) AS ages FROM stream_db.order_with_user_age;");

        say.Heading("4. DWS/ADS: average amount per age into mysql_table, once in batch mode");
        say.Say(DemoNarration.AdsBatch);
        await RunScriptAsync(ArticleScripts.AdsBatch);

        say.Heading("4. DWS/ADS: the same INSERT, continuously in streaming mode");
        say.Say(DemoNarration.AdsStreaming);
        await RunScriptAsync(ArticleScripts.AdsStreaming);

        say.Heading("5. Live: more orders arrive, ad-hoc queries while the jobs run");
        say.Say(DemoNarration.Live);
        await new LiveFeed(Session, say, options.Rows).RunAsync(RecordJobAsync, cancellation);
        await CatchUpAsync(cancellation);

        say.Heading("5. Ad-hoc queries and OLAP on the real-time tables");
        say.Say(DemoNarration.Olap);
        await RunScriptAsync(ArticleScripts.Olap);
    }

    /// <summary>Compares mysql_table (streaming) with the batch aggregation over all orders; true when equal.</summary>
    private async Task<bool> VerdictAsync()
    {
        say.Heading("Batch and streaming");
        say.Say(DemoNarration.Verdict);
        var streaming = await Session.ExecuteAsync("SELECT age, avg_amount FROM stream_db.mysql_table ORDER BY age");
        var batch = await Session.ExecuteAsync("SELECT age, avg(amount) AS avg_amount FROM stream_db.order_with_user_age GROUP BY age ORDER BY age");
        var differences = DemoComparison.Differences(streaming, batch);
        say.Line("");
        if (differences.Count == 0 && batch.RowCount > 0)
        {
            say.Line($"batch and streaming agree: {batch.RowCount} rows");
            return true;
        }
        say.Error($"batch and streaming DIFFER ({differences.Count} of {batch.RowCount} rows):");
        foreach (var difference in differences) say.Error("  " + difference);
        if (batch.RowCount == 0) say.Error("  (no rows at all: the jobs produced nothing)");
        return false;
    }

    private async Task FinishAsync()
    {
        if (!options.Keep)
        {
            foreach (var id in _jobs) await _bookkeeping.ExecuteAsync($"STOP JOB '{id}'");
            say.Say($"Stopped the demo's {_jobs.Count} streaming jobs (with --keep they stay and resume whenever the database opens). "
                + $"The tables stay in catalog {DemoCatalog.Catalog} until the next tarn demo; explore them with tarn, e.g.");
        }
        else
        {
            say.Say($"The demo's {_jobs.Count} streaming jobs keep running whenever the database is open (--keep). Explore with tarn, e.g.");
        }
        var database = options.DatabasePath is null ? "" : Quote(db.Path) + " ";
        say.Line($"    tarn {database}-c \"USE CATALOG my_hive; SELECT * FROM stream_db.mysql_table ORDER BY age\"");
        if (ResultTables.InSqlite) say.Line($"    sqlite3 {Quote(SqlitePath)} \"SELECT * FROM mysql_table ORDER BY age\"");
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    /// <summary>Runs every statement of an example script, showing its comments, SQL and result.</summary>
    private async Task RunScriptAsync(string name, Func<string, string>? adapt = null)
    {
        var text = ArticleScripts.Text(name);
        if (adapt is not null) text = adapt(text);
        if (text.Contains(ArticleScripts.SqliteUrl, StringComparison.Ordinal))
            text = ArticleScripts.Substitute(text, ArticleScripts.SqliteUrl, "jdbc:sqlite:" + SqlitePath.Replace("'", "''", StringComparison.Ordinal), name);
        text = ResultTables.Adapt(text);
        foreach (var statement in ArticleScripts.Split(text))
        {
            say.Statement(statement);
            await ExecuteAsync(statement.Sql);
        }
        // Like `tarn -f`, where each script starts a new session: what follows starts in batch mode again.
        await Session.ExecuteAsync("SET 'execution.runtime-mode' = 'batch'");
    }

    /// <summary>Runs a query of the demo's own (not from a script), showing its SQL and result.</summary>
    private async Task ShowAsync(string sql)
    {
        say.Sql(sql);
        await ExecuteAsync(sql);
    }

    private async Task ExecuteAsync(string sql)
    {
        TarnResult result;
        try
        {
            result = await Session.ExecuteAsync(sql);
        }
        catch (TarnException e)
        {
            say.Error(e, sql);
            throw new DemoFailedException("a statement failed (see above)");
        }
        say.Result(result);
        var job = result.ColumnIndex("job id");
        if (job >= 0 && result.RowCount == 1 && result.GetValue(0, job) is string id) await RecordJobAsync(id);
    }

    private async Task RecordJobAsync(string id)
    {
        _jobs.Add(id);
        await DemoCatalog.RecordJobAsync(_bookkeeping, id);
    }

    /// <summary>Waits until every job processed all committed input; a failed demo job stops the demo.</summary>
    private async Task CatchUpAsync(CancellationToken cancellation)
    {
        say.Line("");
        say.Line("(waiting for the streaming jobs to catch up)");
        await db.WaitForJobsAsync(cancellation);
        foreach (var row in (await Session.ExecuteAsync("SELECT job_id, statement, error FROM tarn_jobs WHERE status = 'FAILED'")).Rows)
            if (_jobs.Contains((string)row[0]!))
                throw new DemoFailedException($"the streaming job {row[0]} ({row[1]}) failed: {row[2]}");
    }
}
