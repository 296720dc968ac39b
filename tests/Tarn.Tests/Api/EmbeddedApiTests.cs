using System.Diagnostics;
using Tarn.Data;
using Tarn.Storage.Scans;
using Tarn.Vectors;

namespace Tarn.Tests.Api;

public sealed class EmbeddedApiTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-api-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    public sealed record Order(long Id, string Status, double Amount);

    [Fact]
    public async Task Open_execute_and_map_rows_to_records()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        await db.ExecuteAsync("CREATE TABLE orders (id BIGINT, status STRING, amount DOUBLE)");
        var inserted = await db.ExecuteAsync("INSERT INTO orders VALUES (?, ?, ?), (?, ?, ?)", 1L, "paid", 9.5, 2L, "new", 1.25);
        Assert.Equal(2, inserted.RowsAffected);
        var orders = await db.QueryAsync<Order>("SELECT id, status, amount FROM orders WHERE amount > ? ORDER BY id", 1.0);
        Assert.Equal([new Order(1, "paid", 9.5), new Order(2, "new", 1.25)], orders);
        Assert.Equal([2L], await db.QueryAsync<long>("SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task AdoNet_provider_runs_commands_with_named_and_positional_parameters()
    {
        await using (var conn = new TarnConnection($"Data Source={_dir}"))
        {
            await conn.OpenAsync();
            var create = conn.CreateCommand();
            create.CommandText = "CREATE TABLE t (id INT, name STRING, ts TIMESTAMP(6))";
            await create.ExecuteNonQueryAsync();
            var insert = conn.CreateCommand();
            insert.CommandText = "INSERT INTO t VALUES (@id, @name, @ts)";
            insert.Parameters.AddWithValue("@id", 7);
            insert.Parameters.AddWithValue("name", "seven");
            insert.Parameters.AddWithValue("@ts", new DateTime(2024, 5, 6, 7, 8, 9));
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());

            var select = conn.CreateCommand();
            select.CommandText = "SELECT id, name, ts FROM t WHERE id = ?";
            select.Parameters.Add(new TarnParameter("p", 7));
            await using var reader = await select.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(7, reader.GetInt32(0));
            Assert.Equal("seven", reader.GetString(reader.GetOrdinal("name")));
            Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9), reader.GetDateTime(2));
            Assert.Equal(typeof(DateTime), reader.GetFieldType(2));
            Assert.False(await reader.ReadAsync());

            var scalar = conn.CreateCommand();
            scalar.CommandText = "SELECT count(*) FROM t";
            Assert.Equal(1L, await scalar.ExecuteScalarAsync());
        }
        // A second connection (same process) shares the engine and sees the data.
        await using var again = new TarnConnection($"Data Source={_dir}");
        await again.OpenAsync();
        var cmd = again.CreateCommand();
        cmd.CommandText = "SELECT name FROM t";
        Assert.Equal("seven", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Appender_commits_durably_on_flush_and_checks_types()
    {
        using (var db = TarnDatabase.Open(_dir))
        {
            db.Execute("CREATE TABLE m (id BIGINT NOT NULL, v DOUBLE, s STRING, ts TIMESTAMP(3))");
            using (var appender = db.CreateAppender("m", chunkRows: 1000))
            {
                for (var i = 0; i < 2500; i++)
                    appender.Append((long)i).Append(i * 0.5).Append(i % 2 == 0 ? "even" : null).Append(new DateTime(2024, 1, 1).AddSeconds(i)).EndRow();
                Assert.Throws<TarnException>(() => appender.AppendNull());
                appender.Append(9999L).Append(1.0).Append("x").Append(DateTime.UnixEpoch).EndRow();
            }
            Assert.Equal(2501L, db.Execute("SELECT count(*) FROM m").GetValue(0, 0));
            var mismatch = Assert.Throws<TarnException>(() => db.CreateAppender("m").Append(true));
            Assert.Equal(SqlStates.DatatypeMismatch, mismatch.SqlState);
        }
        using var reopened = TarnDatabase.Open(_dir);
        var r = reopened.Execute("SELECT count(*), sum(v), count(s) FROM m WHERE id < 2500");
        Assert.Equal(2500L, r.GetValue(0, 1 - 1));
        Assert.Equal(Enumerable.Range(0, 2500).Sum(i => i * 0.5), (double)r.GetValue(0, 1)!);
        Assert.Equal(1250L, r.GetValue(0, 2));
        await Task.CompletedTask;
    }

    [Fact]
    [Trait("Spec", "LOG-004")]
    public async Task Concurrent_writers_share_commits_and_lose_nothing()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE c (writer INT, n INT)");
        var tasks = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var session = db.CreateSession();
            for (var n = 0; n < 40; n++) await session.ExecuteAsync("INSERT INTO c VALUES (?, ?)", w, n);
        })).ToArray();
        await Task.WhenAll(tasks);
        var result = db.Execute("SELECT writer, count(*), count(DISTINCT n) FROM c GROUP BY writer ORDER BY writer");
        Assert.Equal(8, result.RowCount);
        Assert.All(result.Rows, row => { Assert.Equal(40L, row[1]); Assert.Equal(40L, row[2]); });
    }

    [Fact]
    public async Task Stream_reader_follows_commits_in_order()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE s (id INT)");
        db.Execute("INSERT INTO s VALUES (1), (2)");
        var reader = db.OpenStream("s", StreamStart.Earliest);
        var first = await reader.ReadAsync();
        Assert.Equal([1, 2], Ids(first));
        var next = reader.ReadAsync().AsTask();
        db.Execute("INSERT INTO s VALUES (3)");
        var second = await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, second.FirstOffset);
        Assert.Equal([3], Ids(second));
        Assert.Equal([3L], reader.Positions);
    }

    private static List<int> Ids(StreamBatch b) =>
        Enumerable.Range(0, b.Rows.RowCount).Select(i => ((PrimitiveVector<int>)b.Rows.Columns[0]).Values[i]).ToList();

    [Fact]
    [Trait("Spec", "HDR-010")]
    public void A_second_process_gets_a_clear_lock_error()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE x (a INT)");
        var worker = Path.Combine(AppContext.BaseDirectory, "Tarn.CrashWorker.dll");
        var psi = new ProcessStartInfo("dotnet", [worker, _dir, "1", "0"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("55P03", stderr + p.StandardOutput.ReadToEnd());
        Assert.Contains("already open", stderr);
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM x").GetValue(0, 0));
    }

    [Fact]
    public void Syntax_errors_report_line_and_column_and_change_nothing()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE e (a INT)");
        var e = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO e VALUES (1);\nINSERT INTO e VALUES (2;"));
        Assert.Equal(SqlStates.SyntaxError, e.SqlState);
        Assert.Equal(2, e.Position!.Value.Line);
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM e").GetValue(0, 0));
        var mismatch = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO e VALUES ('not a number')"));
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM e").GetValue(0, 0));
        Assert.NotNull(mismatch.SqlState);
    }
}
