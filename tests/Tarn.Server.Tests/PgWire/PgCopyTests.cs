using Npgsql;
using NpgsqlTypes;

namespace Tarn.Server.Tests.PgWire;

/// <summary>COPY FROM STDIN / TO STDOUT through Npgsql's importers and exporters: every type, NULLs, errors.</summary>
public sealed class PgCopyTests
{
    internal const string AllTypesColumns =
        "(i2 SMALLINT, i4 INT, i8 BIGINT, f4 FLOAT, f8 DOUBLE, n DECIMAL(18, 4), nw DECIMAL(30, 6), b BOOLEAN, s STRING, y BYTES, d DATE, t TIME(6), ts TIMESTAMP(6), tz TIMESTAMP_LTZ(6))";

    [Fact]
    public async Task TextImportThenTextAndCsvExport()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE t " + AllTypesColumns);
        await using (var writer = await conn.BeginTextImportAsync("COPY t FROM STDIN"))
        {
            await writer.WriteAsync("1\t2\t3\t1.5\t-2.25\t12.3456\t123456789012345678.123456\tt\ttab\\there\\\\ and \\n newline\t\\\\x00ff\t2024-02-29\t13:14:15.5\t2024-02-29 13:14:15.123456\t2024-02-29 14:14:15+01\n");
            await writer.WriteAsync("\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
            await writer.WriteAsync("-32768\t-2147483648\t-9223372036854775808\tInfinity\tNaN\t-0.00005\t0\tfalse\t\t\\\\x\t0001-01-01\t00:00:00\t1970-01-01 00:00:00\t1999-12-31T23:59:59.999999Z\n");
        }
        Assert.Equal(3L, await ScalarAsync(conn, "SELECT count(*) FROM t"));

        using (var reader = await conn.BeginTextExportAsync("COPY (SELECT * FROM t ORDER BY i8 NULLS LAST) TO STDOUT"))
        {
            var text = await reader.ReadToEndAsync();
            Assert.Equal(
                "-32768\t-2147483648\t-9223372036854775808\tInfinity\tNaN\t-0.0001\t0.000000\tf\t\t\\\\x\t0001-01-01\t00:00:00\t1970-01-01 00:00:00\t1999-12-31 23:59:59.999999+00\n"
                + "1\t2\t3\t1.5\t-2.25\t12.3456\t123456789012345678.123456\tt\ttab\\there\\\\ and \\n newline\t\\\\x00ff\t2024-02-29\t13:14:15.5\t2024-02-29 13:14:15.123456\t2024-02-29 13:14:15+00\n"
                + "\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n", text);
        }
        using (var reader = await conn.BeginTextExportAsync("COPY (SELECT i4, s, y FROM t ORDER BY i8 NULLS LAST) TO STDOUT WITH (FORMAT csv, HEADER)"))
        {
            Assert.Equal("i4,s,y\n-2147483648,\"\",\\x\n2,\"tab\there\\ and \n newline\",\\x00ff\n,,\n", await reader.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task A_table_with_a_computed_column_loads_its_stored_columns_and_computes_the_rest()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE g (id INT, price DOUBLE, gross AS price * 2, note STRING)");
        await using (var writer = await conn.BeginTextImportAsync("COPY g FROM STDIN"))
            await writer.WriteAsync("1\t1.5\tone\n2\t\\N\ttwo\n");
        await using (var writer = await conn.BeginTextImportAsync("COPY g (note, id) FROM STDIN WITH (FORMAT csv)"))
            await writer.WriteAsync("three,3\n");
        using (var reader = await conn.BeginTextExportAsync("COPY (SELECT id, gross, note FROM g ORDER BY id) TO STDOUT"))
            Assert.Equal("1\t3\tone\n2\t\\N\ttwo\n3\t\\N\tthree\n", await reader.ReadToEndAsync());
        var e = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync("COPY g (id, gross) FROM STDIN");
            await writer.WriteAsync("4\t8\n");
        });
        Assert.Equal("42P10", e.SqlState);
        Assert.Equal(3L, await ScalarAsync(conn, "SELECT count(*) FROM g"));
    }

    [Fact]
    public async Task CsvImportWithQuotesHeaderColumnListAndOptions()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE c (id INT, name STRING, note STRING, amount DECIMAL(10, 2))");
        await using (var writer = await conn.BeginTextImportAsync("COPY c (id, name, amount) FROM STDIN WITH (FORMAT csv, HEADER true)"))
        {
            await writer.WriteAsync("id,name,amount\r\n1,\"a, \"\"quoted\"\" name\",1.25\r\n2,\"multi\nline\",\r\n3,,-7\r\n4,\"\",0.005\n");
        }
        using (var reader = await conn.BeginTextExportAsync("COPY c TO STDOUT (FORMAT csv, FORCE_QUOTE (name))"))
        {
            Assert.Equal("1,\"a, \"\"quoted\"\" name\",,1.25\n2,\"multi\nline\",,\n3,,,-7.00\n4,\"\",,0.01\n", await reader.ReadToEndAsync());
        }
        await ExecAsync(conn, "DELETE FROM c");
        // The legacy form psql's \copy passes on, a custom delimiter and NULL string, and the end marker.
        await using (var writer = await conn.BeginTextImportAsync("COPY c FROM STDIN DELIMITER ';' NULL 'nil' CSV"))
        {
            await writer.WriteAsync("5;x;nil;nil\n6;nil;\"nil\";2\n\\.\nthis is ignored\n");
        }
        using (var reader = await conn.BeginTextExportAsync("COPY c TO STDOUT"))
        {
            Assert.Equal("5\tx\t\\N\t\\N\n6\t\\N\tnil\t2.00\n", await reader.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task BinaryImportAndExportEveryType()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE t " + AllTypesColumns);
        var rows = new[] { PgCopyRows.Sample(), PgCopyRows.AllNull() };
        Assert.Equal(2UL, await PgCopyRows.BinaryImportAsync(conn, "t", rows));
        var exported = await PgCopyRows.BinaryExportAsync(conn, "COPY (SELECT * FROM t ORDER BY i8 NULLS LAST) TO STDOUT (FORMAT binary)");
        Assert.Equal(rows.Length, exported.Count);
        for (var r = 0; r < rows.Length; r++) Assert.Equal(rows[r], exported[r]);
    }

    [Fact]
    public async Task BadRowFailsTheWholeCopyWithItsLineAndTheConnectionStaysUsable()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE e (id INT, s STRING)");
        var bad = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync("COPY e FROM STDIN");
            for (var i = 0; i < 100_000; i++) await writer.WriteAsync($"{i}\trow {i}\n");
            await writer.WriteAsync("oops\tbad\n");
            await writer.WriteAsync("7\tafter\n");
        });
        Assert.Equal("22P02", bad.SqlState);
        Assert.Contains("line 100001", bad.MessageText, StringComparison.Ordinal);
        Assert.Contains("column id", bad.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM e"));

        var range = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync("COPY e FROM STDIN (FORMAT csv)");
            await writer.WriteAsync("1,a\n99999999999,b\n");
        });
        Assert.Equal("22003", range.SqlState);
        Assert.Contains("line 2", range.MessageText, StringComparison.Ordinal);

        var shape = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync("COPY e FROM STDIN");
            await writer.WriteAsync("1\n");
        });
        Assert.Equal("22P04", shape.SqlState);
        Assert.Contains("missing data for column \"s\"", shape.MessageText, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<PostgresException>(() => conn.BeginTextImportAsync("COPY nope FROM STDIN"));
        Assert.Equal("42P01", unknown.SqlState);
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM e"));

        // Cancelling an import (Npgsql sends CopyFail) leaves nothing either.
        await using (var importer = await conn.BeginBinaryImportAsync("COPY e (id, s) FROM STDIN (FORMAT binary)"))
        {
            await importer.WriteRowAsync(default, 1, "one");
        }
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM e"));

        await using (var writer = await conn.BeginTextImportAsync("COPY e FROM STDIN")) await writer.WriteAsync("1\tfine\n");
        Assert.Equal(1L, await ScalarAsync(conn, "SELECT count(*) FROM e"));
    }

    [Fact]
    public async Task CopyInsideATransactionCommitsWithIt()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE x (id BIGINT)");
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var writer = await conn.BeginTextImportAsync("COPY x FROM STDIN")) await writer.WriteAsync("1\n2\n");
            await tx.RollbackAsync();
        }
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM x"));
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var writer = await conn.BeginTextImportAsync("COPY x FROM STDIN")) await writer.WriteAsync("1\n2\n");
            await tx.CommitAsync();
        }
        Assert.Equal(2L, await ScalarAsync(conn, "SELECT count(*) FROM x"));
    }

    [Fact]
    public async Task PrimaryKeyTableUpsertsAndLargeLoadsSpanManyBatches()
    {
        await using var server = new PgServerFixture();
        await using var conn = await OpenAsync(server);
        await ExecAsync(conn, "CREATE TABLE k (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        await using (var importer = await conn.BeginBinaryImportAsync("COPY k FROM STDIN (FORMAT binary)"))
        {
            for (var i = 0; i < 200_000; i++) await importer.WriteRowAsync(default, (long)(i % 150_000), "v" + i);
            Assert.Equal(200_000UL, await importer.CompleteAsync());
        }
        Assert.Equal(150_000L, await ScalarAsync(conn, "SELECT count(*) FROM k"));
        Assert.Equal("v150000", await ScalarAsync(conn, "SELECT v FROM k WHERE id = 0"));
    }

    private static async Task<NpgsqlConnection> OpenAsync(PgServerFixture server)
    {
        var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        return conn;
    }

    internal static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
