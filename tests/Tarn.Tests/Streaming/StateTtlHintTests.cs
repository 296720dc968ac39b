namespace Tarn.Tests.Streaming;

/// <summary>
/// Flink's STATE_TTL query hint (per input table or alias of a join or group aggregate) and state TTL in joins and
/// DISTINCT aggregates. Expiry is asserted only after sleeping well past the TTL; that state is kept is asserted
/// only for operators without a TTL, so no assertion depends on how fast the machine is.
/// </summary>
public sealed class StateTtlHintTests : StreamingTestBase
{
    private static readonly TimeSpan PastTtl = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_hinted_group_aggregate_forgets_idle_groups_including_their_distinct_values()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v STRING)");
        db.Execute("CREATE TABLE hinted (k INT, n BIGINT, d BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("CREATE TABLE kept (k INT, n BIGINT, d BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO hinted SELECT /*+ STATE_TTL('o' = '20 ms') */ k, COUNT(*), COUNT(DISTINCT v) FROM src AS o GROUP BY k");
        db.Execute("INSERT INTO kept SELECT k, COUNT(*), COUNT(DISTINCT v) FROM src AS o GROUP BY k");
        Batch(db);
        db.Execute("INSERT INTO src VALUES (1, 'a'), (1, 'b'), (2, 'a')");
        await db.WaitForJobsAsync();
        await Task.Delay(PastTtl);
        db.Execute("INSERT INTO src VALUES (1, 'a')");
        await db.WaitForJobsAsync();
        // Key 1 expired: it starts afresh, and 'a' counts as a new distinct value of the new group.
        Assert.Equal("1|1|1\n2|1|1", Sorted(db.Execute("SELECT * FROM hinted")));
        Assert.Equal("1|3|2\n2|1|1", Sorted(db.Execute("SELECT * FROM kept")));
    }

    [Fact]
    public async Task A_join_expires_only_the_hinted_side()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE lt (k INT, v STRING)");
        db.Execute("CREATE TABLE rt (k INT, w STRING)");
        db.Execute("CREATE TABLE hinted (k INT, v STRING, w STRING)");
        db.Execute("CREATE TABLE kept (k INT, v STRING, w STRING)");
        const string join = " l.k, l.v, r.w FROM lt AS l JOIN rt AS r ON l.k = r.k";
        Streaming(db);
        db.Execute("INSERT INTO hinted SELECT /*+ STATE_TTL('l' = '20 ms') */" + join);
        db.Execute("INSERT INTO kept SELECT" + join);
        Batch(db);
        db.Execute("INSERT INTO lt VALUES (1, 'x')");
        await db.WaitForJobsAsync();
        await Task.Delay(PastTtl);
        db.Execute("INSERT INTO rt VALUES (1, 'y')"); // the left row expired: nothing to join in the hinted job
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO lt VALUES (1, 'z')"); // the right side keeps its rows (no TTL)
        await db.WaitForJobsAsync();
        Assert.Equal("1|z|y", Sorted(db.Execute("SELECT * FROM hinted")));
        Assert.Equal("1|x|y\n1|z|y", Sorted(db.Execute("SELECT * FROM kept")));
    }

    [Fact]
    public async Task The_job_wide_ttl_now_applies_to_joins_too()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE lt (k INT, v STRING)");
        db.Execute("CREATE TABLE rt (k INT, w STRING)");
        db.Execute("CREATE TABLE out (k INT, v STRING, w STRING)");
        Streaming(db);
        db.Execute("SET 'table.exec.state.ttl' = '20 ms'");
        db.Execute("INSERT INTO out SELECT l.k, l.v, r.w FROM lt AS l JOIN rt AS r ON l.k = r.k");
        Batch(db);
        db.Execute("INSERT INTO lt VALUES (1, 'x')");
        await db.WaitForJobsAsync();
        await Task.Delay(PastTtl);
        db.Execute("INSERT INTO rt VALUES (1, 'y')");
        await db.WaitForJobsAsync();
        Assert.Empty(db.Execute("SELECT * FROM out").Rows);
    }

    [Theory]
    [InlineData("/*+ STATE_TTL('nope' = '1d') */", "42P01")]
    [InlineData("/*+ STATE_TTL('1d') */", "42601")]
    [InlineData("/*+ STATE_TTL('o' = 'soon') */", "22023")]
    public void Hints_that_name_no_input_or_no_duration_are_rejected(string hint, string sqlState)
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v STRING)");
        var error = Assert.Throws<TarnException>(() => db.Execute($"SELECT {hint} k, COUNT(*) FROM src AS o GROUP BY k"));
        Assert.Equal(sqlState, error.SqlState);
    }

    [Fact]
    public void Batch_queries_accept_the_hint_and_ignore_it()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v STRING)");
        db.Execute("INSERT INTO src VALUES (1, 'a'), (1, 'b'), (2, 'c')");
        Assert.Equal("1|2\n2|1", Sorted(db.Execute("SELECT /*+ STATE_TTL('src' = '1 ms') */ k, COUNT(*) FROM src GROUP BY k")));
    }
}
