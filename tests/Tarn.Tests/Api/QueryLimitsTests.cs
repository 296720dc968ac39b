using Tarn.Data;

namespace Tarn.Tests.Api;

/// <summary>Query memory limit with spilling, statement timeouts and cancellation through the public APIs.</summary>
public sealed class QueryLimitsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-limits-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string TempDirectory => Path.Combine(_dir, "tmp");

    private void AssertNoSpillFiles() =>
        Assert.True(!Directory.Exists(TempDirectory) || Directory.GetFiles(TempDirectory).Length == 0, "spill files are left behind");

    private static async Task Fill(TarnDatabase db, int rows)
    {
        await db.ExecuteAsync("CREATE TABLE t (k BIGINT, s STRING, v INT)");
        using var appender = db.CreateAppender("t");
        for (var i = 0; i < rows; i++) appender.AppendRow((long)(i * 7919 % rows), "name " + (i % 5000), i % 100);
    }

    private static List<string> Lines(TarnResult result)
    {
        var lines = new List<string>();
        for (var r = 0; r < result.RowCount; r++)
        {
            var values = new string[result.Columns.Count];
            for (var c = 0; c < values.Length; c++) values[c] = Convert.ToString(result.GetValue(r, c), System.Globalization.CultureInfo.InvariantCulture) ?? "NULL";
            lines.Add(string.Join("|", values));
        }
        return lines;
    }

    [Fact]
    public async Task Queries_over_the_memory_limit_spill_and_give_the_same_results()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        await Fill(db, 60_000);
        string[] queries =
        [
            "SELECT k, count(*), sum(v), max(s) FROM t GROUP BY k",
            "SELECT k, s, v FROM t ORDER BY s DESC, k",
            "SELECT a.k, a.v, b.s FROM t a JOIN t b ON a.k = b.k WHERE a.v < 50",
        ];
        var session = db.CreateSession();
        var expected = new List<List<string>>();
        foreach (var q in queries) expected.Add(Lines(await session.ExecuteAsync(q, TarnParameters.None)));

        await session.ExecuteAsync("SET 'query.memory-limit' = '1mb'", TarnParameters.None);
        for (var i = 0; i < queries.Length; i++)
        {
            var actual = Lines(await session.ExecuteAsync(queries[i], TarnParameters.None));
            if (queries[i].Contains("ORDER BY", StringComparison.Ordinal)) Assert.Equal(expected[i], actual);
            else Assert.Equal(expected[i].Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
            AssertNoSpillFiles();
        }

        // the same limit without spilling is too small for each of them
        await session.ExecuteAsync("SET 'query.spill-enabled' = 'false'", TarnParameters.None);
        foreach (var q in queries)
        {
            var ex = await Assert.ThrowsAsync<TarnException>(() => session.ExecuteAsync(q, TarnParameters.None));
            Assert.Equal(SqlStates.OutOfMemory, ex.SqlState);
        }
    }

    [Fact]
    public async Task Query_that_cannot_spill_fails_with_53200_and_the_database_stays_usable()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        await Fill(db, 20_000);
        var session = db.CreateSession();
        await session.ExecuteAsync("SET 'query.memory-limit' = '128kb'", TarnParameters.None);
        // a join on a key every row shares cannot be split into smaller partitions
        var skew = await Assert.ThrowsAsync<TarnException>(() =>
            session.ExecuteAsync("SELECT count(*) FROM t a JOIN t b ON a.v - a.v = b.v - b.v WHERE a.s < b.s", TarnParameters.None));
        Assert.Equal(SqlStates.OutOfMemory, skew.SqlState);
        Assert.Contains("even after spilling", skew.Message, StringComparison.Ordinal);
        // nested-loop joins do not spill
        var cross = await Assert.ThrowsAsync<TarnException>(() =>
            session.ExecuteAsync("SELECT count(*) FROM t a CROSS JOIN t b WHERE a.s < b.s", TarnParameters.None));
        Assert.Equal(SqlStates.OutOfMemory, cross.SqlState);
        AssertNoSpillFiles();
        var count = await session.ExecuteAsync("SELECT count(*) FROM t", TarnParameters.None);
        Assert.Equal(20_000L, count.GetValue(0, 0));
    }

    [Fact]
    public async Task Command_cancel_from_another_thread_ends_a_long_query_with_57014()
    {
        await using (var db = await TarnDatabase.OpenAsync(_dir)) await Fill(db, 20_000);
        await using var conn = new TarnConnection($"Data Source={_dir}");
        await conn.OpenAsync();
        var cmd = conn.CreateCommand();
        cmd.CommandTimeout = 60; // only if Cancel did not work: then the message says timeout
        cmd.CommandText = "SELECT count(*) FROM t a CROSS JOIN t b CROSS JOIN t c WHERE a.v + b.v + c.v = 7";
        var running = Task.Run(() => cmd.ExecuteScalarAsync());
        await Task.Delay(300);
        cmd.Cancel();
        var ex = await Assert.ThrowsAsync<TarnException>(() => running);
        Assert.Equal(SqlStates.QueryCanceled, ex.SqlState);
        Assert.Equal("canceling statement due to user request", ex.Message);

        var next = conn.CreateCommand();
        next.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(20_000L, await next.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Statement_timeouts_end_long_queries_with_57014()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        await Fill(db, 20_000);
        const string Long = "SELECT count(*) FROM t a CROSS JOIN t b CROSS JOIN t c WHERE a.v + b.v + c.v = 7";
        var session = db.CreateSession();
        await session.ExecuteAsync("SET 'query.timeout' = '200 ms'", TarnParameters.None);
        var ex = await Assert.ThrowsAsync<TarnException>(() => session.ExecuteAsync(Long, TarnParameters.None));
        Assert.Equal(SqlStates.QueryCanceled, ex.SqlState);
        Assert.Equal("canceling statement due to statement timeout", ex.Message);
        await session.ExecuteAsync("SET 'query.timeout' = '0'", TarnParameters.None);
        Assert.Equal(20_000L, (await session.ExecuteAsync("SELECT count(*) FROM t", TarnParameters.None)).GetValue(0, 0));

        await using var conn = new TarnConnection($"Data Source={_dir}");
        await conn.OpenAsync();
        var cmd = conn.CreateCommand();
        cmd.CommandTimeout = 1;
        cmd.CommandText = Long;
        var timeout = await Assert.ThrowsAsync<TarnException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal(SqlStates.QueryCanceled, timeout.SqlState);
        Assert.Equal("canceling statement due to statement timeout", timeout.Message);
    }

    [Fact]
    public async Task Limit_options_are_validated()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        foreach (var bad in new[] { "SET 'query.memory-limit' = 'lots'", "SET 'query.memory-limit' = '0'", "SET 'query.timeout' = 'soon'", "SET 'query.spill-enabled' = 'maybe'" })
            Assert.Equal(SqlStates.InvalidParameterValue, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync(bad))).SqlState);
        foreach (var good in new[] { "SET 'query.memory-limit' = '256mb'", "SET 'query.memory-limit' = '1 gb'", "SET 'query.timeout' = '10 s'", "SET 'query.timeout' = '1500'" })
            await db.ExecuteAsync(good);
    }

    [Fact]
    [Trait("Spec", "DB-004")]
    public async Task Spill_files_left_by_a_crashed_process_are_removed_on_open()
    {
        await using (var db = await TarnDatabase.OpenAsync(_dir)) await db.ExecuteAsync("CREATE TABLE x (a INT)");
        Directory.CreateDirectory(TempDirectory);
        await File.WriteAllTextAsync(Path.Combine(TempDirectory, "spill-0123.tmp"), "left over");
        await using (var db = await TarnDatabase.OpenAsync(_dir))
        {
            AssertNoSpillFiles();
            Assert.Equal(0L, (await db.ExecuteAsync("SELECT count(*) FROM x")).GetValue(0, 0));
        }
    }
}
