using System.Diagnostics;

namespace Tarn.Tests.Streaming;

/// <summary>
/// 'table.exec.source.idle-timeout': a watermarked source without new rows for the timeout is idle and left out of
/// the minimum of merged watermarks, so windows over a UNION ALL of an active and a silent table fire. Without the
/// option (0 = off, Flink's default) the silent table holds every window back.
/// </summary>
public sealed class IdleSourceTests : StreamingTestBase
{
    private const string Windows =
        "SELECT window_start, window_end, COUNT(*) AS n, SUM(v) AS s FROM TABLE(TUMBLE(TABLE ab, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

    /// <summary>Waits until <paramref name="table"/> has rows (idleness is a matter of wall-clock time), at most a generous bound.</summary>
    private static async Task<long> WaitForRows(TarnDatabase db, string table)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await db.WaitForJobsAsync();
            var n = (long)db.Execute($"SELECT COUNT(*) FROM {table}").Rows.Single()[0]!;
            if (n > 0 || clock.Elapsed > TimeSpan.FromSeconds(30)) return n;
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Windows_over_a_union_with_a_silent_table_fire_once_it_is_idle()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE a (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)");
        db.Execute("CREATE TABLE b (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)");
        db.Execute("CREATE VIEW ab AS SELECT * FROM a UNION ALL SELECT * FROM b");
        db.Execute("CREATE TABLE held (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, s BIGINT)");
        db.Execute("CREATE TABLE fired (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, s BIGINT)");
        Streaming(db);
        db.Execute("INSERT INTO held " + Windows);
        db.Execute("SET 'table.exec.source.idle-timeout' = '50 ms'");
        db.Execute("INSERT INTO fired " + Windows);
        Batch(db);
        db.Execute("INSERT INTO a VALUES (TIMESTAMP '2024-01-01 00:00:01', 1), (TIMESTAMP '2024-01-01 00:00:02', 2), (TIMESTAMP '2024-01-01 00:00:25', 4)");
        Assert.Equal(1, await WaitForRows(db, "fired"));
        // a's watermark is 24 s and b is idle: [0 s, 10 s) fired; [20 s, 30 s) is still open.
        Assert.Equal("01/01/2024 00:00:00|01/01/2024 00:00:10|2|3", Sorted(db.Execute("SELECT * FROM fired")));
        // Without the timeout the silent table holds the union's watermark (and every window) back.
        Assert.Empty(db.Execute("SELECT * FROM held").Rows);

        // b produces again: it is active, and its rows behind the union's watermark are late (counted, not applied).
        db.Execute("INSERT INTO b VALUES (TIMESTAMP '2024-01-01 00:00:03', 8), (TIMESTAMP '2024-01-01 00:00:40', 16)");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO a VALUES (TIMESTAMP '2024-01-01 00:00:45', 32)");
        await db.WaitForJobsAsync();
        Assert.Equal("01/01/2024 00:00:00|01/01/2024 00:00:10|2|3\n01/01/2024 00:00:20|01/01/2024 00:00:30|1|4",
            Sorted(db.Execute("SELECT * FROM fired")));
        Assert.Contains(1L, db.Execute("SELECT late_rows FROM tarn_jobs").Rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task A_temporal_join_against_a_versioned_table_without_new_versions_emits_once_it_is_idle()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE rates (currency STRING, rate INT, update_time TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR update_time AS update_time)");
        db.Execute("CREATE TABLE payments (id INT, currency STRING, pay_time TIMESTAMP(3), WATERMARK FOR pay_time AS pay_time)");
        db.Execute("CREATE TABLE held (id INT, rate INT)");
        db.Execute("CREATE TABLE joined (id INT, rate INT)");
        db.Execute("INSERT INTO rates VALUES ('EUR', 110, TIMESTAMP '2024-01-01 10:00:00')");
        const string query = "SELECT p.id, r.rate FROM payments AS p JOIN rates FOR SYSTEM_TIME AS OF p.pay_time AS r ON p.currency = r.currency";
        Streaming(db);
        db.Execute("INSERT INTO held " + query);
        db.Execute("SET 'table.exec.source.idle-timeout' = '50 ms'");
        db.Execute("INSERT INTO joined " + query);
        Batch(db);
        db.Execute("INSERT INTO payments VALUES (1, 'EUR', TIMESTAMP '2024-01-01 11:00:00'), (2, 'EUR', TIMESTAMP '2024-01-01 12:00:00')");
        await WaitForRows(db, "joined");
        // rates' watermark stays at 10:00; once it is idle the payments' watermark (12:00) releases both payments.
        Assert.Equal("1|110\n2|110", Sorted(db.Execute("SELECT * FROM joined")));
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM joined")));
        Assert.Empty(db.Execute("SELECT * FROM held").Rows);
    }

    [Fact]
    public void The_idle_timeout_must_be_a_duration()
    {
        using var db = TarnDatabase.Open(Dir);
        var error = Assert.Throws<TarnException>(() => db.Execute("SET 'table.exec.source.idle-timeout' = 'soon'"));
        Assert.Equal("22023", error.SqlState);
    }
}

/// <summary>The merged watermark with idle inputs, driven directly (idleness forced rather than waited for).</summary>
public sealed class MergedWatermarkTests
{
    private sealed class Watermarks : Tarn.Execution.Streaming.IChangeConsumer
    {
        public List<long> Seen { get; } = [];
        public void Push(Tarn.Execution.Streaming.ChangeBatch batch) { }
        public void Watermark(long watermark) => Seen.Add(watermark);
        public void Flush() { }
        public void Finish() { }
    }

    private static Tarn.Execution.Streaming.EventTime.SourceActivity Source(Tarn.Execution.Streaming.EventTime.SourceIdleness idleness) => idleness.Track();

    [Fact]
    public void A_union_leaves_idle_inputs_out_and_releases_the_largest_when_all_are_idle()
    {
        var idleness = new Tarn.Execution.Streaming.EventTime.SourceIdleness(TimeSpan.FromHours(1));
        var output = new Watermarks();
        var union = new Tarn.Execution.Streaming.Operators.StreamUnion(3, output);
        var sources = new[] { Source(idleness), Source(idleness), Source(idleness) };
        for (var i = 0; i < 3; i++) ((Tarn.Execution.Streaming.EventTime.IWatermarkInput)union.Inputs[i]).AddSource(sources[i]);
        union.Inputs[0].Watermark(10);
        union.Inputs[1].Watermark(20);
        Assert.Empty(output.Seen); // input 2 has no watermark yet
        sources[2].CheckIdle(long.MaxValue, 1);
        Assert.Equal([10L], output.Seen);
        sources[0].CheckIdle(long.MaxValue, 1);
        Assert.Equal([10L, 20L], output.Seen);
        sources[1].CheckIdle(long.MaxValue, 1); // all idle: the largest watermark, 20, is already out
        Assert.Equal([10L, 20L], output.Seen);
        sources[2].MarkActive(); // active again, still without a watermark: holds the union back
        union.Inputs[0].Watermark(30);
        Assert.Equal([10L, 20L], output.Seen);
        union.Inputs[2].Watermark(25);
        Assert.Equal([10L, 20L, 25L], output.Seen);
    }

    [Fact]
    public void Without_idleness_the_union_waits_for_its_slowest_input()
    {
        var output = new Watermarks();
        var union = new Tarn.Execution.Streaming.Operators.StreamUnion(2, output);
        union.Inputs[0].Watermark(10);
        Assert.Empty(output.Seen);
        union.Inputs[1].Watermark(5);
        union.Inputs[1].Finish(); // a finished input no longer holds the union back
        union.Inputs[0].Watermark(11);
        Assert.Equal([5L, 11L], output.Seen);
    }
}
