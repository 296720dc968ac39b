namespace Tarn.Tests.Streaming;

/// <summary>
/// Every event-time operator that refuses rows behind the watermark routes them to the late-row table, not only the
/// window aggregate: SESSION windows, window Top-N, event-time OVER and the sliced HOP aggregate. Each job gets
/// out-of-order input beyond the watermark delay (5 s); exactly the late rows land in the late table, tarn_jobs counts
/// them, and the job's output equals the batch answer over the rows that were not late.
/// </summary>
public sealed class LateRowOperatorTests : StreamingTestBase
{
    private const string Columns = "(ts TIMESTAMP(3), k INT, v INT, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)";

    /// <summary>
    /// src feeds the job; ontime gets the same rows except the late ones and the last one (which only moves the
    /// watermark, so its window is still open), so the batch answer over ontime is what the job must have written.
    /// </summary>
    private static TarnDatabase Open(string dir, string sinkDdl, string query)
    {
        var db = TarnDatabase.Open(dir);
        db.Execute("CREATE TABLE src " + Columns);
        db.Execute("CREATE TABLE ontime " + Columns);
        db.Execute(sinkDdl);
        db.Execute("CREATE TABLE late_rows (job_id STRING, operator STRING, event_time TIMESTAMP(3), watermark TIMESTAMP(3), row_data STRING)");
        db.Execute("SET 'table.exec.late-rows.table' = 'late_rows'");
        Streaming(db);
        db.Execute("INSERT INTO sink " + query.Replace("{t}", "src", StringComparison.Ordinal));
        Batch(db);
        return db;
    }

    /// <summary>Rows "(second, k, v)" at 2024-01-01 00:00:second; <paramref name="onTime"/> also go to ontime.</summary>
    private static async Task Feed(TarnDatabase db, bool onTime, params (int Second, int K, int V)[] rows)
    {
        var values = string.Join(", ", rows.Select(r => $"(TIMESTAMP '2024-01-01 00:00:{r.Second:00}', {r.K}, {r.V})"));
        db.Execute("INSERT INTO src VALUES " + values);
        if (onTime) db.Execute("INSERT INTO ontime VALUES " + values);
        await db.WaitForJobsAsync();
    }

    private static long LateCount(TarnDatabase db) =>
        Convert.ToInt64(db.Execute("SELECT late_rows FROM tarn_jobs").Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The late table as "operator|event_time|watermark|v" lines (v read from row_data's JSON).</summary>
    private static string LateTable(TarnDatabase db)
    {
        var rows = db.Execute("SELECT operator, event_time, watermark, row_data FROM late_rows").Rows;
        return string.Join("\n", rows.Select(r =>
        {
            using var json = System.Text.Json.JsonDocument.Parse((string)r[3]!);
            return $"{r[0]}|{r[1]}|{r[2]}|{json.RootElement.GetProperty("v").GetInt32()}";
        }).Order(StringComparer.Ordinal));
    }

    private static void AssertBatchParity(TarnDatabase db, string query) =>
        Assert.Equal(Sorted(db.Execute(query.Replace("{t}", "ontime", StringComparison.Ordinal))), Sorted(db.Execute("SELECT * FROM sink")));

    [Fact]
    [Trait("Spec", "JOB-005")]
    public async Task Session_window_late_rows_go_to_the_late_table()
    {
        const string query = "SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s FROM TABLE(SESSION(TABLE {t} PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY k, window_start, window_end";
        using var db = Open(Dir, "CREATE TABLE sink (k INT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, s BIGINT)", query);
        // Watermark 15 s: k=1's session [1 s, 5 s) closes.
        await Feed(db, true, (1, 1, 1), (2, 1, 2), (20, 2, 4));
        // 3 s would open [3 s, 6 s), closed: late (event time = the session end 6 s). 9 s of k=2 opens [9 s, 12 s): late.
        // 14 s opens [14 s, 17 s); 12 s then merges into it ([12 s, 17 s) still open): on time although 12 + 3 <= 15.
        await Feed(db, true, (14, 1, 8), (12, 1, 16), (18, 2, 32));
        await Feed(db, false, (3, 1, 1000), (9, 2, 1001));
        Assert.Equal(2, LateCount(db));
        await Feed(db, false, (50, 3, 0)); // watermark 45: every session of k=1 and k=2 closes
        Assert.Equal(
            "SessionWindow#2|01/01/2024 00:00:06|01/01/2024 00:00:15|1000\nSessionWindow#2|01/01/2024 00:00:12|01/01/2024 00:00:15|1001",
            LateTable(db));
        Assert.Equal(2, LateCount(db));
        // The session operator's input row: the source row (the session bounds are not known for a refused row).
        Assert.Equal("{\"ts\":\"2024-01-01 00:00:03.000\",\"k\":1,\"v\":1000}",
            db.Execute("SELECT row_data FROM late_rows WHERE operator = 'SessionWindow#2' AND event_time = TIMESTAMP '2024-01-01 00:00:06'").Rows.Single()[0]);
        Assert.Equal(
            "1|01/01/2024 00:00:01|01/01/2024 00:00:05|2|3\n1|01/01/2024 00:00:12|01/01/2024 00:00:17|2|24\n2|01/01/2024 00:00:18|01/01/2024 00:00:23|2|36",
            Sorted(db.Execute("SELECT * FROM sink")));
        AssertBatchParity(db, query);
    }

    [Fact]
    [Trait("Spec", "JOB-005")]
    public async Task Window_top_n_late_rows_go_to_the_late_table()
    {
        const string query = "SELECT window_start, window_end, k, v, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn " +
            "FROM TABLE(TUMBLE(TABLE {t}, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE rn <= 2";
        using var db = Open(Dir, "CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), k INT, v INT, rn BIGINT)", query);
        // Watermark 15 s: the window [0 s, 10 s) is ranked and emitted.
        await Feed(db, true, (1, 1, 1), (2, 1, 2), (3, 1, 3), (20, 2, 4));
        // 4 s would win [0 s, 10 s), but the window has closed: late (event time = window_end 10 s). 12 s is on time.
        await Feed(db, true, (12, 1, 5), (16, 2, 6));
        await Feed(db, false, (4, 1, 1000), (9, 3, 1001));
        await Feed(db, false, (40, 3, 0)); // watermark 35: [10 s, 20 s) and [20 s, 30 s) close
        Assert.Equal(
            "WindowRank#1|01/01/2024 00:00:10|01/01/2024 00:00:15|1000\nWindowRank#1|01/01/2024 00:00:10|01/01/2024 00:00:15|1001",
            LateTable(db));
        Assert.Equal(2, LateCount(db));
        Assert.Equal(5, db.Execute("SELECT * FROM sink").Rows.Count());
        AssertBatchParity(db, query);
    }

    [Fact]
    [Trait("Spec", "JOB-005")]
    public async Task Event_time_over_late_rows_go_to_the_late_table()
    {
        const string query = "SELECT k, ts, v, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM {t}";
        using var db = Open(Dir, "CREATE TABLE sink (k INT, ts TIMESTAMP(3), v INT, s BIGINT)", query);
        // Watermark 15 s: 1 s and 3 s are released (in time order although they arrived out of order).
        await Feed(db, true, (3, 1, 2), (1, 1, 1), (20, 1, 4));
        // 2 s and 14 s are behind the watermark: late (event time = the row's time). 17 s is on time (buffered).
        await Feed(db, true, (17, 1, 8));
        await Feed(db, false, (2, 1, 1000), (14, 2, 1001));
        await Feed(db, false, (40, 3, 0)); // watermark 35 releases 17 s and 20 s
        Assert.Equal(
            "EventTimeSort#1|01/01/2024 00:00:02|01/01/2024 00:00:15|1000\nEventTimeSort#1|01/01/2024 00:00:14|01/01/2024 00:00:15|1001",
            LateTable(db));
        Assert.Equal(2, LateCount(db));
        Assert.Equal(
            "1|01/01/2024 00:00:01|1|1\n1|01/01/2024 00:00:03|2|3\n1|01/01/2024 00:00:17|8|11\n1|01/01/2024 00:00:20|4|15",
            Sorted(db.Execute("SELECT * FROM sink")));
        AssertBatchParity(db, query);
    }

    [Fact]
    [Trait("Spec", "JOB-005")]
    public async Task Sliced_hop_aggregate_reports_each_closed_window_of_a_late_row()
    {
        // HOP 10 s every 5 s runs sliced (5 s slices).
        const string query = "SELECT window_start, window_end, COUNT(*) AS n, SUM(v) AS s FROM TABLE(HOP(TABLE {t}, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) " +
            "GROUP BY window_start, window_end";
        using var db = Open(Dir, "CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, s BIGINT)", query);
        // Watermark 15 s: the windows ending at 5 s, 10 s and 15 s close.
        await Feed(db, true, (1, 1, 1), (12, 1, 2), (20, 1, 4));
        // 3 s: both its windows ([-5 s, 5 s), [0 s, 10 s)) closed, 2 late pairs. 13 s: [5 s, 15 s) closed (1 late pair),
        // [10 s, 20 s) still open, so the row still counts there. 17 s is on time.
        await Feed(db, false, (3, 1, 1000), (13, 1, 1001));
        await Feed(db, true, (17, 1, 8));
        await Feed(db, false, (40, 2, 0)); // watermark 35: the windows up to [25 s, 35 s) close
        Assert.Equal(
            "SliceLateRows#1|01/01/2024 00:00:05|01/01/2024 00:00:15|1000\nSliceLateRows#1|01/01/2024 00:00:10|01/01/2024 00:00:15|1000\n" +
            "SliceLateRows#1|01/01/2024 00:00:15|01/01/2024 00:00:15|1001",
            LateTable(db));
        Assert.Equal(3, LateCount(db));
        // The batch answer over the (row, window) pairs that were not late: 13 s counts in [10 s, 20 s) only.
        var expected = query.Replace("{t}", "src", StringComparison.Ordinal).Replace(" GROUP BY",
            " WHERE v <> 0 AND v <> 1000 AND NOT (v = 1001 AND window_end = TIMESTAMP '2024-01-01 00:00:15') GROUP BY", StringComparison.Ordinal);
        Assert.Equal(Sorted(db.Execute(expected)), Sorted(db.Execute("SELECT * FROM sink")));
        Assert.Contains("01/01/2024 00:00:10|01/01/2024 00:00:20|3|1011", Sorted(db.Execute("SELECT * FROM sink")), StringComparison.Ordinal);
    }
}
