namespace Tarn.Tests.Streaming;

/// <summary>
/// <c>SET 'state.memory'</c>: a job whose state is many times its memory budget keeps most of it on disk and still
/// gives the batch answer (reads of cold groups come back from the log files).
/// </summary>
public sealed class StateSpillTests : StreamingTestBase
{
    [Fact]
    public async Task Group_aggregate_with_state_ten_times_its_memory_equals_the_batch_answer()
    {
        const string query = "SELECT k, COUNT(*), SUM(v), MAX(name) FROM src GROUP BY k";
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k BIGINT, v BIGINT, name STRING)");
        db.Execute("CREATE TABLE agg (k BIGINT, n BIGINT, s BIGINT, m STRING, PRIMARY KEY (k) NOT ENFORCED)");
        Append(db, from: 0, count: 60_000, keys: 60_000);
        db.Execute("SET 'state.memory' = '1 mb'");
        Streaming(db);
        var id = (string)db.Execute("INSERT INTO agg " + query).GetValue(0, 0)!;
        Batch(db);
        await db.WaitForJobsAsync();
        // Second round: every group again, in another order, so most updates read a group that is only on disk.
        Append(db, from: 60_000, count: 60_000, keys: 60_000);
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM agg")));

        var log = Path.Combine(Dir, "state", "jobs", id, "log");
        var logBytes = new DirectoryInfo(log).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.True(logBytes >= 10L << 20, $"the job's state log holds {logBytes} bytes, less than ten times its 1 MB budget");
    }

    [Theory]
    [InlineData("512 kb")]
    [InlineData("lots")]
    public void A_state_memory_below_one_megabyte_or_not_a_size_is_rejected(string value)
    {
        using var db = TarnDatabase.Open(Dir);
        var error = Assert.Throws<TarnException>(() => db.Execute($"SET 'state.memory' = '{value}'"));
        Assert.Equal(SqlStates.InvalidParameterValue, error.SqlState);
    }

    /// <summary>Rows <paramref name="from"/>.. with keys spread by a multiplicative hash, and names long enough to make state bulky.</summary>
    private static void Append(TarnDatabase db, long from, int count, long keys)
    {
        using var appender = db.CreateAppender("src");
        for (var i = from; i < from + count; i++)
            appender.Append(i * 2654435761L % keys).Append(i % 1000).Append("name-" + (i * 7919 % 100_003).ToString("D40", System.Globalization.CultureInfo.InvariantCulture)).EndRow();
    }
}
