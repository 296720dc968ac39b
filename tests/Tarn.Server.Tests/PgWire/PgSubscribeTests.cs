using System.Text;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Following a query's changelog: DECLARE c CURSOR FOR SUBSCRIBE + FETCH with Npgsql, SUBSCRIBE as a COPY stream.</summary>
public sealed class PgSubscribeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CursorFetchLoopSeesInsertsUpdatesAndDeletes(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var reader = new NpgsqlConnection(server.ConnectionString(prepare));
        await using var writer = new NpgsqlConnection(server.ConnectionString(prepare));
        await reader.OpenAsync();
        await writer.OpenAsync();
        await Exec(writer, "CREATE TABLE kv (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        await Exec(writer, "INSERT INTO kv VALUES (1, 'a'), (2, 'b')");

        await Exec(reader, "BEGIN");
        await Exec(reader, "DECLARE c CURSOR FOR SUBSCRIBE (SELECT id, v FROM kv)");
        var changes = await FetchUntilAsync(reader, "c", 2);
        Assert.Equal(["+I 1 a", "+I 2 b"], changes.Order().ToArray());

        await Exec(writer, "INSERT INTO kv VALUES (3, 'c')");
        Assert.Equal(["+I 3 c"], await FetchUntilAsync(reader, "c", 1));

        await Exec(writer, "UPDATE kv SET v = 'bb' WHERE id = 2");
        Assert.Equal(["-U 2 b", "+U 2 bb"], await FetchUntilAsync(reader, "c", 2));

        await Exec(writer, "DELETE FROM kv WHERE id = 1");
        Assert.Equal(["-D 1 a"], await FetchUntilAsync(reader, "c", 1));

        // Nothing new: a zero timeout answers at once with no rows, and the columns are still described.
        await using (var cmd = new NpgsqlCommand("FETCH ALL FROM c WITH (timeout = '0s')", reader))
        await using (var rows = await cmd.ExecuteReaderAsync())
        {
            Assert.Equal(["op", "id", "v"], Enumerable.Range(0, rows.FieldCount).Select(rows.GetName).ToArray());
            Assert.False(await rows.ReadAsync());
        }
        await Exec(reader, "CLOSE c");
        await Exec(reader, "COMMIT");
    }

    [Fact]
    public async Task AggregateSubscriptionShowsRetractions()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE sales (g STRING, amount INT)");
        await Exec(conn, "INSERT INTO sales VALUES ('x', 1)");
        await Exec(conn, "BEGIN");
        await Exec(conn, "DECLARE totals CURSOR FOR SUBSCRIBE TO (SELECT g, COUNT(*) AS n, SUM(amount) AS s FROM sales GROUP BY g)");
        Assert.Equal(["+I x 1 1"], await FetchUntilAsync(conn, "totals", 1));

        await using (var other = new NpgsqlConnection(server.ConnectionString(prepare: false)))
        {
            await other.OpenAsync();
            await Exec(other, "INSERT INTO sales VALUES ('x', 5)");
        }
        Assert.Equal(["-U x 1 1", "+U x 2 6"], await FetchUntilAsync(conn, "totals", 2));
        await Exec(conn, "COMMIT"); // ends the cursor with the transaction
        await using var cmd = new NpgsqlCommand("FETCH 1 totals", conn);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteReaderAsync());
        Assert.Equal("34000", error.SqlState);
    }

    [Fact]
    public async Task DeclareOutsideATransactionIsRefusedUnlessWithHold()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, "DECLARE c CURSOR FOR SUBSCRIBE (VALUES (1))"));
        Assert.Equal("25P01", error.SqlState);
        await Exec(conn, "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM (VALUES (1), (2), (3)) AS t(x)");
        Assert.Equal(["1", "2"], await FetchRowsAsync(conn, "FETCH 2 FROM c"));
        Assert.Equal(["3"], await FetchRowsAsync(conn, "FETCH ALL c"));
        Assert.Empty(await FetchRowsAsync(conn, "FETCH ALL c"));
        await Exec(conn, "CLOSE c");
    }

    [Fact]
    public async Task SubscribeStreamsCopyRowsUntilTheClientLeaves()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE events (id INT, note STRING)");
        await Exec(conn, "INSERT INTO events VALUES (1, 'tab\there'), (2, NULL)");

        using (var client = await PgWireClient.ConnectAsync(server.Port))
        {
            await client.QueryAsync("SUBSCRIBE events");
            var (type, body) = await client.ReadAsync();
            Assert.Equal('H', type);
            Assert.Equal(0, body[0]); // text
            Assert.Equal(3, body[2]); // op, id, note
            var lines = new List<string> { await CopyLineAsync(client), await CopyLineAsync(client) };
            Assert.Equal(["+I\t1\ttab\\there\n", "+I\t2\t\\N\n"], lines.Order(StringComparer.Ordinal).ToArray());

            await Exec(conn, "INSERT INTO events VALUES (3, 'new')");
            Assert.Equal("+I\t3\tnew\n", await CopyLineAsync(client));
        } // the client goes away mid-stream: the server stops the subscription and serves on

        await using var check = new NpgsqlCommand("SELECT COUNT(*) FROM events", conn);
        Assert.Equal(3L, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task SubscribeToBoundedQueryEndsWithCopyDone()
    {
        await using var server = new PgServerFixture();
        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.QueryAsync("SUBSCRIBE (VALUES (1, 'a'), (2, 'b')); SELECT 5");
        Assert.Equal('H', (await client.ReadAsync()).Type);
        var lines = new List<string> { await CopyLineAsync(client), await CopyLineAsync(client) };
        Assert.Equal(["+I\t1\ta\n", "+I\t2\tb\n"], lines.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal('c', (await client.ReadAsync()).Type);
        var (type, body) = await client.ReadAsync();
        Assert.Equal('C', type);
        Assert.Equal("SUBSCRIBE 2\0", Encoding.UTF8.GetString(body));
        Assert.Equal('T', (await client.ReadAsync()).Type); // the next statement of the query string runs
    }

    [Fact]
    public async Task SubscribeErrorsBeforeTheCopyStarts()
    {
        await using var server = new PgServerFixture();
        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.QueryAsync("SUBSCRIBE (SELECT nope FROM missing)");
        var (type, body) = await client.ReadAsync();
        Assert.Equal('E', type);
        Assert.Contains("42P01", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal('Z', (await client.ReadAsync()).Type);
    }

    private static async Task<string> CopyLineAsync(PgWireClient client)
    {
        var (type, body) = await client.ReadAsync();
        Assert.Equal('d', type);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>FETCHes (waiting up to a second each) until <paramref name="count"/> changes came, as "op col col..."; gives up after 60 tries.</summary>
    internal static async Task<List<string>> FetchUntilAsync(NpgsqlConnection conn, string cursor, int count)
    {
        var changes = new List<string>();
        for (var attempt = 0; attempt < 60 && changes.Count < count; attempt++)
            changes.AddRange(await FetchRowsAsync(conn, $"FETCH ALL FROM {cursor} WITH (timeout = '1s')"));
        return changes;
    }

    private static async Task<List<string>> FetchRowsAsync(NpgsqlConnection conn, string fetch)
    {
        var rows = new List<string>();
        await using var cmd = new NpgsqlCommand(fetch, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(string.Join(' ', values));
        }
        return rows;
    }

    private static async Task<int> Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
