using System.Globalization;
using System.Text;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Materialize's SUBSCRIBE options over pgwire: WITH (SNAPSHOT = false) and WITH (PROGRESS), as a cursor and as COPY.</summary>
public sealed class PgSubscribeOptionsTests
{
    [Fact]
    public async Task SnapshotFalseCursorSeesOnlyChangesCommittedAfterItStarted()
    {
        await using var server = new PgServerFixture();
        await using var reader = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await using var writer = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await reader.OpenAsync();
        await writer.OpenAsync();
        await Exec(writer, "CREATE TABLE kv (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        await Exec(writer, "INSERT INTO kv VALUES (1, 'a'), (2, 'b')");
        await Exec(writer, "CREATE TABLE sales (g STRING, amount INT)");
        await Exec(writer, "INSERT INTO sales VALUES ('x', 1), ('y', 2)");

        await Exec(reader, "BEGIN");
        await Exec(reader, "DECLARE c CURSOR FOR SUBSCRIBE (SELECT id, v FROM kv) WITH (SNAPSHOT = false)");
        await Exec(reader, "DECLARE totals CURSOR FOR SUBSCRIBE TO (SELECT g, COUNT(*) AS n, SUM(amount) AS s FROM sales GROUP BY g) WITH (snapshot = 'false')");
        Assert.Empty(await FetchAsync(reader, "FETCH ALL c WITH (timeout = '300ms')"));
        Assert.Empty(await FetchAsync(reader, "FETCH ALL totals WITH (timeout = '300ms')"));

        await Exec(writer, "INSERT INTO kv VALUES (3, 'c')");
        await Exec(writer, "UPDATE kv SET v = 'bb' WHERE id = 2");
        Assert.Equal(["+I 3 c", "-U 2 b", "+U 2 bb"], await FetchUntilAsync(reader, "c", 3));

        // The aggregate's state was built from the rows that were there: the change retracts the old total.
        await Exec(writer, "INSERT INTO sales VALUES ('x', 5)");
        Assert.Equal(["-U x 1 1", "+U x 2 6"], await FetchUntilAsync(reader, "totals", 2));
        await Exec(reader, "COMMIT");
    }

    [Fact]
    public async Task ProgressCursorReportsTheFrontierEvenWhenNothingChanged()
    {
        await using var server = new PgServerFixture();
        await using var reader = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await using var writer = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await reader.OpenAsync();
        await writer.OpenAsync();
        await Exec(writer, "CREATE TABLE kv (id INT, v STRING)");
        await Exec(writer, "CREATE TABLE other (x INT)");
        await Exec(writer, "INSERT INTO kv VALUES (1, 'a')");

        await Exec(reader, "BEGIN");
        await Exec(reader, "DECLARE c CURSOR FOR SUBSCRIBE (SELECT id, v FROM kv) WITH (PROGRESS)");
        var rows = new List<Row>();
        var columns = new List<string>();
        await FetchWhileAsync(reader, rows, () => !rows.Any(r => r.Progressed && r.Timestamp > rows.Where(d => !d.Progressed).Select(d => d.Timestamp).DefaultIfEmpty(long.MaxValue).Max()), columns);
        Assert.Equal(["mz_timestamp", "mz_progressed", "op", "id", "v"], columns);
        Assert.True(rows[0].Progressed); // the first row says as of when the subscription reads
        var data = Assert.Single(rows, r => !r.Progressed);
        Assert.Equal("+I 1 a", data.Change);

        // A commit that does not change the result still advances the frontier past it.
        var before = rows[^1].Timestamp;
        await Exec(writer, "INSERT INTO other VALUES (1)");
        var more = new List<Row>();
        await FetchWhileAsync(reader, more, () => more.Count == 0);
        Assert.All(more, r => Assert.True(r.Progressed));
        Assert.True(more[^1].Timestamp > before);

        await Exec(writer, "INSERT INTO kv VALUES (2, 'b')");
        var after = new List<Row>();
        await FetchWhileAsync(reader, after, () => !after.Any(r => !r.Progressed) || !after[^1].Progressed);
        rows.AddRange(more);
        rows.AddRange(after);
        Assert.Equal(["+I 1 a", "+I 2 b"], rows.Where(r => !r.Progressed).Select(r => r.Change!).ToArray());
        // Materialize's promise: timestamps never go back, and no change comes at a time a progress row already passed.
        long frontier = 0, last = 0;
        foreach (var r in rows)
        {
            Assert.True(r.Timestamp >= last);
            last = r.Timestamp;
            if (r.Progressed)
            {
                Assert.Null(r.Change);
                frontier = r.Timestamp;
            }
            else
            {
                Assert.True(r.Timestamp >= frontier);
            }
        }
        await Exec(reader, "COMMIT");
    }

    [Fact]
    public async Task SubscribeCopyWithoutSnapshotAndWithProgress()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE events (id INT, note STRING)");
        await Exec(conn, "INSERT INTO events VALUES (1, 'old')");

        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.QueryAsync("SUBSCRIBE events WITH (SNAPSHOT = false, PROGRESS = true)");
        var (type, body) = await client.ReadAsync();
        Assert.Equal('H', type);
        Assert.Equal(5, body[2]); // mz_timestamp, mz_progressed, op, id, note
        var first = Fields(await CopyLineAsync(client));
        Assert.Equal(["t", "\\N", "\\N", "\\N"], first[1..]);
        var second = Fields(await CopyLineAsync(client)); // the snapshot step: skipped, but its end is progress
        Assert.Equal("t", second[1]);

        await Exec(conn, "INSERT INTO events VALUES (2, 'new')");
        var data = Fields(await CopyLineAsync(client));
        while (data[1] == "t") data = Fields(await CopyLineAsync(client)); // progress from commits before ours
        Assert.Equal(["f", "+I", "2", "new"], data[1..]);
        var progress = Fields(await CopyLineAsync(client));
        Assert.Equal("t", progress[1]);
        Assert.True(long.Parse(progress[0], CultureInfo.InvariantCulture) > long.Parse(data[0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task UnknownSubscribeOptionIsASyntaxError()
    {
        await using var server = new PgServerFixture();
        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.QueryAsync("SUBSCRIBE (VALUES (1)) WITH (SNAPSHOTS = false)");
        var (type, body) = await client.ReadAsync();
        Assert.Equal('E', type);
        Assert.Contains("42601", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PsqlPrintsProgressRowsOfABoundedSubscribe()
    {
        await using var server = new PgServerFixture();
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "SUBSCRIBE (VALUES (1, 'a')) WITH (PROGRESS)",
            "-c", "SUBSCRIBE (VALUES (1, 'a')) WITH (SNAPSHOT = false)");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // progress, the row, progress; then nothing at all without the snapshot
        var ts = Fields(lines[1])[0];
        Assert.Equal([ts, "t", "\\N", "\\N", "\\N"], Fields(lines[0]));
        Assert.Equal([ts, "f", "+I", "1", "a"], Fields(lines[1]));
        Assert.Equal([(long.Parse(ts, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), "t", "\\N", "\\N", "\\N"], Fields(lines[2]));
    }

    private sealed record Row(long Timestamp, bool Progressed, string? Change);

    private static string[] Fields(string line) => line.TrimEnd('\n').Split('\t');

    private static async Task<string> CopyLineAsync(PgWireClient client)
    {
        var (type, body) = await client.ReadAsync();
        Assert.Equal('d', type);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>FETCHes progress-cursor rows into <paramref name="rows"/> while <paramref name="more"/> holds; gives up after 60 tries.</summary>
    private static async Task FetchWhileAsync(NpgsqlConnection conn, List<Row> rows, Func<bool> more, List<string>? columns = null)
    {
        for (var attempt = 0; attempt < 60 && more(); attempt++)
        {
            await using var cmd = new NpgsqlCommand("FETCH ALL c WITH (timeout = '1s')", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            if (columns is { Count: 0 }) columns.AddRange(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
            while (await reader.ReadAsync())
            {
                var change = reader.IsDBNull(2) ? null : $"{reader.GetString(2)} {reader.GetInt32(3)} {reader.GetString(4)}";
                if (reader.GetBoolean(1)) Assert.True(reader.IsDBNull(3) && reader.IsDBNull(4));
                rows.Add(new Row(reader.GetInt64(0), reader.GetBoolean(1), change));
            }
        }
    }

    private static async Task<List<string>> FetchUntilAsync(NpgsqlConnection conn, string cursor, int count)
    {
        var changes = new List<string>();
        for (var attempt = 0; attempt < 60 && changes.Count < count; attempt++)
            changes.AddRange(await FetchAsync(conn, $"FETCH ALL FROM {cursor} WITH (timeout = '1s')"));
        return changes;
    }

    private static async Task<List<string>> FetchAsync(NpgsqlConnection conn, string fetch)
    {
        var rows = new List<string>();
        await using var cmd = new NpgsqlCommand(fetch, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(string.Join(' ', values));
        }
        return rows;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
