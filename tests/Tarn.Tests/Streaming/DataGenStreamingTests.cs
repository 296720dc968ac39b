namespace Tarn.Tests.Streaming;

/// <summary>The <c>datagen</c> connector read by batch queries and followed by streaming jobs.</summary>
public sealed class DataGenStreamingTests : StreamingTestBase
{
    private const string Orders = """
        CREATE TABLE orders (
            id BIGINT, user_id INT, amount DECIMAL(8, 2), status STRING, ts TIMESTAMP(3),
            WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
        ) WITH (
            'connector' = 'datagen', 'seed' = '42', 'rows-per-second' = '0',
            'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5000',
            'fields.user_id.min' = '1', 'fields.user_id.max' = '50',
            'fields.amount.min' = '1', 'fields.amount.max' = '100',
            'fields.status.length' = '1', 'fields.ts.max-past' = '900 ms'
        )
        """;

    [Fact]
    public async Task A_bounded_datagen_table_reads_the_same_rows_in_batch_and_in_a_streaming_job()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Orders);
        Assert.Equal([[5000L, 1L, 5000L, 1, 50]], db.Execute("SELECT count(*), min(id), max(id), min(user_id), max(user_id) FROM orders").Rows.ToList());
        const string query = "SELECT user_id, count(*) AS n, sum(amount) AS total, count(DISTINCT status) AS statuses FROM orders GROUP BY user_id";
        var batch = db.Execute(query);
        db.Execute("CREATE TABLE per_user (user_id INT, n BIGINT, total DECIMAL(38, 2), statuses BIGINT, PRIMARY KEY (user_id) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO per_user " + query);
        await db.WaitForJobsAsync();
        Batch(db);
        Assert.Equal(Sorted(batch), Sorted(db.Execute("SELECT * FROM per_user")));
        Assert.Equal(50, batch.RowCount);
    }

    [Fact]
    public async Task Event_times_follow_the_row_rate_so_windows_fire_in_a_streaming_job()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Orders);
        db.Execute("CREATE TABLE per_second (window_start TIMESTAMP(3), n BIGINT)");
        Streaming(db);
        // 5000 rows at the nominal 10000 rows per second span half a second of event time (minus up to 0.9 s of max-past, inside the watermark's delay of 1 s, so no row is late).
        db.Execute("INSERT INTO per_second SELECT window_start, count(*) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end");
        await db.WaitForJobsAsync();
        Batch(db);
        var rows = db.Execute("SELECT count(*), sum(n) FROM per_second").Rows.Single();
        Assert.InRange((long)rows[0]!, 1, 3);
        Assert.Equal(5000L, rows[1]);
    }

    [Fact]
    public void An_unbounded_table_cannot_be_read_by_a_batch_query()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute("CREATE TABLE endless (v INT) WITH ('connector' = 'datagen')");
        var e = Assert.Throws<TarnException>(() => db.Execute("SELECT count(*) FROM endless"));
        Assert.Equal("0A000", e.SqlState);
        Assert.Contains("number-of-rows", e.Message, StringComparison.Ordinal);
        Assert.Equal("22023", Assert.Throws<TarnException>(() => db.Execute("CREATE TABLE bad (v INT) WITH ('connector' = 'datagen', 'fields.v.kind' = 'walk')")).SqlState);
    }
}
