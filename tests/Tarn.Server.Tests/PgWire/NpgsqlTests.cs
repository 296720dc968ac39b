using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Npgsql 10 against the PostgreSQL endpoint, with and without prepared statements (default type loading, see the fixture).</summary>
public sealed class NpgsqlTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateInsertSelectEveryMappedType(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE t (b BOOLEAN, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, n DECIMAL(10, 2), v STRING, y BYTES, dt DATE, tm TIME, ts TIMESTAMP(6), tz TIMESTAMP_LTZ(6))");
        Assert.Equal(1, await Exec(conn, "INSERT INTO t VALUES (TRUE, CAST(7 AS SMALLINT), 42, 9000000000, CAST(1.5 AS FLOAT), 2.25, CAST(-12345.67 AS DECIMAL(10, 2)), 'héllo', X'0102ff', DATE '2024-02-29', TIME '13:14:15', TIMESTAMP '2024-02-29 13:14:15.123456', CAST(TIMESTAMP '2024-02-29 13:14:15' AS TIMESTAMP_LTZ(6)))"));
        Assert.Equal(1, await Exec(conn, "INSERT INTO t (i) VALUES (1)"));

        await using var cmd = new NpgsqlCommand("SELECT b, s, i, l, f, d, n, v, y, dt, tm, ts, tz FROM t WHERE i = 42", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(["boolean", "smallint", "integer", "bigint", "real", "double precision", "numeric(10, 2)", "text", "bytea", "date", "time without time zone", "timestamp without time zone", "timestamp with time zone"],
            Enumerable.Range(0, 13).Select(reader.GetDataTypeName).ToArray());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal((short)7, reader.GetInt16(1));
        Assert.Equal(42, reader.GetInt32(2));
        Assert.Equal(9000000000L, reader.GetInt64(3));
        Assert.Equal(1.5f, reader.GetFloat(4));
        Assert.Equal(2.25, reader.GetDouble(5));
        Assert.Equal(-12345.67m, reader.GetDecimal(6));
        Assert.Equal("héllo", reader.GetString(7));
        Assert.Equal(new byte[] { 1, 2, 0xff }, reader.GetFieldValue<byte[]>(8));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(9));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetFieldValue<TimeOnly>(10));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Unspecified).AddTicks(1234560), reader.GetDateTime(11));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(12).Kind);
        Assert.False(await reader.ReadAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ParametersBindTypedValues(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE p (id BIGINT, name STRING, amount DOUBLE)");
        for (var i = 0; i < 3; i++)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO p VALUES ($1, $2, $3)", conn);
            insert.Parameters.AddWithValue((long)i);
            insert.Parameters.AddWithValue("n" + i);
            insert.Parameters.AddWithValue(i * 1.5);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        await using var select = new NpgsqlCommand("SELECT name, amount FROM p WHERE id >= $1 ORDER BY id", conn);
        select.Parameters.AddWithValue(1L);
        var rows = new List<(string, double)>();
        await using (var reader = await select.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetDouble(1)));
        Assert.Equal([("n1", 1.5), ("n2", 3.0)], rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ErrorCarriesSqlStateAndPositionAndConnectionStaysUsable(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare));
        await conn.OpenAsync();
        const string sql = "SELECT 1\nFROM t WHERE nope = 1";
        await Exec(conn, "CREATE TABLE t (a INT)");
        var expected = await Assert.ThrowsAsync<TarnException>(() => server.Server.Database.ExecuteAsync(sql));
        Assert.Equal(new SourcePosition(2, 14), expected.Position);
        await using (var bad = new NpgsqlCommand(sql, conn))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteScalarAsync());
            Assert.Equal(expected.SqlState, error.SqlState);
            Assert.Equal(23, error.Position); // 1-based character offset of 'nope' in the whole text
        }
        await using var good = new NpgsqlCommand("SELECT 1 + 1", conn);
        Assert.Equal(2, Convert.ToInt32(await good.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TransactionsReportTheirStatus()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE x (a INT)");
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await Exec(conn, "INSERT INTO x VALUES (1)");
            await tx.RollbackAsync();
        }
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await Exec(conn, "INSERT INTO x VALUES (2)");
            await tx.CommitAsync();
        }
        await using var count = new NpgsqlCommand("SELECT a FROM x", conn);
        Assert.Equal(2, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Without prepared statements Npgsql resets with DISCARD ALL; with them, with its multi-statement reset string.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PooledConnectionsAreResetAndReused(bool prepare)
    {
        await using var server = new PgServerFixture();
        var pooled = server.ConnectionString(prepare).Replace("Pooling=false", "Pooling=true;Maximum Pool Size=1", StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await using var conn = new NpgsqlConnection(pooled);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT $1 + 1", conn);
            cmd.Parameters.AddWithValue(i);
            Assert.Equal(i + 1, Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<int> Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
