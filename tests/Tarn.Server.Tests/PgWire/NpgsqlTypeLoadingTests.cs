using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Npgsql 10 with its default type loading (its catalog queries answered by the endpoint's pg_catalog).</summary>
public sealed class NpgsqlTypeLoadingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryTarnTypeReadsBackTyped(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare));
        await conn.OpenAsync();
        Assert.Contains("Tarn", conn.PostgresParameters["server_version"], StringComparison.Ordinal);
        await Exec(conn, "CREATE TABLE t (b BOOLEAN, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, n DECIMAL(10, 2), v STRING, vc VARCHAR(8), y BYTES, dt DATE, tm TIME, ts TIMESTAMP(6), tz TIMESTAMP_LTZ(6))");
        await Exec(conn, "INSERT INTO t VALUES (TRUE, CAST(7 AS SMALLINT), 42, 9000000000, CAST(1.5 AS FLOAT), 2.25, CAST(-12345.67 AS DECIMAL(10, 2)), 'héllo', 'abc', X'0102ff', DATE '2024-02-29', TIME '13:14:15', TIMESTAMP '2024-02-29 13:14:15.123456', CAST(TIMESTAMP '2024-02-29 13:14:15' AS TIMESTAMP_LTZ(6)))");

        await using var cmd = new NpgsqlCommand("SELECT b, s, i, l, f, d, n, v, vc, y, dt, tm, ts, tz FROM t", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(["boolean", "smallint", "integer", "bigint", "real", "double precision", "numeric(10, 2)", "text", "character varying(8)", "bytea", "date", "time without time zone", "timestamp without time zone", "timestamp with time zone"],
            Enumerable.Range(0, 14).Select(reader.GetDataTypeName).ToArray());
        Assert.Equal([typeof(bool), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal), typeof(string), typeof(string), typeof(byte[]), typeof(DateOnly), typeof(TimeOnly), typeof(DateTime), typeof(DateTime)],
            Enumerable.Range(0, 14).Select(reader.GetFieldType).ToArray());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal((short)7, reader.GetInt16(1));
        Assert.Equal(42, reader.GetInt32(2));
        Assert.Equal(9000000000L, reader.GetInt64(3));
        Assert.Equal(1.5f, reader.GetFloat(4));
        Assert.Equal(2.25, reader.GetDouble(5));
        Assert.Equal(-12345.67m, reader.GetDecimal(6));
        Assert.Equal("héllo", reader.GetString(7));
        Assert.Equal("abc", reader.GetString(8));
        Assert.Equal(new byte[] { 1, 2, 0xff }, reader.GetFieldValue<byte[]>(9));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(10));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetFieldValue<TimeOnly>(11));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Unspecified).AddTicks(1234560), reader.GetDateTime(12));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc), reader.GetDateTime(13));
        Assert.False(await reader.ReadAsync());
        await reader.CloseAsync();

        // Types that exist only in expressions or map onto a wider PostgreSQL type.
        await using var more = new NpgsqlCommand("SELECT CAST(3 AS TINYINT) AS tiny, CAST('ab' AS CHAR(4)) AS fixed, INTERVAL '2' DAY AS span", conn);
        await using var r2 = await more.ExecuteReaderAsync();
        Assert.True(await r2.ReadAsync());
        Assert.Equal([typeof(short), typeof(string), typeof(TimeSpan)], Enumerable.Range(0, 3).Select(r2.GetFieldType).ToArray());
        Assert.Equal((short)3, r2.GetInt16(0));
        Assert.Equal("ab", r2.GetString(1).TrimEnd());
        Assert.Equal(TimeSpan.FromDays(2), r2.GetTimeSpan(2));
    }

    [Fact]
    public async Task TypeLoadingFindsBuiltInAndArrayTypes()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        // Parameters of types Tarn has no column for still resolve against the loaded types.
        await using var cmd = new NpgsqlCommand("SELECT typname, typarray FROM pg_catalog.pg_type WHERE oid = $1", conn);
        cmd.Parameters.AddWithValue(23);
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal("int4", reader.GetString(0));
            Assert.Equal(1007, reader.GetInt32(1));
        }
        foreach (var (array, element) in ((string, string)[])[("_bool", "bool"), ("_int2", "int2"), ("_int4", "int4"), ("_int8", "int8"), ("_float4", "float4"), ("_float8", "float8"),
                     ("_numeric", "numeric"), ("_text", "text"), ("_varchar", "varchar"), ("_bytea", "bytea"), ("_date", "date"), ("_time", "time"), ("_timestamp", "timestamp"), ("_timestamptz", "timestamptz")])
        {
            await using var q = new NpgsqlCommand("SELECT e.typname FROM pg_catalog.pg_type a JOIN pg_catalog.pg_type e ON a.typelem = e.oid WHERE a.typname = $1 AND a.typcategory = 'A'", conn);
            q.Parameters.AddWithValue(array);
            Assert.Equal(element, await q.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task CatalogViewsComeFromTheLiveCatalog()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await Exec(conn, "CREATE TABLE items (id INT NOT NULL, label VARCHAR(20), price DECIMAL(8, 3), PRIMARY KEY (id) NOT ENFORCED)");

        Assert.Equal(["default_database|public|items|BASE TABLE"],
            await Rows(conn, "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'"));
        Assert.Equal(["id|1|NO|integer|", "label|2|YES|character varying|20", "price|3|YES|numeric|"],
            await Rows(conn, "SELECT column_name, ordinal_position, is_nullable, data_type, character_maximum_length FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position"));
        Assert.Equal(["information_schema", "pg_catalog", "public"], await Rows(conn, "SELECT schema_name FROM information_schema.schemata ORDER BY schema_name"));
        Assert.Equal(["public|items|True"], await Rows(conn, "SELECT schemaname, tablename, hasindexes FROM pg_catalog.pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(["items|r|3", "items_pkey|i|1"],
            await Rows(conn, "SELECT c.relname, c.relkind, c.relnatts FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid WHERE n.nspname = 'public' ORDER BY c.relname"));
        Assert.Equal(["id|int4|-1|True", "label|varchar|24|False", "price|numeric|524295|False"],
            await Rows(conn, "SELECT a.attname, t.typname, a.atttypmod, a.attnotnull FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid JOIN pg_type t ON a.atttypid = t.oid WHERE c.relname = 'items' ORDER BY a.attnum"));
        Assert.Equal(["default_database"], await Rows(conn, "SELECT datname FROM pg_database"));
        Assert.Equal(["items"], await Rows(conn, "SELECT table_name FROM information_schema.table_constraints WHERE constraint_type = 'PRIMARY KEY'"));

        // OIDs are stable: a second connection (and a restart) sees the same ones.
        var oid = await Rows(conn, "SELECT oid FROM pg_class WHERE relname = 'items'");
        await using var other = new NpgsqlConnection(server.ConnectionString(prepare: true));
        await other.OpenAsync();
        Assert.Equal(oid, await Rows(other, "SELECT oid FROM pg_catalog.pg_class WHERE relname = 'items'"));

        // Names as psql lists them (public.items) reach the current database's table.
        Assert.Equal(1, await Exec(conn, "INSERT INTO public.items VALUES (7, 'seven', 7.5)"));
        Assert.Equal(["seven"], await Rows(conn, "SELECT i.label FROM \"public\".items i WHERE i.id = 7"));

        // A table created now shows up in the next catalog query.
        await Exec(conn, "CREATE TABLE later (x INT)");
        Assert.Equal(["items", "later"], await Rows(other, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"));
    }

    [Fact]
    public async Task SessionFunctionsAndSettings()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT version(), current_database(), current_schema()", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(["version", "current_database", "current_schema"], Enumerable.Range(0, 3).Select(reader.GetName).ToArray());
            Assert.StartsWith("PostgreSQL 16.0 (Tarn)", reader.GetString(0), StringComparison.Ordinal);
            Assert.Equal("default_database", reader.GetString(1));
            Assert.Equal("public", reader.GetString(2));
        }
        Assert.Equal(["16.0 (Tarn)"], await Rows(conn, "SHOW server_version"));
        Assert.Equal(["UTC"], await Rows(conn, "SHOW TimeZone"));
        Assert.Equal(["read committed"], await Rows(conn, "SHOW TRANSACTION ISOLATION LEVEL"));
        Assert.Equal(["160000"], await Rows(conn, "SELECT setting FROM pg_catalog.pg_settings WHERE name = 'server_version_num'"));
        Assert.Equal(["UTF8"], await Rows(conn, "SELECT current_setting('server_encoding')"));
    }

    private static async Task<List<string>> Rows(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(c => reader.IsDBNull(c) ? "" : Convert.ToString(reader.GetValue(c), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static async Task<int> Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
