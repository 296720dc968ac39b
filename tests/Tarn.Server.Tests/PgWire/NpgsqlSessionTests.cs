using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Npgsql features around the statements: explicit Prepare, batches, failed transactions, PostgreSQL SET, NULLs.</summary>
public sealed class NpgsqlSessionTests
{
    [Fact]
    public async Task ExplicitPrepareDescribesAndRunsRepeatedly()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT $1 * 2 AS doubled", conn);
        var p = cmd.Parameters.AddWithValue(0L);
        await cmd.PrepareAsync();
        Assert.True(cmd.IsPrepared);
        for (var i = 1; i <= 3; i++)
        {
            p.Value = (long)i;
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.Equal("doubled", reader.GetName(0));
            Assert.True(await reader.ReadAsync());
            Assert.Equal(i * 2L, reader.GetInt64(0));
        }
    }

    [Fact]
    public async Task BatchRunsEveryStatement()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("CREATE TABLE b (a INT, s STRING)"),
                new NpgsqlBatchCommand("INSERT INTO b VALUES (1, NULL), (2, 'two')"),
                new NpgsqlBatchCommand("SELECT a, s FROM b ORDER BY a"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.True(reader.IsDBNull(1));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("two", reader.GetString(1));
        Assert.False(await reader.ReadAsync());
        Assert.Equal(2, batch.BatchCommands[1].RecordsAffected);
    }

    [Fact]
    public async Task ErrorInTransactionFailsItUntilRollback()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var bad = new NpgsqlCommand("SELECT * FROM missing", conn))
            Assert.Equal("42P01", (await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteNonQueryAsync())).SqlState);
        await using (var next = new NpgsqlCommand("SELECT 1", conn))
            Assert.Equal("25P02", (await Assert.ThrowsAsync<PostgresException>(() => next.ExecuteScalarAsync())).SqlState);
        await tx.RollbackAsync();
        await using var after = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, Convert.ToInt32(await after.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PostgresSessionSettingsAreAccepted()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        foreach (var sql in (string[])["SET extra_float_digits = 3", "SET application_name = 'probe'", "SET SESSION search_path TO public", "RESET ALL", "DISCARD ALL"])
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        await using var check = new NpgsqlCommand("SELECT 'still here'", conn);
        Assert.Equal("still here", await check.ExecuteScalarAsync());
    }
}
