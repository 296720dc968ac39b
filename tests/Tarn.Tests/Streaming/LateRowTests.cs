namespace Tarn.Tests.Streaming;

/// <summary>
/// Late rows (behind the watermark when they reach a window) are never dropped silently: the job counts them
/// (tarn_jobs.late_rows, SHOW JOBS, durable across restarts) and with 'table.exec.late-rows.table' writes each one
/// to that table, exactly once, in the epoch commit of the job's other output.
/// </summary>
public sealed class LateRowTests : StreamingTestBase
{
    private const string Windows =
        "SELECT window_start, window_end, COUNT(*) AS n, SUM(v) AS s FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

    private static void CreateTables(TarnDatabase db)
    {
        db.Execute("CREATE TABLE src (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)");
        db.Execute("CREATE TABLE win (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, s BIGINT)");
        db.Execute("CREATE TABLE late_rows (job_id STRING, operator STRING, event_time TIMESTAMP(3), watermark TIMESTAMP(3), row_data STRING)");
    }

    private static long LateCount(TarnDatabase db) => Convert.ToInt64(db.Execute("SELECT late_rows FROM tarn_jobs").Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    [Trait("Spec", "JOB-005")]
    public async Task Late_rows_are_written_once_to_the_late_table_and_counted_across_restarts()
    {
        using (var db = TarnDatabase.Open(Dir))
        {
            CreateTables(db);
            db.Execute("SET 'table.exec.late-rows.table' = 'late_rows'");
            Streaming(db);
            db.Execute("INSERT INTO win " + Windows);
            Batch(db);
            // Watermark 15 s after this commit: the window [0 s, 10 s) fires.
            db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:01', 1), (TIMESTAMP '2024-01-01 00:00:12', 2), (TIMESTAMP '2024-01-01 00:00:20', 4)");
            await db.WaitForJobsAsync();
            // 00:00:03 belongs to the fired window: late. 00:00:14 belongs to [10 s, 20 s), still open.
            db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:03', 8), (TIMESTAMP '2024-01-01 00:00:14', 16)");
            await db.WaitForJobsAsync();
            Assert.Equal("01/01/2024 00:00:00|01/01/2024 00:00:10|1|1", Sorted(db.Execute("SELECT * FROM win")));
            var late = db.Execute("SELECT operator, event_time, watermark, job_id = (SELECT job_id FROM tarn_jobs) FROM late_rows");
            Assert.Equal("GroupAggregate#1|01/01/2024 00:00:10|01/01/2024 00:00:15|True", Sorted(late));
            // The operator's input row as JSON: the source's columns and the window the row was assigned to.
            var json = (string)db.Execute("SELECT row_data FROM late_rows").Rows.Single()[0]!;
            Assert.Contains("\"ts\":\"2024-01-01 00:00:03.000\"", json, StringComparison.Ordinal);
            Assert.Contains("\"v\":8", json, StringComparison.Ordinal);
            Assert.Contains("\"window_end\":\"2024-01-01 00:00:10.000\"", json, StringComparison.Ordinal);
            Assert.Equal(1, LateCount(db));
            var show = db.Execute("SHOW JOBS");
            Assert.Equal("1", show.Rows.Single()[show.Columns.ToList().FindIndex(c => c.Name == "late rows")]?.ToString());
        }
        using (var db = TarnDatabase.Open(Dir))
        {
            Assert.Equal(1, LateCount(db)); // the count is part of the job's durable progress
            // Watermark 30 s: [10 s, 20 s) fires with both of its rows; 00:00:05 is late again, and counted once more.
            db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:35', 32)");
            await db.WaitForJobsAsync();
            db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:05', 64)");
            await db.WaitForJobsAsync();
            Assert.Equal(2, LateCount(db));
            Assert.Equal(2L, db.Execute("SELECT COUNT(*) FROM late_rows").Rows.Single()[0]);
            Assert.Equal(
                "01/01/2024 00:00:00|01/01/2024 00:00:10|1|1\n01/01/2024 00:00:10|01/01/2024 00:00:20|2|18\n01/01/2024 00:00:20|01/01/2024 00:00:30|1|4",
                Sorted(db.Execute("SELECT * FROM win")));
            // The fired windows equal the batch answer over the rows that were not late.
            Assert.Equal(Sorted(db.Execute("SELECT * FROM win")),
                Sorted(db.Execute(Windows.Replace(" GROUP BY", " WHERE v NOT IN (8, 64, 32) GROUP BY", StringComparison.Ordinal))));
        }
    }

    [Fact]
    public async Task Without_a_late_table_late_rows_are_still_counted()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateTables(db);
        Streaming(db);
        db.Execute("INSERT INTO win " + Windows);
        Batch(db);
        db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:01', 1), (TIMESTAMP '2024-01-01 00:00:30', 2)");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO src VALUES (TIMESTAMP '2024-01-01 00:00:02', 1), (TIMESTAMP '2024-01-01 00:00:12', 1), (TIMESTAMP '2024-01-01 00:00:31', 1)");
        await db.WaitForJobsAsync();
        Assert.Equal(2, LateCount(db));
        Assert.Equal(0L, db.Execute("SELECT COUNT(*) FROM late_rows").Rows.Single()[0]);
    }

    [Theory]
    [InlineData("no_such_table", "42P01")]
    [InlineData("win", "42804")]
    public void A_missing_or_misshapen_late_table_fails_the_submission(string table, string sqlState)
    {
        using var db = TarnDatabase.Open(Dir);
        CreateTables(db);
        db.Execute($"SET 'table.exec.late-rows.table' = '{table}'");
        Streaming(db);
        var error = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO win " + Windows));
        Assert.Equal(sqlState, error.SqlState);
        Assert.Empty(db.Execute("SHOW JOBS").Rows);
    }

    [Fact]
    [Trait("Spec", "JOB-005")]
    public void Progress_records_of_versions_1_and_2_are_still_read_with_no_late_rows()
    {
        var record = new Tarn.Streaming.JobRecord
        {
            Id = "0123456789abcdef0123456789abcdef", Sql = "INSERT INTO t SELECT * FROM s", Catalog = "default_catalog", Database = "default_database",
            Options = new Dictionary<string, string> { ["execution.runtime-mode"] = "streaming" }, Epoch = 7, RowsIn = 5, RowsOut = 3, LateRows = 0,
        };
        var v3 = record.Encode();
        Assert.Equal(3, v3[0]);
        Assert.Equal(0, v3[^1]); // the trailing late-row count
        // Version 2 ends before the late-row count; version 1 also before the checkpoint epoch (varuint 0) and the absent replay positions.
        var v2 = v3[..^1];
        v2[0] = 2;
        var v1 = v3[..^3];
        v1[0] = 1;
        foreach (var older in new[] { v1, v2 })
        {
            var decoded = Tarn.Streaming.JobRecord.Decode(older);
            Assert.Equal(0, decoded.LateRows);
            Assert.Equal(7, decoded.Epoch);
            Assert.Equal(3, decoded.RowsOut);
        }
        Assert.Equal(42, Tarn.Streaming.JobRecord.Decode((record with { LateRows = 42 }).Encode()).LateRows);
    }
}
