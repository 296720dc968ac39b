using Npgsql;
using NpgsqlTypes;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// Plans are cached per statement text (Describe and Execute share them), but never outlive the catalog or the data
/// they were made for: a prepared or repeated statement sees ALTER TABLE, DROP + CREATE and new rows at once.
/// </summary>
public sealed class PgReplanTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LookupSeesNewRowsColumnsAndARecreatedTable(bool explicitPrepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        await Exec(conn, "INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        await using var cmd = new NpgsqlCommand("SELECT v FROM t WHERE id = $1", conn);
        var id = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = 1 };
        cmd.Parameters.Add(id);
        if (explicitPrepare) await cmd.PrepareAsync();
        Assert.Equal("one", await cmd.ExecuteScalarAsync());
        Assert.Equal("one", await cmd.ExecuteScalarAsync());

        await Exec(conn, "INSERT INTO t VALUES (1, 'uno')"); // an upsert: a new table version
        Assert.Equal("uno", await cmd.ExecuteScalarAsync());

        await Exec(conn, "ALTER TABLE t ADD w INT");
        await Exec(conn, "INSERT INTO t VALUES (1, 'ein', 7)");
        Assert.Equal("ein", await cmd.ExecuteScalarAsync());

        await Exec(conn, "DROP TABLE t");
        await Exec(conn, "CREATE TABLE t (id BIGINT, v STRING)"); // no primary key now: a scan, not a point lookup
        await Exec(conn, "INSERT INTO t VALUES (3, 'three'), (1, 'eins')");
        Assert.Equal("eins", await cmd.ExecuteScalarAsync());
        id.TypedValue = 3;
        Assert.Equal("three", await cmd.ExecuteScalarAsync());

        await Exec(conn, "DROP TABLE t");
        var missing = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("42P01", missing.SqlState);
    }

    [Fact]
    public async Task RepeatedUnpreparedSelectStarDescribesTheColumnsOfTheMoment()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE d (a INT)");
        await Exec(conn, "INSERT INTO d VALUES (1)");
        Assert.Equal(["a"], await ColumnsOf(conn, "SELECT * FROM d"));
        Assert.Equal(["a"], await ColumnsOf(conn, "SELECT * FROM d"));

        await Exec(conn, "ALTER TABLE d ADD b STRING");
        Assert.Equal(["a", "b"], await ColumnsOf(conn, "SELECT * FROM d"));

        await Exec(conn, "DROP TABLE d");
        await Exec(conn, "CREATE TABLE d (x DOUBLE, y BIGINT, z BOOLEAN)");
        await Exec(conn, "INSERT INTO d VALUES (1.5, 2, TRUE)");
        await using var cmd = new NpgsqlCommand("SELECT * FROM d", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.Equal(["x", "y", "z"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1.5, 2L, true), (reader.GetDouble(0), reader.GetInt64(1), reader.GetBoolean(2)));
    }

    [Fact]
    public async Task ConstantQueriesRepeatWithTheirOwnValues()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await conn.OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await Scalar(conn, "SELECT 1"));
            await using var cmd = new NpgsqlCommand("SELECT $1 + 1", conn);
            cmd.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = i });
            Assert.Equal(i + 1L, await cmd.ExecuteScalarAsync());
        }
    }

    private static async Task<string[]> ColumnsOf(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        while (await reader.ReadAsync()) Assert.Equal(names.Length, reader.FieldCount);
        return names;
    }

    private static async Task<object?> Scalar(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A prepared <c>SELECT *</c> after ALTER TABLE: the client decodes with the row description it got at Prepare,
    /// so the server refuses as PostgreSQL does (0A000 from RevalidateCachedQuery) instead of sending rows of another
    /// shape, and Npgsql prepares the statement again on the next execution.
    /// </summary>
    [Fact]
    public async Task A_prepared_statement_whose_columns_changed_fails_once_and_Npgsql_prepares_it_again()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t (id BIGINT, v STRING)");
        await Exec(conn, "INSERT INTO t VALUES (1, 'one')");
        await using var cmd = new NpgsqlCommand("SELECT * FROM t", conn);
        await cmd.PrepareAsync();
        Assert.Equal(2, await FieldCountAsync(cmd));

        await Exec(conn, "ALTER TABLE t ADD w INT");
        var e = await Assert.ThrowsAsync<PostgresException>(() => FieldCountAsync(cmd));
        Assert.Equal("0A000", e.SqlState);
        Assert.Equal("RevalidateCachedQuery", e.Routine);
        Assert.Equal(1L, await new NpgsqlCommand("SELECT count(*) FROM t", conn).ExecuteScalarAsync()); // the connection goes on
        Assert.Equal(3, await FieldCountAsync(cmd));
    }

    private static async Task<int> FieldCountAsync(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.FieldCount;
    }
}
