using System.Globalization;

namespace Tarn.Tests.Connectors;

/// <summary>
/// Per-partition watermarks of a kafka table with a WATERMARK (Flink's behaviour): the job's watermark is the minimum
/// over the partitions, so a partition that lags behind the others in event time loses no rows as late.
/// </summary>
public sealed class KafkaWatermarkTests : IDisposable
{
    private readonly KafkaMockCluster _kafka = new();

    public void Dispose() => _kafka.Dispose();

    private static string Json(int id, long millis) =>
        $$"""{"id": {{id}}, "ts": "{{DateTime.UnixEpoch.AddMilliseconds(millis).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}}"}""";

    private static string Rows(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "NULL"))).Order(StringComparer.Ordinal));

    private static async Task WaitFor(TarnDatabase db, Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!done())
        {
            var failed = db.Execute("SHOW JOBS").Rows.FirstOrDefault(r => (string)r[2]! == "FAILED");
            if (failed is not null) Assert.Fail($"job failed: {failed[4]}");
            if (DateTime.UtcNow > deadline) Assert.Fail("the streaming job did not get there within a minute");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_lagging_partition_loses_no_rows_and_the_tumble_windows_equal_the_batch_answer()
    {
        _kafka.CreateTopic("events");
        var id = 0;
        // Partitions 0..2 run two minutes ahead; partition 3 has only its first record when the job reads them.
        for (var p = 0; p < 3; p++)
            for (var ms = 0L; ms < 120_000; ms += 1_000) _kafka.Produce("events", p, Json(++id, ms + p * 100));
        _kafka.Produce("events", 3, Json(++id, 0));
        using var db = TarnDatabase.Open(Path.Combine(Path.GetTempPath(), "tarn-kafka-wm-" + Guid.NewGuid().ToString("N")[..10]));
        string Table(string name, string extra) =>
            $"CREATE TABLE {name} (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka', 'topic' = 'events', " +
            $"'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'properties.group.id' = 'wm', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json'{extra})";
        db.Execute(Table("events", ""));
        db.Execute(Table("events_now", ", 'scan.bounded.mode' = 'latest-offset'")); // the batch answer's input
        db.Execute("CREATE TABLE counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, ids BIGINT)");
        const string query = "SELECT window_start, window_end, count(*), sum(id) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO counts " + query);
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        await WaitFor(db, () => (long)db.Execute("SELECT rows_in FROM tarn_jobs").GetValue(0, 0)! >= id);
        Assert.Equal(0L, (long)db.Execute("SELECT count(*) FROM counts").GetValue(0, 0)!); // partition 3 holds every window

        // The lagging partition catches up; its rows are far behind what partitions 0..2 reached, but not late.
        for (var ms = 500L; ms < 120_000; ms += 1_000) _kafka.Produce("events", 3, Json(++id, ms));
        for (var p = 0; p < 4; p++) _kafka.Produce("events", p, Json(++id, 1_000_000)); // closes the first two minutes
        await WaitFor(db, () => (long)db.Execute("SELECT count(*) FROM counts").GetValue(0, 0)! >= 12);

        Assert.Equal(0L, (long)db.Execute("SELECT late_rows FROM tarn_jobs").GetValue(0, 0)!);
        var batch = db.Execute($"SELECT * FROM ({query.Replace("TABLE events", "TABLE events_now", StringComparison.Ordinal)}) WHERE window_end <= TIMESTAMP '1970-01-01 00:02:00'");
        Assert.Equal(12, batch.Rows.Count());
        Assert.Equal(Rows(batch), Rows(db.Execute("SELECT * FROM counts")));
    }

    [Fact]
    public async Task An_empty_partition_holds_windows_back_until_it_is_idle()
    {
        _kafka.CreateTopic("sparse");
        var id = 0;
        // Partition 3 never gets a record: without an idle timeout it would hold every window back (as in Flink).
        for (var p = 0; p < 3; p++)
            for (var ms = 0L; ms < 30_000; ms += 1_000) _kafka.Produce("sparse", p, Json(++id, ms));
        using var db = TarnDatabase.Open(Path.Combine(Path.GetTempPath(), "tarn-kafka-idle-" + Guid.NewGuid().ToString("N")[..10]));
        db.Execute($"CREATE TABLE sparse (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka', 'topic' = 'sparse', " +
            $"'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'properties.group.id' = 'idle', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')");
        db.Execute("CREATE TABLE counts (window_start TIMESTAMP(3), n BIGINT)");
        db.Execute("SET 'table.exec.source.idle-timeout' = '200 ms'");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO counts SELECT window_start, count(*) FROM TABLE(TUMBLE(TABLE sparse, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        // The windows up to the slowest non-idle partition's time (29 s) fire once partition 3 is idle.
        await WaitFor(db, () => (long)db.Execute("SELECT count(*) FROM counts").GetValue(0, 0)! >= 2);
        Assert.Equal("1970-01-01 00:00:00.000|30\n1970-01-01 00:00:10.000|30",
            Rows(db.Execute("SELECT CAST(window_start AS STRING), n FROM counts")));
        Assert.Equal(0L, (long)db.Execute("SELECT late_rows FROM tarn_jobs").GetValue(0, 0)!);
    }
}
