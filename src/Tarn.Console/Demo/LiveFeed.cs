using System.Diagnostics;
using System.Globalization;

namespace Tarn.Console.Demo;

/// <summary>
/// The live part of the demo: a rate-limited generator streams as many orders again into log_table through a
/// bounded streaming job, and an ad-hoc query on the real-time table runs every half second until the feed ends.
/// </summary>
internal sealed class LiveFeed(TarnSession session, DemoNarrator say, int rows)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A feed that has not ended after this long is reported as a failure rather than waited for forever.</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(5);

    private const string OlapQuery = "SELECT count(*) AS orders, sum(amount) AS revenue FROM stream_db.order_table;";

    /// <summary>About two seconds of input at any size.</summary>
    private int RowsPerSecond => Math.Max(1, rows / 2);

    private string GeneratorDdl => $"""
        CREATE TABLE ods_db.log_generator_live (
            id BIGINT,
            amount INT,
            user_id BIGINT,
            status_code INT,
            ts TIMESTAMP(3)
        ) WITH (
            'connector' = 'datagen',
            'number-of-rows' = '{N(rows)}',
            'rows-per-second' = '{N(RowsPerSecond)}',
            'seed' = '43',
            'fields.id.kind' = 'sequence',
            'fields.id.start' = '{N(rows + 1L)}',
            'fields.id.end' = '{N(2L * rows)}',
            'fields.amount.min' = '1',
            'fields.amount.max' = '500',
            'fields.user_id.min' = '1',
            'fields.user_id.max' = '50',
            'fields.status_code.min' = '0',
            'fields.status_code.max' = '2',
            'fields.ts.max-past' = '6 h'
        );
        """;

    private const string FeedInsert = """
        INSERT INTO ods_db.log_table
        SELECT id, CAST(amount AS DOUBLE), user_id,
               CASE status_code WHEN 0 THEN 'created' WHEN 1 THEN 'paid' ELSE 'shipped' END,
               ts
        FROM ods_db.log_generator_live;
        """;

    public async Task RunAsync(Func<string, Task> recordJob, CancellationToken cancellation)
    {
        await Show(GeneratorDdl);
        await Show("SET 'execution.runtime-mode' = 'streaming';");
        var submitted = await Show(FeedInsert);
        var job = (string)submitted.GetValue(0, submitted.ColumnIndex("job id"))!;
        await recordJob(job);
        await Show("SET 'execution.runtime-mode' = 'batch';");

        say.Say("The ad-hoc query, repeated while the orders stream in:");
        say.Sql(OlapQuery);
        say.Line("");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (string?)(await session.ExecuteAsync($"SELECT status FROM tarn_jobs WHERE job_id = '{job}'")).GetValue(0, 0);
            var now = await session.ExecuteAsync(OlapQuery);
            say.Line($"  after {clock.Elapsed.TotalSeconds,4:0.0} s: {now.GetValue(0, 0),8} orders, revenue {Money(now.GetValue(0, 1))}");
            if (status != "RUNNING")
            {
                if (status != "FINISHED") throw new DemoFailedException($"the feeding job {job} ended {status}");
                say.Line($"  the generator's job finished: {N(rows)} more orders are in log_table");
                return;
            }
            if (clock.Elapsed > MaxDuration) throw new DemoFailedException($"the feeding job {job} did not finish within {MaxDuration.TotalMinutes} minutes");
            await Task.Delay(PollInterval, cancellation);
        }
    }

    private async Task<TarnResult> Show(string sql)
    {
        say.Sql(sql.TrimEnd());
        TarnResult result;
        try
        {
            result = await session.ExecuteAsync(sql);
        }
        catch (TarnException e)
        {
            say.Error(e, sql);
            throw new DemoFailedException("a statement failed (see above)");
        }
        say.Result(result);
        return result;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(object? value) => value is double d ? d.ToString("N0", CultureInfo.InvariantCulture) : "NULL";
}
