using System.Globalization;
using System.Text;
using CsCheck;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Batch-stream parity of the watermark-driven window features: SESSION windows, window Top-N and deduplication,
/// and event-time OVER aggregation, over random inputs that arrive out of order within the watermark delay (so no row
/// is late and the streaming answer must equal the batch answer).
/// </summary>
public sealed class StreamWindowFeatureTests : StreamingTestBase
{
    private const int DelayMillis = 4000;

    /// <summary>One row: user (0..2), distinct price, distinct event time in ms, and the noise deciding its arrival.</summary>
    private sealed record Bid(int User, int Price, long Millis, int Noise);

    /// <summary>Rows with distinct increasing times (gaps of 1 ms to 9 s), listed in arrival order: by time + noise (noise below the watermark delay).</summary>
    private static readonly Gen<List<Bid>> s_bids =
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 9000], Gen.Int[0, DelayMillis - 1]).List[1, 40].Select(rows =>
        {
            var bids = new List<Bid>();
            long time = 0;
            for (var i = 0; i < rows.Count; i++)
            {
                var (user, gap, noise) = rows[i];
                time += gap;
                bids.Add(new Bid(user, (i * 37 + 11) % 101 + i * 101, time, noise));
            }
            return bids.OrderBy(b => b.Millis + b.Noise).ToList();
        });

    private static string Timestamp(long millis) =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMilliseconds(millis).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static void Load(TarnDatabase db, List<Bid> bids)
    {
        db.Execute($"CREATE TABLE bid (usr STRING, price INT, bidtime TIMESTAMP(3), WATERMARK FOR bidtime AS bidtime - INTERVAL '{DelayMillis / 1000}' SECOND)");
        if (bids.Count > 0) Insert(db, bids, bids.Count);
    }

    /// <summary>Runs each query in batch and in streaming mode over random inputs and requires equal answers.</summary>
    private void AssertParity(params string[] queries)
    {
        s_bids.Sample(bids =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            Load(db, bids);
            foreach (var query in queries)
            {
                Batch(db);
                var batch = Sorted(db.Execute(query));
                Streaming(db);
                var streaming = Sorted(db.Execute(query));
                Batch(db);
                Assert.True(batch == streaming, $"{query}\n-- batch:\n{batch}\n-- streaming:\n{streaming}");
            }
        }, iter: 12);
    }

    /// <summary>
    /// Each query runs as a streaming job into a sink while the rows arrive a few per commit (the database reopened
    /// half-way, so the jobs resume from their checkpointed state), then a sentinel row an hour later closes every
    /// window; the sinks must hold the batch answer restricted to <paramref name="timeColumn"/> before the sentinel.
    /// </summary>
    private void AssertJobParity(string timeColumn, params string[] queries)
    {
        Gen.Select(s_bids, Gen.Int[2, 8]).Sample((all, chunk) =>
        {
            var bids = all.Count > 16 ? all[..16] : all; // each commit is waited for: keep the jobs' inputs short
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            var sentinel = Timestamp(bids.Max(b => b.Millis) + 3_600_000);
            var half = bids.Count / 2;
            using (var db = TarnDatabase.Open(dir))
            {
                Load(db, []);
                for (var q = 0; q < queries.Length; q++) db.Execute($"CREATE TABLE sink{q} AS SELECT * FROM ({queries[q]}) t WHERE false");
                Streaming(db);
                for (var q = 0; q < queries.Length; q++) db.Execute($"INSERT INTO sink{q} {queries[q]}");
                Batch(db);
                Insert(db, bids[..half], chunk);
            }
            using (var db = TarnDatabase.Open(dir))
            {
                Insert(db, bids[half..], chunk);
                db.Execute($"INSERT INTO bid VALUES ('zz', 0, TIMESTAMP '{sentinel}')");
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                for (var q = 0; q < queries.Length; q++)
                {
                    var batch = Sorted(db.Execute($"SELECT * FROM ({queries[q]}) t WHERE t.{timeColumn} < TIMESTAMP '{sentinel}'"));
                    var streaming = Sorted(db.Execute($"SELECT * FROM sink{q}"));
                    Assert.True(batch == streaming, $"{queries[q]}\n-- batch:\n{batch}\n-- streaming job:\n{streaming}");
                }
            }
        }, iter: 4, threads: 1);
    }

    private static void Insert(TarnDatabase db, List<Bid> bids, int chunk)
    {
        for (var i = 0; i < bids.Count; i += chunk)
        {
            var sb = new StringBuilder("INSERT INTO bid VALUES ");
            for (var j = i; j < Math.Min(i + chunk, bids.Count); j++)
                sb.Append(j == i ? "" : ", ").Append(CultureInfo.InvariantCulture, $"('u{bids[j].User}', {bids[j].Price}, TIMESTAMP '{Timestamp(bids[j].Millis)}')");
            db.Execute(sb.ToString());
            db.WaitForJobsAsync().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void Session_window_jobs_equal_batch() => AssertJobParity("window_end",
        "SELECT usr, window_start, window_end, COUNT(*) AS n, SUM(price) AS total FROM TABLE(SESSION(TABLE bid PARTITION BY usr, DESCRIPTOR(bidtime), INTERVAL '5' SECOND)) GROUP BY usr, window_start, window_end",
        "SELECT usr, price, window_start, window_end FROM TABLE(SESSION(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '3' SECOND))");

    [Fact]
    public void Window_ranking_jobs_equal_batch() => AssertJobParity("window_end",
        "SELECT * FROM (SELECT usr, price, window_start, window_end, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' SECOND))) WHERE rn <= 2",
        "SELECT usr, price, window_end FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, usr ORDER BY bidtime DESC) AS rn FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' SECOND))) WHERE rn = 1");

    [Fact]
    public void Event_time_over_jobs_equal_batch() => AssertJobParity("bidtime",
        "SELECT usr, price, bidtime, SUM(price) OVER (PARTITION BY usr ORDER BY bidtime RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW) AS s FROM bid",
        "SELECT usr, price, bidtime, COUNT(*) OVER (ORDER BY bidtime ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n, MAX(price) OVER (ORDER BY bidtime ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS m FROM bid");

    [Fact]
    public void Session_windows_equal_batch() => AssertParity(
        "SELECT usr, window_start, window_end, COUNT(*), SUM(price), MAX(bidtime) FROM TABLE(SESSION(TABLE bid PARTITION BY usr, DESCRIPTOR(bidtime), INTERVAL '5' SECOND)) GROUP BY usr, window_start, window_end",
        "SELECT window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '3' SECOND)) GROUP BY window_start, window_end",
        "SELECT usr, price, bidtime, window_start, window_end, window_time FROM TABLE(SESSION(TABLE bid PARTITION BY usr, DESCRIPTOR(bidtime), INTERVAL '6' SECOND))");

    [Fact]
    public void Window_top_n_and_deduplication_equal_batch() => AssertParity(
        "SELECT * FROM (SELECT usr, price, bidtime, window_start, window_end, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' SECOND))) WHERE rn <= 2",
        "SELECT usr, price, window_start, window_end FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, usr ORDER BY bidtime) AS rn FROM TABLE(HOP(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '5' SECOND, INTERVAL '10' SECOND))) WHERE rn = 1",
        "SELECT * FROM (SELECT window_start, window_end, usr, SUM(price) AS total, COUNT(*) AS n, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY SUM(price) DESC, usr) AS rn FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, usr) WHERE rn <= 2",
        "SELECT usr, window_start, window_end, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY bidtime DESC) AS rn FROM TABLE(SESSION(TABLE bid PARTITION BY usr, DESCRIPTOR(bidtime), INTERVAL '5' SECOND))) WHERE rn <= 2");

    [Fact]
    public void Event_time_over_aggregation_equals_batch() => AssertParity(
        "SELECT usr, price, bidtime, SUM(price) OVER (PARTITION BY usr ORDER BY bidtime RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW) FROM bid",
        "SELECT usr, price, COUNT(*) OVER w, MIN(price) OVER w, MAX(price) OVER w FROM bid WINDOW w AS (PARTITION BY usr ORDER BY bidtime ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
        "SELECT price, SUM(price) OVER (ORDER BY bidtime ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), AVG(price) OVER (ORDER BY bidtime RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM bid");

    [Fact]
    public async Task Window_rankings_and_sessions_feed_a_sink_without_primary_key()
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(Dir, "sink"));
        Load(db, [new Bid(0, 5, 1000, 0), new Bid(1, 7, 2000, 0), new Bid(0, 3, 30_000, 0)]);
        db.Execute("CREATE TABLE top1 (usr STRING, price INT, window_end TIMESTAMP(3))");
        db.Execute("CREATE TABLE sessions (usr STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT)");
        Streaming(db);
        db.Execute("INSERT INTO top1 SELECT usr, price, window_end FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' SECOND))) WHERE rn = 1");
        db.Execute("INSERT INTO sessions SELECT usr, window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE bid PARTITION BY usr, DESCRIPTOR(bidtime), INTERVAL '5' SECOND)) GROUP BY usr, window_start, window_end");
        Batch(db);
        // The source stays open: windows close as far as the watermark (30 s - 4 s) went.
        db.Execute("INSERT INTO bid VALUES ('u1', 1, TIMESTAMP '2024-01-01 00:01:00')");
        await db.WaitForJobsAsync();
        Assert.Equal("u0|3|2024-01-01 00:00:40.000\nu1|7|2024-01-01 00:00:10.000",
            Sorted(db.Execute("SELECT usr, price, CAST(window_end AS STRING) FROM top1")));
        Assert.Equal("u0|2024-01-01 00:00:01.000|2024-01-01 00:00:06.000|1\nu0|2024-01-01 00:00:30.000|2024-01-01 00:00:35.000|1\nu1|2024-01-01 00:00:02.000|2024-01-01 00:00:07.000|1",
            Sorted(db.Execute("SELECT usr, CAST(window_start AS STRING), CAST(window_end AS STRING), n FROM sessions")));
    }
}
