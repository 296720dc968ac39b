using CsCheck;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Streaming deduplication, Top-N (ROW_NUMBER filters) and OVER aggregation: each job's sink must equal the batch
/// answer of the same query, after the initial rows and again after inserts, updates and deletes.
/// </summary>
public sealed class StreamRankingTests : StreamingTestBase
{
    /// <summary>Submits <c>INSERT INTO sink query</c> as a streaming job and leaves the session in batch mode.</summary>
    private static void Submit(TarnDatabase db, string sink, string query)
    {
        Streaming(db);
        db.Execute($"INSERT INTO {sink} {query}");
        Batch(db);
    }

    private static async Task AssertParity(TarnDatabase db, string sink, string query)
    {
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute($"SELECT * FROM {sink}")));
    }

    private const string LatestPerKey =
        "SELECT k, ts, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM events) WHERE rn = 1";

    [Fact]
    public async Task Keep_last_deduplication_replaces_a_key_s_row_when_a_newer_one_arrives()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts TIMESTAMP(3), v STRING)");
        db.Execute("CREATE TABLE latest (k INT, ts TIMESTAMP(3), v STRING, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 10:00:00', 'a'), (2, TIMESTAMP '2024-01-01 10:00:01', 'b'), (1, TIMESTAMP '2024-01-01 10:00:02', 'c')");
        Submit(db, "latest", LatestPerKey);
        await AssertParity(db, "latest", LatestPerKey);
        // A newer row replaces the key's row, an older one (out of order) changes nothing.
        db.Execute("INSERT INTO events VALUES (2, TIMESTAMP '2024-01-01 11:00:00', 'd'), (1, TIMESTAMP '2024-01-01 09:00:00', 'old'), (3, TIMESTAMP '2024-01-01 09:00:00', 'e')");
        await AssertParity(db, "latest", LatestPerKey);
        Assert.Equal("1|c\n2|d\n3|e", Sorted(db.Execute("SELECT k, v FROM latest")));
    }

    [Fact]
    public async Task Keep_first_deduplication_is_insert_only_and_ignores_later_rows()
    {
        const string query = "SELECT k, ts, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn FROM events) WHERE rn = 1";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts TIMESTAMP(3), v STRING)");
        db.Execute("CREATE TABLE firsts (k INT, ts TIMESTAMP(3), v STRING)"); // no primary key: the query must be insert-only
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 10:00:01', 'b'), (1, TIMESTAMP '2024-01-01 10:00:00', 'a'), (2, TIMESTAMP '2024-01-01 10:00:00', 'x')");
        Streaming(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN " + query).Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Filter \(#3 = 1\) changelogMode=\[I\]", plan);
        Submit(db, "firsts", query);
        await AssertParity(db, "firsts", query);
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 11:00:00', 'later'), (3, TIMESTAMP '2024-01-01 12:00:00', 'y'), (3, TIMESTAMP '2024-01-01 12:30:00', 'z')");
        await AssertParity(db, "firsts", query);
        Assert.Equal("1|a\n2|x\n3|y", Sorted(db.Execute("SELECT k, v FROM firsts")));
    }

    private const string TopScores =
        "SELECT cat, rn, id, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score DESC, id) AS rn FROM scores WHERE cat IS NOT NULL) WHERE rn <= 3";

    private static void CreateScores(TarnDatabase db)
    {
        db.Execute("CREATE TABLE scores (id BIGINT, cat STRING, score INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO scores VALUES (1, 'a', 50), (2, 'a', 70), (3, 'a', 60), (4, 'a', 10), (5, 'a', 90), (6, 'b', 5), (7, 'b', 6), (8, NULL, 1), (11, 'b', NULL)");
    }

    private static void ChangeScores(TarnDatabase db)
    {
        db.Execute("DELETE FROM scores WHERE id = 5");              // the leader leaves: everyone moves up, id 1 enters
        db.Execute("UPDATE scores SET score = 100 WHERE id = 4");   // the last one jumps to the top
        db.Execute("UPDATE scores SET cat = 'b' WHERE id = 2");     // moves to another partition
        db.Execute("INSERT INTO scores VALUES (9, 'b', 7), (10, 'c', 1)");
        db.Execute("UPDATE scores SET score = 99 WHERE id IN (6, 10)");
    }

    [Fact]
    public async Task Top_n_with_row_number_updates_every_position_through_updates_and_deletes()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateScores(db);
        db.Execute("CREATE TABLE top3 (cat STRING, rn BIGINT, id BIGINT, score INT, PRIMARY KEY (cat, rn) NOT ENFORCED)");
        Submit(db, "top3", TopScores);
        await AssertParity(db, "top3", TopScores);
        ChangeScores(db);
        await AssertParity(db, "top3", TopScores);
        db.Execute("DELETE FROM scores WHERE cat = 'b'");
        await AssertParity(db, "top3", TopScores);
    }

    [Fact]
    public async Task Top_n_without_row_number_emits_only_rows_entering_and_leaving()
    {
        const string query = "SELECT id, cat, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score DESC, id) AS rn FROM scores) WHERE rn < 3";
        using var db = TarnDatabase.Open(Dir);
        CreateScores(db);
        db.Execute("CREATE TABLE top2 (id BIGINT, cat STRING, score INT, PRIMARY KEY (id) NOT ENFORCED)");
        Submit(db, "top2", query);
        await AssertParity(db, "top2", query);
        ChangeScores(db);
        await AssertParity(db, "top2", query);
    }

    [Fact]
    public async Task Top_n_over_a_range_of_row_numbers_and_a_residual_filter()
    {
        const string query = "SELECT cat, rn, id FROM (SELECT cat, id, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score, id DESC) AS rn FROM scores) WHERE rn BETWEEN 2 AND 3 AND cat <> 'c'";
        using var db = TarnDatabase.Open(Dir);
        CreateScores(db);
        db.Execute("CREATE TABLE mid (cat STRING, rn BIGINT, id BIGINT, PRIMARY KEY (cat, rn) NOT ENFORCED)");
        Submit(db, "mid", query);
        await AssertParity(db, "mid", query);
        ChangeScores(db);
        await AssertParity(db, "mid", query);
    }

    [Fact]
    public async Task Global_top_n_on_an_insert_only_stream_keeps_only_the_top_rows()
    {
        const string query = "SELECT rn, v FROM (SELECT v, ROW_NUMBER() OVER (ORDER BY v DESC) AS rn FROM nums) WHERE rn <= 2";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE nums (v DOUBLE)");
        db.Execute("CREATE TABLE best (rn BIGINT, v DOUBLE, PRIMARY KEY (rn) NOT ENFORCED)");
        db.Execute("INSERT INTO nums VALUES (1.5), (-2), (0.0)");
        Submit(db, "best", query);
        await AssertParity(db, "best", query);
        db.Execute("INSERT INTO nums VALUES (3), (1.75), (-7)");
        await AssertParity(db, "best", query);
        db.Execute("INSERT INTO nums VALUES (2.5)");
        await AssertParity(db, "best", query);
    }

    [Fact]
    public async Task Deduplication_with_qualify_and_distinct_on_matches_batch()
    {
        const string qualify = "SELECT k, ts, v FROM events QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) = 1";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts BIGINT, v STRING, PRIMARY KEY (ts) NOT ENFORCED)");
        db.Execute("CREATE TABLE latest (k INT, ts BIGINT, v STRING, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("INSERT INTO events VALUES (1, 10, 'a'), (1, 20, 'b'), (2, 5, 'c')");
        Submit(db, "latest", qualify);
        await AssertParity(db, "latest", qualify);
        db.Execute("DELETE FROM events WHERE ts = 20");
        db.Execute("INSERT INTO events VALUES (2, 30, 'd')");
        await AssertParity(db, "latest", qualify);
    }

    [Fact]
    public async Task Over_aggregation_with_unbounded_and_interval_range_frames_matches_batch()
    {
        const string unbounded = "SELECT k, ts, v, COUNT(*) OVER w, SUM(v) OVER w, MIN(v) OVER w, MAX(v) OVER w, AVG(v) OVER w FROM events " +
            "WINDOW w AS (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
        const string hourly = "SELECT k, ts, COUNT(v) OVER w, SUM(v) OVER w, MIN(v) OVER w, MAX(v) OVER w, AVG(CAST(v AS DECIMAL(10, 2))) OVER w FROM events " +
            "WINDOW w AS (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts TIMESTAMP(3), v INT)");
        db.Execute("CREATE TABLE running (k INT, ts TIMESTAMP(3), v INT, n BIGINT, s INT, lo INT, hi INT, a DOUBLE)");
        db.Execute("CREATE TABLE last_hour (k INT, ts TIMESTAMP(3), n BIGINT, s INT, lo INT, hi INT, a DECIMAL(38, 6))");
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 10:00:00', 5), (2, TIMESTAMP '2024-01-01 10:10:00', 1), (1, TIMESTAMP '2024-01-01 10:30:00', 7), (1, TIMESTAMP '2024-01-01 10:59:00', NULL)");
        Submit(db, "running", unbounded);
        Submit(db, "last_hour", hourly);
        await AssertParity(db, "running", unbounded);
        await AssertParity(db, "last_hour", hourly);
        // Later rows, in time order per key across statements (any order within one): 10:00 and 10:30 leave the hour of the row at 11:20.
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 11:00:00', 2), (2, TIMESTAMP '2024-01-01 12:00:00', 4)");
        db.Execute("INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 13:00:00', 9), (1, TIMESTAMP '2024-01-01 11:20:00', -3)");
        await AssertParity(db, "running", unbounded);
        await AssertParity(db, "last_hour", hourly);
    }

    [Fact]
    public async Task Over_aggregation_with_a_rows_frame_matches_batch()
    {
        const string query = "SELECT k, ts, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), " +
            "MAX(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM events";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts BIGINT, v INT)");
        db.Execute("CREATE TABLE sums (k INT, ts BIGINT, s INT, m INT)");
        db.Execute("INSERT INTO events VALUES (1, 1, 10), (1, 2, 20), (2, 1, 1), (1, 3, 30), (1, 4, 5)");
        Submit(db, "sums", query);
        await AssertParity(db, "sums", query);
        db.Execute("INSERT INTO events VALUES (1, 5, 1), (2, 2, 2), (2, 3, 3), (2, 4, 4)");
        await AssertParity(db, "sums", query);
    }

    [Fact]
    public async Task Over_aggregation_with_range_frames_includes_peers_of_one_statement()
    {
        // The default frame with ORDER BY is RANGE UNBOUNDED PRECEDING: rows with equal keys see each other.
        const string query = "SELECT k, ts, v, SUM(v) OVER (PARTITION BY k ORDER BY ts), " +
            "COUNT(*) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM events";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE events (k INT, ts BIGINT, v INT)");
        db.Execute("CREATE TABLE sums (k INT, ts BIGINT, v INT, s INT, n BIGINT)");
        db.Execute("INSERT INTO events VALUES (1, 1, 1), (1, 2, 10), (1, 2, 100), (2, 2, 5), (1, 3, 1000), (2, 2, 6)");
        Submit(db, "sums", query);
        await AssertParity(db, "sums", query);
        db.Execute("INSERT INTO events VALUES (1, 4, 2), (2, 7, 3), (1, 4, 20)");
        await AssertParity(db, "sums", query);
    }

    [Fact]
    public async Task Ranking_and_over_state_survive_reopening_the_database()
    {
        const string top = "SELECT cat, rn, id, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score DESC) AS rn FROM scores) WHERE rn <= 2";
        const string over = "SELECT k, ts, SUM(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM ev";
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("CREATE TABLE scores (id BIGINT, cat STRING, score INT, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE top2 (cat STRING, rn BIGINT, id BIGINT, score INT, PRIMARY KEY (cat, rn) NOT ENFORCED)");
            db.Execute("CREATE TABLE ev (k INT, ts BIGINT, v INT)");
            db.Execute("CREATE TABLE sums (k INT, ts BIGINT, s INT)");
            db.Execute("INSERT INTO scores VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 30), (4, 'b', 1)");
            db.Execute("INSERT INTO ev VALUES (1, 1, 1), (1, 2, 10), (2, 1, 5)");
            Submit(db, "top2", top);
            Submit(db, "sums", over);
            await AssertParity(db, "top2", top);
            await AssertParity(db, "sums", over);
        }
        using (var db = TarnDatabase.Open(Dir))
        {
            // Deleting the leader needs the third row, which only the job's state remembers.
            db.Execute("DELETE FROM scores WHERE id = 3");
            db.Execute("INSERT INTO ev VALUES (1, 3, 100), (1, 4, 1000), (2, 9, 7)");
            await AssertParity(db, "top2", top);
            await AssertParity(db, "sums", over);
        }
    }

    [Fact]
    public void Unsupported_window_queries_are_rejected_at_submission()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE t (id BIGINT, k INT, v INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE dst (id BIGINT, k INT, r BIGINT, PRIMARY KEY (id) NOT ENFORCED)");
        Streaming(db);
        foreach (var query in new[]
        {
            "SELECT id, k, RANK() OVER (PARTITION BY k ORDER BY v) FROM t",                       // not a Top-N
            "SELECT id, k, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) AS rn FROM t) WHERE rn > 2", // no upper bound
            "SELECT id, k, SUM(v) OVER (PARTITION BY k ORDER BY id) FROM t",                      // OVER over an updating input
        })
        {
            var error = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO dst " + query));
            Assert.Equal("0A000", error.SqlState);
        }
        Assert.Empty(db.Execute("SHOW JOBS").Rows);
    }

    /// <summary>One random change of a primary-key source: insert/upsert, update of the order column, or delete.</summary>
    private static readonly Gen<(int Kind, int Id, int Cat, int Score)> s_change = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 12], Gen.Int[0, 2], Gen.Int[0, 1000]);

    /// <summary>
    /// Applies a change; <paramref name="live"/> tracks the source's keys so that an insert is never an upsert of a
    /// live key (a primary-key table logs an upsert as a bare +I, without the -U of the row it replaces).
    /// </summary>
    private static void Apply(TarnDatabase db, string table, (int Kind, int Id, int Cat, int Score) c, int step, HashSet<int> live)
    {
        // Scores are unique (the step is below 100), so ORDER BY score has no ties.
        var score = c.Score * 100 + step;
        if (c.Kind == 0 && live.Add(c.Id)) db.Execute($"INSERT INTO {table} VALUES ({c.Id}, {c.Cat}, {score})");
        else if (c.Kind == 2 && live.Remove(c.Id)) db.Execute($"DELETE FROM {table} WHERE id = {c.Id}");
        else db.Execute($"UPDATE {table} SET score = {score}, cat = {c.Cat} WHERE id = {c.Id}");
    }

    [Fact]
    public void Random_changes_keep_top_n_and_deduplication_equal_to_batch()
    {
        var run = 0;
        Gen.Select(s_change.Array[1, 25], Gen.Int[1, 3], Gen.Bool).Sample((changes, n, descending) =>
        {
            var dir = Path.Combine(Dir, "p" + run++);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE src (id INT, cat INT, score INT, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE ranked (cat INT, rn BIGINT, id INT, score INT, PRIMARY KEY (cat, rn) NOT ENFORCED)");
            db.Execute("CREATE TABLE members (id INT, cat INT, score INT, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE dedup (cat INT, id INT, score INT, PRIMARY KEY (cat) NOT ENFORCED)");
            var order = descending ? "DESC" : "ASC";
            var ranked = $"SELECT cat, rn, id, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score {order}) AS rn FROM src) WHERE rn <= {n}";
            var members = $"SELECT id, cat, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score {order}) AS rn FROM src) WHERE rn <= {n}";
            var dedup = $"SELECT cat, id, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY score {order}) AS rn FROM src) WHERE rn = 1";
            Submit(db, "ranked", ranked);
            Submit(db, "members", members);
            Submit(db, "dedup", dedup);
            var live = new HashSet<int>();
            for (var i = 0; i < changes.Length; i++)
            {
                Apply(db, "src", changes[i], i, live);
                if (i % 4 != 3 && i != changes.Length - 1) continue;
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                foreach (var (sink, query) in new[] { ("ranked", ranked), ("members", members), ("dedup", dedup) })
                    Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute($"SELECT * FROM {sink}")));
            }
        }, iter: 12, threads: 1);
    }

    [Fact]
    public void Random_appends_keep_insert_only_top_n_and_over_aggregates_equal_to_batch()
    {
        var run = 0;
        // Per key, ts increases from one statement to the next (the OVER aggregation's precondition; within one
        // statement the rows may come in any order, here reversed in half the cases); values are unique.
        Gen.Select(Gen.Select(Gen.Int[0, 3], Gen.Int[-50, 50]).Array[1, 40], Gen.Int[1, 4], Gen.Int[1, 8]).Sample((rows, n, batches) =>
        {
            var dir = Path.Combine(Dir, "a" + run++);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE src (k INT, ts BIGINT, v INT)");
            db.Execute("CREATE TABLE topn (k INT, rn BIGINT, ts BIGINT, v INT, PRIMARY KEY (k, rn) NOT ENFORCED)");
            db.Execute("CREATE TABLE overs (k INT, ts BIGINT, n BIGINT, s INT, lo INT, hi INT, r BIGINT)");
            var topn = $"SELECT k, rn, ts, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC, ts) AS rn FROM src) WHERE rn <= {n}";
            var overs = "SELECT k, ts, COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), " +
                "SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), " +
                $"MIN(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN {n} PRECEDING AND CURRENT ROW), " +
                $"MAX(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN {n} PRECEDING AND CURRENT ROW), " +
                $"COUNT(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN {n} PRECEDING AND CURRENT ROW) FROM src";
            Submit(db, "topn", topn);
            Submit(db, "overs", overs);
            var per = Math.Max(1, rows.Length / batches);
            for (var start = 0; start < rows.Length; start += per)
            {
                var values = new List<string>();
                for (var i = start; i < Math.Min(rows.Length, start + per); i++)
                    values.Add($"({rows[i].Item1}, {i * 2}, {rows[i].Item2 * 100 + i})"); // ts increases with i; v unique
                if (rows.Length % 2 == 0) values.Reverse();
                db.Execute("INSERT INTO src VALUES " + string.Join(", ", values));
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                Assert.Equal(Sorted(db.Execute(topn)), Sorted(db.Execute("SELECT * FROM topn")));
                Assert.Equal(Sorted(db.Execute(overs)), Sorted(db.Execute("SELECT * FROM overs")));
            }
        }, iter: 10, threads: 1);
    }
}
