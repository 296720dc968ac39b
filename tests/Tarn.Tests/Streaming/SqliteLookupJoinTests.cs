using CsCheck;
using Microsoft.Data.Sqlite;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Lookup joins against a real SQLite file (<c>'connector' = 'sqlite'</c> and Flink's <c>'connector' = 'jdbc'</c>
/// with a <c>jdbc:sqlite:</c> URL): jobs join each order with the dimension rows in the file when the order is
/// processed, through each lookup cache; errors for a missing file, table or column; a lookup that keeps failing
/// fails the job (visible in tarn_jobs) and leaves the database usable; batch reads of the same tables.
/// </summary>
public sealed class SqliteLookupJoinTests : StreamingTestBase
{
    private string DbDir => Path.Combine(Dir, "db");

    private string DimFile => Path.Combine(Dir, "ext", "dim.db");

    /// <summary>Creates the SQLite file with <c>customers (id INTEGER PRIMARY KEY, name TEXT, score REAL)</c>.</summary>
    private void CreateDimFile(params (long Id, string? Name)[] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DimFile)!);
        Sqlite("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, score REAL)");
        foreach (var (id, name) in rows) Upsert(id, name);
    }

    private void Upsert(long id, string? name) =>
        Sqlite("INSERT OR REPLACE INTO customers VALUES ($id, $name, $id * 1.5)", ("$id", id), ("$name", (object?)name ?? DBNull.Value));

    private void Sqlite(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DimFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private string SqliteOptions(string extra = "") => $"'connector' = 'sqlite', 'path' = '{DimFile}', 'table-name' = 'customers'{extra}";

    private string JdbcOptions(string extra = "") => $"'connector' = 'jdbc', 'url' = 'jdbc:sqlite:{DimFile}', 'table-name' = 'customers'{extra}";

    private static void CreateOrdersAndSink(TarnDatabase db, string dimOptions)
    {
        db.Execute("CREATE TABLE orders (id INT, k BIGINT, amount INT, proctime AS PROCTIME())");
        db.Execute($"CREATE TABLE dim (id BIGINT, name STRING, score DOUBLE, PRIMARY KEY (id) NOT ENFORCED) WITH ({dimOptions})");
        db.Execute("CREATE TABLE sink (id INT, amount INT, name STRING)");
    }

    private const string Join = "INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id";

    private const string LeftJoin = "INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id";

    private static async Task Orders(TarnDatabase db, string values)
    {
        db.Execute("INSERT INTO orders VALUES " + values);
        await db.WaitForJobsAsync();
    }

    [Fact]
    public async Task Without_a_cache_each_order_joins_the_rows_in_the_file_when_it_is_processed()
    {
        CreateDimFile((1, "one"), (2, "two"));
        using var db = TarnDatabase.Open(DbDir);
        CreateOrdersAndSink(db, SqliteOptions());
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await Orders(db, "(10, 1, 5), (11, 2, 6), (12, 3, 7), (13, NULL, 8)");
        Assert.Equal("10|5|one\n11|6|two", Sorted(db.Execute("SELECT * FROM sink")));

        // The file changes: earlier results stay, later orders see the new rows at once.
        Upsert(1, "ONE");
        Upsert(3, "three");
        Sqlite("DELETE FROM customers WHERE id = 2");
        await Orders(db, "(14, 1, 8), (15, 2, 9), (16, 3, 10)");
        Assert.Equal("10|5|one\n11|6|two\n14|8|ONE\n16|10|three", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Left_join_pads_keys_missing_from_the_file_with_nulls()
    {
        CreateDimFile((1, "one"), (2, null));
        using var db = TarnDatabase.Open(DbDir);
        CreateOrdersAndSink(db, JdbcOptions());
        Streaming(db);
        db.Execute(LeftJoin);
        Batch(db);
        await Orders(db, "(10, 1, 5), (11, 2, 6), (12, 3, 7), (13, NULL, 8)");
        Assert.Equal("10|5|one\n11|6|NULL\n12|7|NULL\n13|8|NULL", Sorted(db.Execute("SELECT * FROM sink")));
        Assert.Equal("RUNNING", db.Execute("SELECT status FROM tarn_jobs").GetValue(0, 0));
    }

    [Fact]
    public async Task Jdbc_partial_cache_serves_cached_keys_stale_and_loads_new_keys_fresh()
    {
        CreateDimFile((1, "one"), (2, "two"));
        using var db = TarnDatabase.Open(DbDir);
        CreateOrdersAndSink(db, JdbcOptions(", 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100', 'lookup.partial-cache.expire-after-write' = '1 h'"));
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await Orders(db, "(10, 1, 5)");
        Upsert(1, "ONE");
        Upsert(2, "TWO");
        await Orders(db, "(11, 1, 6), (12, 2, 7)");
        // Key 1 was cached before the update (stale for an hour); key 2 is looked up for the first time.
        Assert.Equal("10|5|one\n11|6|one\n12|7|TWO", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Legacy_jdbc_cache_options_and_the_legacy_descriptor_cache_keys_too()
    {
        CreateDimFile((1, "one"));
        using var db = TarnDatabase.Open(DbDir);
        CreateOrdersAndSink(db, JdbcOptions(", 'lookup.cache.max-rows' = '10', 'lookup.cache.ttl' = '1 h', 'lookup.max-retries' = '1'"));
        db.Execute($"""
            CREATE TABLE user_info (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
                'connector.type' = 'jdbc', 'connector.url' = 'jdbc:sqlite:{DimFile}', 'connector.table' = 'customers',
                'connector.driver' = 'org.sqlite.JDBC', 'connector.lookup.cache.max-rows' = '10', 'connector.lookup.cache.ttl' = '1 h')
            """);
        db.Execute("CREATE TABLE legacy_sink (id INT, name STRING)");
        Streaming(db);
        db.Execute(Join);
        db.Execute("INSERT INTO legacy_sink SELECT o.id, u.name FROM orders AS o JOIN user_info FOR SYSTEM_TIME AS OF o.proctime AS u ON o.k = u.id");
        Batch(db);
        await Orders(db, "(10, 1, 5)");
        Upsert(1, "ONE");
        await Orders(db, "(11, 1, 6)");
        Assert.Equal("10|5|one\n11|6|one", Sorted(db.Execute("SELECT * FROM sink")));
        Assert.Equal("10|one\n11|one", Sorted(db.Execute("SELECT * FROM legacy_sink")));
        Assert.Equal("1|ONE", Sorted(db.Execute("SELECT * FROM user_info"))); // a batch query reads the file
    }

    [Fact]
    public async Task Full_cache_joins_the_file_as_loaded_until_it_reloads()
    {
        CreateDimFile((1, "one"));
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE orders (id INT, k BIGINT, amount INT, proctime AS PROCTIME())");
        db.Execute($"CREATE TABLE hourly (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ({SqliteOptions(", 'lookup.cache' = 'FULL', 'lookup.full-cache.periodic-reload.interval' = '1 h'")})");
        // A reload interval of one millisecond: every probe batch after the first finds the cache due for a reload.
        db.Execute($"CREATE TABLE eager (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ({SqliteOptions(", 'lookup.cache' = 'FULL', 'lookup.full-cache.periodic-reload.interval' = '1 ms'")})");
        db.Execute("CREATE TABLE hourly_sink (id INT, name STRING)");
        db.Execute("CREATE TABLE eager_sink (id INT, name STRING)");
        Streaming(db);
        db.Execute("INSERT INTO hourly_sink SELECT o.id, d.name FROM orders AS o JOIN hourly FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id");
        db.Execute("INSERT INTO eager_sink SELECT o.id, d.name FROM orders AS o JOIN eager FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id");
        Batch(db);
        await Orders(db, "(10, 1, 5)");
        Upsert(1, "ONE");
        Upsert(2, "two");
        await Orders(db, "(11, 1, 6), (12, 2, 7)");
        Assert.Equal("10|one\n11|one", Sorted(db.Execute("SELECT * FROM hourly_sink")));
        Assert.Equal("10|one\n11|ONE\n12|two", Sorted(db.Execute("SELECT * FROM eager_sink")));
    }

    [Fact]
    public async Task Composite_keys_and_a_residual_condition_on_the_dimension()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DimFile)!);
        Sqlite("CREATE TABLE prices (region TEXT, sku INTEGER, price REAL, PRIMARY KEY (region, sku))");
        Sqlite("INSERT INTO prices VALUES ('eu', 1, 10.5), ('eu', 2, 20.0), ('us', 1, 11.0), ('us', 2, 0.5)");
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE orders (id INT, region STRING, sku INT, proctime AS PROCTIME())");
        db.Execute($"CREATE TABLE prices (region STRING, sku BIGINT, price DOUBLE, PRIMARY KEY (region, sku) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{DimFile}')");
        db.Execute("CREATE TABLE sink (id INT, price DOUBLE)");
        const string query = "SELECT o.id, p.price FROM orders AS o JOIN prices FOR SYSTEM_TIME AS OF o.proctime AS p ON o.region = p.region AND o.sku = p.sku AND p.price > 1";
        Streaming(db);
        db.Execute("INSERT INTO sink " + query);
        Batch(db);
        await Orders(db, "(1, 'eu', 1), (2, 'us', 2), (3, 'us', 1), (4, 'EU', 2), (5, 'eu', 2)");
        Assert.Equal("1|10.5\n3|11\n5|20", Sorted(db.Execute("SELECT * FROM sink")));
        // The batch meaning of the same query (a join with the table's rows) agrees.
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Computed_columns_of_the_dimension_are_computed_over_the_rows_looked_up()
    {
        CreateDimFile((1, "one"), (2, "two"), (3, null));
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE orders (id INT, k BIGINT, amount INT, proctime AS PROCTIME())");
        db.Execute($"CREATE TABLE dim (id BIGINT, name STRING, score DOUBLE, shout AS UPPER(name) || '!', at AS PROCTIME(), WATERMARK FOR at AS at, PRIMARY KEY (id) NOT ENFORCED) WITH ({SqliteOptions(", 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '5'")})");
        db.Execute("CREATE TABLE sink (id INT, shout STRING, score DOUBLE)");
        const string query = "SELECT o.id, d.shout, d.score FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id";
        Streaming(db);
        db.Execute("INSERT INTO sink " + query);
        Batch(db);
        await Orders(db, "(10, 1, 5), (11, 2, 6), (12, 3, 7), (13, 4, 8), (14, 1, 9)");
        Assert.Equal("10|ONE!|1.5\n11|TWO!|3\n12|NULL|4.5\n13|NULL|NULL\n14|ONE!|1.5", Sorted(db.Execute("SELECT * FROM sink")));
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public void A_missing_file_table_or_column_fails_create_table_and_job_submission()
    {
        using var db = TarnDatabase.Open(DbDir);
        var noFile = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE dim (id BIGINT, name STRING) WITH ({SqliteOptions()})"));
        Assert.Equal(SqlStates.IoError, noFile.SqlState);
        Assert.Contains("does not exist", noFile.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DimFile)); // opened read-only: never created

        CreateDimFile((1, "one"));
        var noTable = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE dim (id BIGINT, name STRING) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:{DimFile}', 'table-name' = 'clients')"));
        Assert.Equal(SqlStates.UndefinedTable, noTable.SqlState);
        Assert.Contains("clients", noTable.Message, StringComparison.Ordinal);
        var noColumn = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE dim (id BIGINT, nickname STRING) WITH ({SqliteOptions()})"));
        Assert.Equal(SqlStates.UndefinedColumn, noColumn.SqlState);
        Assert.Contains("nickname", noColumn.Message, StringComparison.Ordinal);
        // Another database's JDBC table is kept in the catalog (Flink scripts load unchanged) but cannot be read.
        db.Execute("CREATE TABLE mysql_dim (id BIGINT) WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://localhost:3306/db', 'table-name' = 'x')");
        Assert.Equal(SqlStates.FeatureNotSupported, Assert.Throws<TarnException>(() => db.Execute("SELECT * FROM mysql_dim")).SqlState);
        var badOption = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE dim (id BIGINT) WITH ({SqliteOptions(", 'lookup.max-retries' = 'often'")})"));
        Assert.Equal(SqlStates.InvalidParameterValue, badOption.SqlState);
        var unknownOption = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE dim (id BIGINT) WITH ({SqliteOptions(", 'scan.colour' = 'red'")})"));
        Assert.Equal(SqlStates.InvalidParameterValue, unknownOption.SqlState);

        // The file disappears after CREATE TABLE: the job is rejected when submitted, and batch reads fail cleanly.
        CreateOrdersAndSink(db, SqliteOptions());
        File.Delete(DimFile);
        Streaming(db);
        var atStart = Assert.Throws<TarnException>(() => db.Execute(Join));
        Assert.Equal(SqlStates.IoError, atStart.SqlState);
        Batch(db);
        Assert.Equal(SqlStates.IoError, Assert.Throws<TarnException>(() => db.Execute("SELECT * FROM dim")).SqlState);
        Assert.Empty(db.Execute("SELECT * FROM tarn_jobs").Rows);
    }

    [Fact]
    public void With_a_static_sqlite_dimension_the_job_equals_the_batch_answer()
    {
        Gen.Select(Gen.Int[0, 6].Array[0, 30], Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4]).Array[0, 8], Gen.Bool).Sample((orderKeys, dimRows, cached) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            var file = Path.Combine(dir, "dim.db");
            Directory.CreateDirectory(dir);
            using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                // No key in SQLite: ids may repeat, and each copy joins.
                command.CommandText = "CREATE TABLE d (id INTEGER, name TEXT, weight INTEGER)";
                command.ExecuteNonQuery();
                for (var i = 0; i < dimRows.Length; i++)
                {
                    command.CommandText = $"INSERT INTO d VALUES ({dimRows[i].Item1}, 'n{i}', {dimRows[i].Item2})";
                    command.ExecuteNonQuery();
                }
            }
            using var db = TarnDatabase.Open(Path.Combine(dir, "db"));
            db.Execute("CREATE TABLE orders (id INT, k INT, amount INT, proctime AS PROCTIME())");
            var cache = cached ? ", 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '3'" : "";
            db.Execute($"CREATE TABLE dim (id BIGINT, name STRING, weight INT) WITH ('connector' = 'sqlite', 'path' = '{file}', 'table-name' = 'd'{cache})");
            db.Execute("CREATE TABLE inner_sink (id INT, k INT, name STRING, weight INT)");
            db.Execute("CREATE TABLE left_sink (id INT, k INT, name STRING, weight INT)");
            for (var i = 0; i < orderKeys.Length; i++)
                db.Execute($"INSERT INTO orders VALUES ({i}, {(orderKeys[i] == 6 ? "NULL" : orderKeys[i].ToString(System.Globalization.CultureInfo.InvariantCulture))}, {i % 4})");
            const string inner = "SELECT o.id, o.k, d.name, d.weight FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id AND d.weight >= o.amount";
            const string left = "SELECT o.id, o.k, d.name, d.weight FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON d.id = o.k AND d.weight >= o.amount";
            Streaming(db);
            db.Execute("INSERT INTO inner_sink " + inner);
            db.Execute("INSERT INTO left_sink " + left);
            Batch(db);
            db.WaitForJobsAsync().GetAwaiter().GetResult();
            Assert.Equal(Sorted(db.Execute(inner)), Sorted(db.Execute("SELECT * FROM inner_sink")));
            Assert.Equal(Sorted(db.Execute(left)), Sorted(db.Execute("SELECT * FROM left_sink")));
        }, iter: 8);
    }

    [Fact]
    [Trait("Spec", "JOB-003")] // a job that can no longer be planned is recorded failed, with its error
    public async Task A_job_whose_file_disappeared_while_the_database_was_closed_fails_when_it_restarts()
    {
        CreateDimFile((1, "one"));
        using (var db = TarnDatabase.Open(DbDir))
        {
            CreateOrdersAndSink(db, SqliteOptions());
            Streaming(db);
            db.Execute(Join);
            Batch(db);
            await Orders(db, "(10, 1, 5)");
        }
        SqliteConnection.ClearAllPools();
        File.Delete(DimFile);
        using (var db = TarnDatabase.Open(DbDir))
        {
            await db.WaitForJobsAsync();
            var job = db.Execute("SELECT status, error FROM tarn_jobs").Rows.Single();
            Assert.Equal("FAILED", job[0]);
            Assert.Contains("does not exist", (string)job[1]!, StringComparison.Ordinal);
            Assert.Equal("10|5|one", Sorted(db.Execute("SELECT * FROM sink")));
        }
    }

    [Fact]
    public async Task A_lookup_that_keeps_failing_is_retried_then_fails_the_job_visibly()
    {
        CreateDimFile((1, "one"));
        using var db = TarnDatabase.Open(DbDir);
        CreateOrdersAndSink(db, SqliteOptions(", 'lookup.max-retries' = '2'"));
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await Orders(db, "(10, 1, 5)");
        Sqlite("DROP TABLE customers");
        await Orders(db, "(11, 1, 6)");
        var job = db.Execute("SELECT status, error FROM tarn_jobs").Rows.Single();
        Assert.Equal("FAILED", job[0]);
        var error = (string)job[1]!;
        Assert.Contains("58030", error, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error, StringComparison.Ordinal);
        Assert.Contains("no such table", error, StringComparison.Ordinal);
        // The process and the database carry on.
        Assert.Equal("10|5|one", Sorted(db.Execute("SELECT * FROM sink")));
        Assert.Equal(2L, db.Execute("SELECT count(*) FROM orders").GetValue(0, 0));
    }

    [Fact]
    public void Batch_queries_read_the_table_with_projection_and_pushed_filters()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DimFile)!);
        Sqlite("CREATE TABLE items (id INTEGER, label TEXT, weight REAL, code TEXT, flag INTEGER, day TEXT, at TEXT, price NUMERIC, data BLOB)");
        Sqlite("INSERT INTO items VALUES (1, 'a', 1.5, '10', 1, '2024-05-01', '2024-05-01 12:30:00', 9.99, x'0102')");
        Sqlite("INSERT INTO items VALUES (2, 'b', NULL, '9', 0, '2024-05-02', '2024-05-02 00:00:01.5', 100, NULL)");
        Sqlite("INSERT INTO items VALUES (3, NULL, 3.0, '100', NULL, NULL, NULL, NULL, x'')");
        using var db = TarnDatabase.Open(DbDir);
        db.Execute($"CREATE TABLE items (id INT, label STRING, weight DOUBLE, code BIGINT, flag BOOLEAN, day DATE, at TIMESTAMP(3), price DECIMAL(10, 2), data BYTES) WITH ('connector' = 'sqlite', 'path' = '{DimFile}')");
        Assert.Equal("1|a|1.5|10|True|2024-05-01|2024-05-01 12:30:00.000|9.99|0102\n2|b|NULL|9|False|2024-05-02|2024-05-02 00:00:01.500|100.00|NULL\n3|NULL|3|100|NULL|NULL|NULL|NULL|",
            Sorted(db.Execute("SELECT id, label, weight, code, flag, CAST(day AS STRING), CAST(at AS STRING), CAST(price AS STRING), HEX(data) FROM items")));
        // code is TEXT in SQLite: compared as text there ('9' > '10'), so the filter runs in Tarn only and stays numeric.
        Assert.Equal("1\n3", Sorted(db.Execute("SELECT id FROM items WHERE code >= 10")));
        Assert.Equal("2\n3", Sorted(db.Execute("SELECT id FROM items WHERE id > 1 AND id <> 4")));
        Assert.Equal("2", Sorted(db.Execute("SELECT id FROM items WHERE weight IS NULL")));
        Assert.Equal("1", Sorted(db.Execute("SELECT id FROM items WHERE label = 'a' AND 2.0 > weight")));
        // A NOCASE column in SQLite still compares in Tarn's byte order ('B' < 'a').
        Sqlite("CREATE TABLE names (n TEXT COLLATE NOCASE)");
        Sqlite("INSERT INTO names VALUES ('a'), ('B'), ('c')");
        db.Execute($"CREATE TABLE names (n STRING) WITH ('connector' = 'sqlite', 'path' = '{DimFile}')");
        Assert.Equal("B", Sorted(db.Execute("SELECT n FROM names WHERE n < 'a'")));
        Assert.Equal("a", Sorted(db.Execute("SELECT n FROM names WHERE n = 'a'")));
        Assert.Equal("3", Sorted(db.Execute("SELECT count(*) FROM items")));
    }
}
