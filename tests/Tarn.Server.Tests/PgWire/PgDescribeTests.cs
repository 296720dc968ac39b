using System.Buffers.Binary;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Describe answers from binding and planning alone: nothing runs, DML answers NoData, untyped parameters get types.</summary>
public sealed class PgDescribeTests
{
    [Fact]
    public async Task DescribingAnInsertWithParametersInsertsNothingAndTypesTheParameters()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t (id INT, v STRING, amount DECIMAL(10, 2))");

        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.SendAsync('P', Parse("ins", "INSERT INTO t VALUES ($1, $2, $3)", 3));
        await client.SendAsync('D', [(byte)'S', .. "ins\0"u8.ToArray()]);
        await client.SendAsync('S', []);
        Assert.Equal('1', (await client.ReadAsync()).Type);
        var (type, body) = await client.ReadAsync();
        Assert.Equal('t', type);
        Assert.Equal([23, 25, 1700], ParameterOids(body)); // int4, text, numeric: from the columns they are inserted into
        Assert.Equal('n', (await client.ReadAsync()).Type); // NoData: an INSERT returns no rows
        Assert.Equal('Z', (await client.ReadAsync()).Type);

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM t", conn);
        Assert.Equal(0L, await count.ExecuteScalarAsync());

        // Npgsql's own Prepare (Parse + Describe) does not insert either; executing it does, once.
        await using var insert = new NpgsqlCommand("INSERT INTO t VALUES (@id, @v, @a)", conn);
        insert.Parameters.AddWithValue("id", 7);
        insert.Parameters.AddWithValue("v", "x");
        insert.Parameters.AddWithValue("a", 1.25m);
        await insert.PrepareAsync();
        Assert.Equal(0L, await count.ExecuteScalarAsync());
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ComparedParameterTakesTheColumnType()
    {
        await using var server = new PgServerFixture();
        await using (var conn = new NpgsqlConnection(server.ConnectionString(prepare: false)))
        {
            await conn.OpenAsync();
            await Exec(conn, "CREATE TABLE p (id BIGINT, name STRING)");
        }
        using var client = await PgWireClient.ConnectAsync(server.Port);
        await client.SendAsync('P', Parse("q", "SELECT name FROM p WHERE id = $1 AND name LIKE $2", 2));
        await client.SendAsync('D', [(byte)'S', .. "q\0"u8.ToArray()]);
        await client.SendAsync('S', []);
        Assert.Equal('1', (await client.ReadAsync()).Type);
        var (type, body) = await client.ReadAsync();
        Assert.Equal('t', type);
        Assert.Equal([20, 25], ParameterOids(body));
        (type, body) = await client.ReadAsync();
        Assert.Equal('T', type);
        Assert.Contains("name\0", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal('Z', (await client.ReadAsync()).Type);
    }

    [Fact]
    public async Task PreparedJoinDescribesItsColumns()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE a (id INT, name STRING)");
        await Exec(conn, "CREATE TABLE b (aid INT, amount DECIMAL(10, 2), at DATE)");
        await Exec(conn, "INSERT INTO a VALUES (1, 'one'), (2, 'two')");
        await Exec(conn, "INSERT INTO b VALUES (1, 10.50, DATE '2024-01-02'), (2, 3.25, DATE '2024-03-04'), (2, 1.00, DATE '2024-05-06')");

        await using var cmd = new NpgsqlCommand("SELECT a.name, b.amount, b.at, a.id * 10 AS tens FROM a JOIN b ON a.id = b.aid WHERE a.id = @id ORDER BY b.amount", conn);
        cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Integer) { Value = 2 });
        await cmd.PrepareAsync();
        for (var run = 0; run < 2; run++)
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.Equal(["name", "amount", "at", "tens"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
            Assert.Equal(["text", "numeric(10, 2)", "date", "integer"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToArray());
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("two", 1.00m, new DateOnly(2024, 5, 6), 20), (reader.GetString(0), reader.GetDecimal(1), reader.GetFieldValue<DateOnly>(2), reader.GetInt32(3)));
            Assert.True(await reader.ReadAsync());
            Assert.Equal(3.25m, reader.GetDecimal(1));
            Assert.False(await reader.ReadAsync());
        }
    }

    [Fact]
    public async Task PreparedQueryInStreamingChangelogModeDescribesTheOpColumn()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await conn.OpenAsync();
        await Exec(conn, "SET 'execution.runtime-mode' = 'streaming'");
        await Exec(conn, "SET 'sql-client.execution.result-mode' = 'changelog'");
        await using var cmd = new NpgsqlCommand("SELECT x * 2 AS y FROM (VALUES (1), (2)) AS t(x)", conn);
        await cmd.PrepareAsync();
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.Equal(["op", "y"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0) + " " + reader.GetInt32(1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["+I 2", "+I 4"], rows.Order().ToArray());
    }

    private static byte[] Parse(string name, string sql, int untypedParameters)
    {
        var text = Encoding.UTF8.GetBytes(name + "\0" + sql + "\0");
        var body = new byte[text.Length + 2 + 4 * untypedParameters];
        text.CopyTo(body, 0);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(text.Length), (short)untypedParameters); // each OID 0: let the server decide
        return body;
    }

    private static int[] ParameterOids(byte[] body)
    {
        var oids = new int[BinaryPrimitives.ReadInt16BigEndian(body)];
        for (var i = 0; i < oids.Length; i++) oids[i] = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(2 + 4 * i));
        return oids;
    }

    private static async Task<int> Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
