using CsCheck;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Streaming joins (regular joins over changelogs, semi/anti joins) equal the batch answer of the same query on the
/// same finite input, through inserts, upserts, updates and deletes on the sources and across a restart.
/// </summary>
public sealed class StreamJoinTests : StreamingTestBase
{
    /// <summary>
    /// Join kinds over a(id PK, k, v) and b(id PK, k, w), each a SELECT of a case name and four INT columns, unique
    /// on (name, first two columns); the ids are COALESCEd because the sink's primary key is NOT NULL. All cases run
    /// as ONE job (a UNION ALL into one sink), so that a wait covers one job's progress.
    /// </summary>
    private static readonly string[] Cases =
    [
        "SELECT CAST('inner' AS STRING), a.id, b.id, a.v, b.w FROM a JOIN b ON a.k = b.k",
        "SELECT CAST('inner_residual' AS STRING), a.id, b.id, a.v, b.w FROM a JOIN b ON a.k = b.k AND a.v < b.w",
        "SELECT CAST('left' AS STRING), a.id, COALESCE(b.id, -1), a.k, b.w FROM a LEFT JOIN b ON a.k = b.k AND b.w > a.v",
        "SELECT CAST('right' AS STRING), COALESCE(a.id, -1), b.id, a.v, b.k FROM a RIGHT JOIN b ON a.k = b.k",
        "SELECT CAST('full' AS STRING), COALESCE(a.id, -1), COALESCE(b.id, -1), a.v, b.w FROM a FULL JOIN b ON a.k = b.k AND a.v <> b.w",
        "SELECT CAST('theta' AS STRING), a.id, COALESCE(b.id, -1), a.v, b.w FROM a LEFT JOIN b ON a.v < b.w - 2",
        "SELECT CAST('cross' AS STRING), a.id, b.id, a.k, b.k FROM a CROSS JOIN b",
        "SELECT CAST('semi' AS STRING), id, -1, k, v FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.w >= a.v)",
        "SELECT CAST('anti' AS STRING), id, -1, k, v FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k)",
        "SELECT CAST('in' AS STRING), id, -1, k, v FROM a WHERE k IN (SELECT k FROM b WHERE w > 3)",
    ];

    private static readonly string AllCases = string.Join(" UNION ALL ", Cases);

    private static void CreateSources(TarnDatabase db)
    {
        db.Execute("CREATE TABLE a (id INT, k INT, v INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE b (id INT, k INT, w INT, PRIMARY KEY (id) NOT ENFORCED)");
    }

    private static void SubmitCases(TarnDatabase db)
    {
        db.Execute("CREATE TABLE results (name STRING, c1 INT, c2 INT, c3 INT, c4 INT, PRIMARY KEY (name, c1, c2) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO results " + AllCases);
        Batch(db);
    }

    /// <summary>
    /// Waits for the jobs; a job that failed is reported with its error. An idle job can miss a commit that is not
    /// its input's (a background flush; main wakes jobs on every commit since a070a26), which would leave the wait
    /// hanging: after a while without progress, a row is added to and removed from source b (the answer stays the
    /// same) so the job wakes, at most a few times.
    /// </summary>
    private static async Task WaitForJobs(TarnDatabase db, bool canNudge = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(canNudge && attempt < 6 ? 15 : 120));
            try
            {
                await db.WaitForJobsAsync(guard.Token);
                break;
            }
            catch (OperationCanceledException) when (canNudge && attempt < 6)
            {
                db.Execute("INSERT INTO b VALUES (-1, NULL, 0)");
                db.Execute("DELETE FROM b WHERE id = -1");
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("jobs did not catch up: " + string.Join("; ", db.Execute("SHOW JOBS").Rows.Select(r => string.Join("|", r))));
            }
        }
        foreach (var job in db.Execute("SHOW JOBS").Rows)
            if (job.Any(v => v is string s && s == "FAILED")) Assert.Fail("a job failed: " + string.Join("|", job));
    }

    private static async Task AssertCasesMatchBatch(TarnDatabase db, string when)
    {
        await WaitForJobs(db, canNudge: true);
        var expected = Sorted(db.Execute(AllCases)).Split('\n');
        var actual = Sorted(db.Execute("SELECT * FROM results")).Split('\n');
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        if (missing.Count > 0 || extra.Count > 0 || expected.Length != actual.Length)
            Assert.Fail($"{when}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}], {expected.Length} expected rows, {actual.Length} actual");
    }

    [Fact]
    public async Task Inner_join_of_append_tables_into_an_insert_only_sink()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE orders (id BIGINT, customer INT, amount INT)");
        db.Execute("CREATE TABLE customers (cid INT, name STRING)");
        db.Execute("CREATE TABLE enriched (id BIGINT, name STRING, amount INT)");
        db.Execute("INSERT INTO orders VALUES (1, 10, 5), (2, 20, 7), (3, 10, 1), (4, NULL, 9)");
        db.Execute("INSERT INTO customers VALUES (10, 'ten'), (30, 'thirty')");
        const string query = "SELECT o.id, c.name, o.amount FROM orders o JOIN customers c ON o.customer = c.cid";
        Streaming(db);
        db.Execute("INSERT INTO enriched " + query);
        Batch(db);
        await WaitForJobs(db);
        Assert.Equal("1|ten|5\n3|ten|1", Sorted(db.Execute("SELECT * FROM enriched")));

        db.Execute("INSERT INTO customers VALUES (20, 'twenty'), (10, 'ten again')");
        db.Execute("INSERT INTO orders VALUES (5, 30, 2), (6, 20, 3)");
        await WaitForJobs(db);
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM enriched")));
    }

    [Fact]
    public async Task Every_join_kind_follows_updates_and_deletes_of_primary_key_sources()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateSources(db);
        db.Execute("INSERT INTO a VALUES (1, 1, 10), (2, 1, 20), (3, 2, 5), (4, NULL, 1), (5, 9, 3)");
        db.Execute("INSERT INTO b VALUES (1, 1, 15), (2, 2, 1), (3, 3, 30), (4, NULL, 4)");
        SubmitCases(db);
        await AssertCasesMatchBatch(db, "after the initial rows");

        db.Execute("DELETE FROM b WHERE id = 2");
        db.Execute("INSERT INTO b VALUES (5, 9, 100), (2, 2, 50)"); // a new match, a replaced row
        db.Execute("UPDATE a SET k = 3 WHERE id = 1");
        db.Execute("DELETE FROM b WHERE id = 1");
        await AssertCasesMatchBatch(db, "after updates");

        db.Execute("DELETE FROM a WHERE id IN (2, 3)");
        db.Execute("UPDATE b SET k = NULL WHERE id = 3");
        db.Execute("INSERT INTO a VALUES (6, 2, 0), (7, 2, 0)");
        await AssertCasesMatchBatch(db, "after deletes");
    }

    [Fact]
    public async Task Duplicate_rows_keep_their_multiplicity()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE x (k INT, v INT)");
        db.Execute("CREATE TABLE y (k INT, w INT)");
        db.Execute("CREATE TABLE counts (k INT, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("INSERT INTO x VALUES (1, 1), (1, 1), (2, 2)");
        db.Execute("INSERT INTO y VALUES (1, 5), (1, 5), (1, 6), (3, 0)");
        const string query = "SELECT x.k, COUNT(*), SUM(v + w) FROM x JOIN y ON x.k = y.k GROUP BY x.k";
        Streaming(db);
        db.Execute("INSERT INTO counts " + query);
        Batch(db);
        await WaitForJobs(db);
        Assert.Equal("1|6|38", Sorted(db.Execute("SELECT * FROM counts")));
        db.Execute("INSERT INTO x VALUES (1, 1), (3, 3)");
        await WaitForJobs(db);
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM counts")));
    }

    [Fact]
    public async Task A_join_job_resumes_from_its_checkpoint_after_reopening()
    {
        using (var db = TarnDatabase.Open(Dir))
        {
            CreateSources(db);
            db.Execute("INSERT INTO a VALUES (1, 1, 10), (2, 2, 20), (3, NULL, 1)");
            db.Execute("INSERT INTO b VALUES (1, 1, 15), (2, 5, 1)");
            SubmitCases(db);
            await AssertCasesMatchBatch(db, "before reopening");
        }
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("DELETE FROM b WHERE id = 1");
            db.Execute("INSERT INTO b VALUES (3, 2, 25), (1, 2, 5)");
            db.Execute("DELETE FROM a WHERE id = 1");
            await AssertCasesMatchBatch(db, "after reopening");
            db.Execute("INSERT INTO a VALUES (4, 5, 0)");
            await AssertCasesMatchBatch(db, "after more changes");
        }
    }

    [Fact]
    public async Task A_join_key_with_more_rows_than_one_state_record_holds_spreads_over_chunks()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE x (id INT, k INT, s STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE y (id INT, k INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE per_y (id INT, n BIGINT, total BIGINT, PRIMARY KEY (id) NOT ENFORCED)");
        var padding = new string('p', 200);
        for (var start = 0; start < 3000; start += 500)
            db.Execute("INSERT INTO x VALUES " + string.Join(", ", Enumerable.Range(start, 500).Select(i => $"({i}, 1, '{padding}{i}')")));
        const string query = "SELECT y.id, COUNT(*), SUM(x.id) FROM x JOIN y ON x.k = y.k GROUP BY y.id";
        Streaming(db);
        db.Execute("INSERT INTO per_y " + query);
        Batch(db);
        db.Execute("INSERT INTO y VALUES (1, 1)");
        await WaitForJobs(db);
        Assert.Equal("1|3000|4498500", Sorted(db.Execute("SELECT * FROM per_y")));

        db.Execute("DELETE FROM x WHERE id >= 100"); // the key's rows shrink back into one record
        db.Execute("INSERT INTO y VALUES (2, 1)");
        await WaitForJobs(db);
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM per_y")));
        Assert.Equal("1|100|4950\n2|100|4950", Sorted(db.Execute("SELECT * FROM per_y")));
    }

    [Fact]
    public void Scalar_subqueries_are_rejected_in_streaming_mode()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateSources(db);
        db.Execute("CREATE TABLE s (id INT, m INT, PRIMARY KEY (id) NOT ENFORCED)");
        Streaming(db);
        var error = Assert.Throws<TarnException>(() =>
            db.Execute("INSERT INTO s SELECT id, (SELECT b.w FROM b WHERE b.id = a.id) FROM a"));
        Assert.Equal("0A000", error.SqlState);
    }

    /// <summary>
    /// A change to a source table: a delete of id, an UPDATE of its row, or a replacement of its row (DELETE, then
    /// INSERT). A bare INSERT of an existing key is an upsert that this branch's table log records as +I only; main's
    /// primary-key tables store the full changelog (-U previous row, +U new, since 6cc02d8), where upserts can be used here.
    /// </summary>
    private sealed record Change(bool OnA, int Op, int Id, int? K, int Value);

    private static readonly Gen<Change> GenChange =
        Gen.Select(Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 7], Gen.Int[0, 4], Gen.Int[0, 9],
            (onA, op, id, k, value) => new Change(onA, op, id, k == 4 ? null : k, value));

    private static void ApplyChanges(TarnDatabase db, IEnumerable<Change> changes)
    {
        foreach (var c in changes)
        {
            var table = c.OnA ? "a" : "b";
            var k = c.K is { } key ? key.ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL";
            var value = c.OnA ? "v" : "w";
            if (c.Op >= 2) db.Execute($"DELETE FROM {table} WHERE id = {c.Id}");
            db.Execute(c.Op switch
            {
                0 => $"DELETE FROM {table} WHERE id = {c.Id}",
                1 => $"UPDATE {table} SET k = {k}, {value} = {c.Value} WHERE id = {c.Id}",
                _ => $"INSERT INTO {table} VALUES ({c.Id}, {k}, {c.Value})",
            });
        }
    }

    [Fact]
    public void Random_changes_keep_every_join_kind_equal_to_the_batch_answer()
    {
        Gen.Select(GenChange.List[0, 12], GenChange.List[1, 14], GenChange.List[0, 10]).Sample((before, during, after) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            try
            {
                using var db = TarnDatabase.Open(dir);
                CreateSources(db);
                ApplyChanges(db, before);
                SubmitCases(db);
                ApplyChanges(db, during);
                AssertCasesMatchBatch(db, "after the changes").GetAwaiter().GetResult();
                ApplyChanges(db, after);
                AssertCasesMatchBatch(db, "after more changes").GetAwaiter().GetResult();
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }, iter: 12);
    }
}
