using System.Globalization;
using System.Net;
using Npgsql;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// RisingWave's durable subscriptions over pgwire: CREATE/DROP/SHOW SUBSCRIPTION(S), DECLARE ... SUBSCRIPTION CURSOR
/// FOR sub [SINCE ...|FULL] and FETCH NEXT / FETCH n, with Npgsql and psql, across a restart and under grants.
/// </summary>
public sealed class PgSubscriptionCursorTests
{
    [Fact]
    public async Task FullCursorSeesTheTableThenEveryChangeWithOpAndTimestamp()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t1 (v1 INT, v2 INT, v3 INT, PRIMARY KEY (v1) NOT ENFORCED)");
        await Exec(conn, "INSERT INTO t1 VALUES (1, 1, 1)");
        await Exec(conn, "CREATE SUBSCRIPTION sub FROM t1 WITH (retention = '1h')");
        Assert.Equal(["sub default_catalog.default_database.t1 1h"], (await RowsAsync(conn, "SHOW SUBSCRIPTIONS")).Select(r => string.Join(' ', r.Take(3))));

        // Subscription cursors need no transaction, and FETCH answers at once.
        await Exec(conn, "DECLARE cur SUBSCRIPTION CURSOR FOR sub FULL");
        await Exec(conn, "DECLARE later SUBSCRIPTION CURSOR FOR sub SINCE now()");
        await using (var cmd = new NpgsqlCommand("FETCH NEXT FROM cur", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.Equal(["v1", "v2", "v3", "op", "rw_timestamp"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
            Assert.True(await reader.ReadAsync());
            Assert.Equal((1, 1, 1, "Insert"), (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3)));
            Assert.True(reader.IsDBNull(4)); // a snapshot row has no commit time
            Assert.False(await reader.ReadAsync());
        }
        Assert.Empty(await RowsAsync(conn, "FETCH NEXT FROM cur"));

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Exec(conn, "UPDATE t1 SET v3 = 10 WHERE v1 = 1");
        await Exec(conn, "DELETE FROM t1 WHERE v1 = 1");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var changes = await RowsAsync(conn, "FETCH 10 FROM cur");
        Assert.Equal(["1 1 1 UpdateDelete", "1 1 10 UpdateInsert", "1 1 10 Delete"], changes.Select(r => string.Join(' ', r.Take(4))));
        foreach (var row in changes)
        {
            var ts = long.Parse(row[4], CultureInfo.InvariantCulture);
            Assert.InRange(ts, before - 1, after + 1);
        }
        Assert.Equal(changes, await RowsAsync(conn, "FETCH 10 FROM later"));

        // SINCE BEGIN(): everything since the subscription was created (not the row inserted before it).
        await Exec(conn, "DECLARE everything SUBSCRIPTION CURSOR FOR sub SINCE BEGIN()");
        Assert.Equal(changes, await RowsAsync(conn, "FETCH ALL FROM everything"));

        // SINCE unix_ms resumes after the last timestamp seen.
        var last = long.Parse(changes[^1][4], CultureInfo.InvariantCulture);
        await Exec(conn, "INSERT INTO t1 VALUES (2, 2, 2)");
        await Exec(conn, $"DECLARE resumed SUBSCRIPTION CURSOR FOR sub SINCE {last + 1}");
        Assert.Equal(["2 2 2 Insert"], (await RowsAsync(conn, "FETCH 10 FROM resumed")).Select(r => string.Join(' ', r.Take(4))));

        // A FETCH with a timeout waits for the next commit.
        var waiting = RowsAsync(conn, "FETCH NEXT FROM later WITH (timeout = '20s')");
        Assert.Equal(["2 2 2 Insert"], (await waiting).Select(r => string.Join(' ', r.Take(4))));
        var waiter = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await using (waiter)
        {
            await waiter.OpenAsync();
            await Exec(waiter, "DECLARE w SUBSCRIPTION CURSOR FOR sub");
            var pending = RowsAsync(waiter, "FETCH NEXT FROM w WITH (timeout = '30s')");
            await Exec(conn, "INSERT INTO t1 VALUES (3, 3, 3)");
            Assert.Equal(["3 3 3 Insert"], (await pending).Select(r => string.Join(' ', r.Take(4))));
        }

        await Exec(conn, "CLOSE cur");
        await Exec(conn, "DROP SUBSCRIPTION sub");
        Assert.Empty(await RowsAsync(conn, "SHOW SUBSCRIPTIONS"));
        var error = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "DECLARE gone SUBSCRIPTION CURSOR FOR sub"));
        Assert.Equal("42704", error.SqlState);
        await Exec(conn, "DROP SUBSCRIPTION IF EXISTS sub");
    }

    [Fact]
    public async Task TheSubscriptionAndItsPositionSurviveARestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgsubscription-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var server = new TarnServer(TarnDatabase.Open(directory)))
            {
                var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
                await using var conn = new NpgsqlConnection(ConnectionString(port, "tarn", null));
                await conn.OpenAsync();
                await Exec(conn, "CREATE TABLE kv (k INT, v STRING, PRIMARY KEY (k) NOT ENFORCED)");
                await Exec(conn, "INSERT INTO kv VALUES (1, 'before')");
                await Exec(conn, "CREATE SUBSCRIPTION kv_changes FROM kv WITH (retention = '1 day')");
                await Exec(conn, "INSERT INTO kv VALUES (2, 'after')");
                await Exec(conn, "UPDATE kv SET v = 'changed' WHERE k = 2");
            }
            await using (var server = new TarnServer(TarnDatabase.Open(directory)))
            {
                var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
                await using var conn = new NpgsqlConnection(ConnectionString(port, "tarn", null));
                await conn.OpenAsync();
                Assert.Equal(["kv_changes default_catalog.default_database.kv 1d"], (await RowsAsync(conn, "SHOW SUBSCRIPTIONS")).Select(r => string.Join(' ', r.Take(3))));
                await Exec(conn, "DECLARE c SUBSCRIPTION CURSOR FOR kv_changes SINCE begin()");
                Assert.Equal(["2 after Insert", "2 after UpdateDelete", "2 changed UpdateInsert"],
                    (await RowsAsync(conn, "FETCH 10 FROM c")).Select(r => string.Join(' ', r.Take(3))));
                await Exec(conn, "DROP TABLE kv"); // takes its subscription along
                Assert.Empty(await RowsAsync(conn, "SHOW SUBSCRIPTIONS"));
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task SelectOnTheTableIsNeeded()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgsubscription-" + Guid.NewGuid().ToString("N"));
        var database = TarnDatabase.Open(directory);
        await database.ExecuteAsync("CREATE USER alice PASSWORD 'wonder land'");
        await database.ExecuteAsync("CREATE TABLE secret (x INT)");
        await database.ExecuteAsync("CREATE SUBSCRIPTION secret_sub FROM secret");
        var server = new TarnServer(database, new ServerOptions());
        var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
        try
        {
            await using var alice = new NpgsqlConnection(ConnectionString(port, "alice", "wonder land"));
            await alice.OpenAsync();
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Exec(alice, "DECLARE c SUBSCRIPTION CURSOR FOR secret_sub"))).SqlState);
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Exec(alice, "CREATE SUBSCRIPTION mine FROM secret"))).SqlState);
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Exec(alice, "DROP SUBSCRIPTION secret_sub"))).SqlState);
            await database.ExecuteAsync("GRANT SELECT ON secret TO alice");
            await Exec(alice, "CREATE SUBSCRIPTION mine FROM secret WITH (retention = '10min')");
            await Exec(alice, "DECLARE c SUBSCRIPTION CURSOR FOR mine FULL");
            await database.ExecuteAsync("INSERT INTO secret VALUES (7)");
            Assert.Equal(["7 Insert"], (await RowsAsync(alice, "FETCH NEXT FROM c WITH (timeout = '20s')")).Select(r => string.Join(' ', r.Take(2))));
        }
        finally
        {
            await server.DisposeAsync();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task PsqlDeclaresAndFetchesASubscriptionCursor()
    {
        await using var server = new PgServerFixture();
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-A", "-t",
            "-c", "CREATE TABLE t (id INT, name STRING)",
            "-c", "INSERT INTO t VALUES (1, 'one')",
            "-c", "CREATE SUBSCRIPTION s FROM t WITH (retention = '1h')",
            "-c", "DECLARE cur SUBSCRIPTION CURSOR FOR s FULL",
            "-c", "INSERT INTO t VALUES (2, 'two')",
            "-c", "FETCH 5 FROM cur",
            "-c", "SHOW SUBSCRIPTIONS");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('|', StringComparison.Ordinal)).ToArray(); // rows, not command tags
        Assert.Equal(3, lines.Length);
        Assert.Equal("1|one|Insert|", lines[0]);
        Assert.Matches(@"^2\|two\|Insert\|\d{13}$", lines[1]);
        Assert.Equal("s|default_catalog.default_database.t|1h", lines[2]);
    }

    [Fact]
    public async Task SubscriptionErrors()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t (x INT)");
        Assert.Equal("42P01", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "CREATE SUBSCRIPTION s FROM missing"))).SqlState);
        Assert.Equal("22023", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "CREATE SUBSCRIPTION s FROM t WITH (retention = 'forever')"))).SqlState);
        await Exec(conn, "CREATE SUBSCRIPTION s FROM t");
        Assert.Equal("42710", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "CREATE SUBSCRIPTION s FROM t"))).SqlState);
        await Exec(conn, "CREATE SUBSCRIPTION IF NOT EXISTS s FROM t");
        Assert.Equal("42704", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "DROP SUBSCRIPTION nope"))).SqlState);
        Assert.Equal("42601", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "DECLARE c SUBSCRIPTION CURSOR FOR s SINCE yesterday()"))).SqlState);
        await Exec(conn, "DECLARE c SUBSCRIPTION CURSOR FOR s");
        Assert.Equal("42P03", (await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "DECLARE c SUBSCRIPTION CURSOR FOR s"))).SqlState);
    }

    private static string ConnectionString(int port, string user, string? password) =>
        $"Host=127.0.0.1;Port={port};Username={user};{(password is null ? "" : $"Password={password};")}Database=tarn;Pooling=false;Timeout=10;Command Timeout=60";

    private static async Task<List<string[]>> RowsAsync(NpgsqlConnection conn, string sql)
    {
        var rows = new List<string[]>();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(values);
        }
        return rows;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
