using System.Globalization;
using CsCheck;
using Microsoft.Data.Sqlite;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Writing SQLite tables from SQL: batch <c>INSERT INTO</c> (append, upsert by the primary key) with the article's
/// three ways of declaring the table (<c>'connector' = 'sqlite'</c>, <c>'jdbc'</c> with a <c>jdbc:sqlite:</c> URL, the
/// legacy <c>'connector.type' = 'jdbc'</c>), values of every mapped type read back as written, a streaming GROUP BY
/// job whose SQLite table equals the batch answer after updates and deletes in its source, and clear errors.
/// </summary>
public sealed class SqliteSinkJobTests : StreamingTestBase
{
    private string DbDir => Path.Combine(Dir, "db");

    private string File(string name = "target.db") => Path.Combine(Dir, "ext", name);

    /// <summary>Rows of a query run by SQLite itself on the file, as sorted "a|b" lines.</summary>
    private static string SqliteRows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        return string.Join("\n", rows.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Declarations => new()
    {
        "'connector' = 'sqlite', 'path' = '{0}', 'table-name' = 'user_info', 'sqlite.create-if-missing' = 'true'",
        "'connector' = 'jdbc', 'url' = 'jdbc:sqlite:{0}', 'table-name' = 'user_info', 'sqlite.create-if-missing' = 'true', 'sink.buffer-flush.max-rows' = '2', 'sink.buffer-flush.interval' = '1 s', 'sink.max-retries' = '2'",
        "'connector.type' = 'jdbc', 'connector.url' = 'jdbc:sqlite:{0}', 'connector.table' = 'user_info', 'sqlite.create-if-missing' = 'true', 'connector.write.flush.max-rows' = '3', 'connector.write.flush.interval' = '2 s', 'connector.write.max-retries' = '1'",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Batch_insert_upserts_by_the_primary_key_and_appends_without_one(string declaration)
    {
        var file = File();
        using var db = TarnDatabase.Open(DbDir);
        db.Execute($"CREATE TABLE user_info (user_id BIGINT, age INT, name STRING, PRIMARY KEY (user_id) NOT ENFORCED) WITH ({string.Format(CultureInfo.InvariantCulture, declaration, file)})");
        db.Execute("CREATE TABLE users (user_id BIGINT, age INT, name STRING)");
        db.Execute("INSERT INTO users VALUES (1, 30, 'ann'), (2, 40, 'bob'), (3, NULL, 'o''neil'), (4, 25, NULL), (5, 50, 'eve')");
        // The article: INSERT INTO user_info SELECT * FROM batch_db.user_info
        Assert.Equal(5L, db.Execute("INSERT INTO user_info SELECT * FROM users").RowsAffected);
        db.Execute("INSERT INTO user_info VALUES (2, 41, 'bob2'), (6, 20, 'new')");
        const string expected = "1|30|ann\n2|41|bob2\n3|NULL|o'neil\n4|25|NULL\n5|50|eve\n6|20|new";
        Assert.Equal(expected, SqliteRows(file, "SELECT user_id, age, name FROM user_info"));
        Assert.Equal(expected, Sorted(db.Execute("SELECT * FROM user_info")));

        // Without a key the same rows are appended again.
        db.Execute($"CREATE TABLE log (user_id BIGINT, age INT, name STRING) WITH ({string.Format(CultureInfo.InvariantCulture, declaration, file).Replace("user_info", "log", StringComparison.Ordinal)})");
        db.Execute("INSERT INTO log SELECT * FROM users");
        db.Execute("INSERT INTO log SELECT * FROM users WHERE user_id = 1");
        Assert.Equal("1|2\n2|1\n3|1\n4|1\n5|1", SqliteRows(file, "SELECT user_id, COUNT(*) FROM log GROUP BY user_id"));
    }

    [Fact]
    public void Values_of_every_mapped_type_are_read_back_as_written()
    {
        var file = File();
        using var db = TarnDatabase.Open(DbDir);
        const string columns = "id INT, b BOOLEAN, t TINYINT, s SMALLINT, big BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(22, 4), day DATE, tm TIME, ts TIMESTAMP(3), str STRING, vc VARCHAR(5), bin BYTES";
        db.Execute($"CREATE TABLE typed ({columns}, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{file}', 'sqlite.create-if-missing' = 'true')");
        db.Execute($"CREATE TABLE native ({columns})");
        db.Execute("""
            INSERT INTO native VALUES
              (1, TRUE, -128, 32767, 9223372036854775807, 1.5, 0.1, 12345678901234567.8901, DATE '2024-05-01', TIME '12:30:01', TIMESTAMP '2024-05-01 12:30:00.123', 'héllo ''q''', 'abc', X'00FF10'),
              (2, FALSE, 0, -5, -1, -0.25, 1e300, -0.0001, DATE '1969-12-31', TIME '00:00:00', TIMESTAMP '1970-01-01 00:00:00', '', 'x', X''),
              (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """);
        db.Execute("INSERT INTO typed SELECT * FROM native");
        Assert.Equal(Sorted(db.Execute("SELECT * FROM native")), Sorted(db.Execute("SELECT * FROM typed")));
        // Storage classes: the inverse of the read mapping.
        Assert.Equal("integer|integer|integer|integer|real|real|text|text|text|text|text|text|blob",
            SqliteRows(file, "SELECT typeof(b), typeof(t), typeof(s), typeof(big), typeof(f), typeof(d), typeof(dec), typeof(day), typeof(tm), typeof(ts), typeof(str), typeof(vc), typeof(bin) FROM typed WHERE id = 1"));
        Assert.Equal("12345678901234567.8901|2024-05-01|2024-05-01 12:30:00.123", SqliteRows(file, "SELECT dec, day, ts FROM typed WHERE id = 1"));
        // An empty string and an empty blob stay empty values (not NULL); TIMESTAMP(3) keeps its three fraction digits.
        Assert.Equal("text|0|blob|0|1970-01-01 00:00:00.000", SqliteRows(file, "SELECT typeof(str), length(str), typeof(bin), length(bin), ts FROM typed WHERE id = 2"));
    }

    private const string AgeAverage = "SELECT age, AVG(amount), COUNT(*) FROM order_with_user_age GROUP BY age";

    [Theory]
    [InlineData("'connector' = 'jdbc', 'url' = 'jdbc:sqlite:{0}', 'table-name' = 'mysql_table', 'sqlite.create-if-missing' = 'true'", "")]
    [InlineData("'connector' = 'sqlite', 'path' = '{0}', 'table-name' = 'mysql_table'", "CREATE TABLE mysql_table (age INTEGER, avg_amount REAL, n INTEGER)")]
    public async Task A_streaming_group_by_keeps_the_sqlite_table_equal_to_the_batch_answer(string declaration, string sqliteDdl)
    {
        var file = File();
        if (sqliteDdl.Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sqliteDdl; // no unique index: upserts take the UPDATE-then-INSERT path
            command.ExecuteNonQuery();
        }
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE order_with_user_age (order_id BIGINT, age INT, amount BIGINT, PRIMARY KEY (order_id) NOT ENFORCED)");
        db.Execute($"CREATE TABLE mysql_table (age INT, avg_amount DOUBLE, n BIGINT, PRIMARY KEY (age) NOT ENFORCED) WITH ({string.Format(CultureInfo.InvariantCulture, declaration, file)})");
        db.Execute("INSERT INTO order_with_user_age VALUES (1, 20, 10), (2, 20, 30), (3, 30, 5), (4, 40, 7)");
        Streaming(db);
        db.Execute("INSERT INTO mysql_table " + AgeAverage);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(AgeAverage)), SqliteRows(file, "SELECT age, avg_amount, n FROM mysql_table"));

        // Updates move orders between groups, deletes empty a group: the SQLite rows follow (upserts and deletes).
        db.Execute("UPDATE order_with_user_age SET age = 30, amount = 100 WHERE order_id = 2");
        db.Execute("DELETE FROM order_with_user_age WHERE order_id = 4");
        db.Execute("INSERT INTO order_with_user_age VALUES (5, 50, 1), (1, 20, 11)"); // an upsert of order 1
        await db.WaitForJobsAsync();
        Assert.Equal("20|11|1\n30|52.5|2\n50|1|1", Sorted(db.Execute(AgeAverage)));
        Assert.Equal(Sorted(db.Execute(AgeAverage)), SqliteRows(file, "SELECT age, avg_amount, n FROM mysql_table"));
        // Batch reads of the table work while the job's sink holds it open for writing.
        Assert.Equal(Sorted(db.Execute(AgeAverage)), Sorted(db.Execute("SELECT * FROM mysql_table")));
        var jobs = db.Execute("SHOW JOBS").Rows.ToList();
        Assert.All(jobs, j => Assert.Equal("RUNNING", (string?)j[2]));
        Assert.Equal("1", SqliteRows(file, "SELECT COUNT(*) FROM tarn_sink_epochs"));
    }

    [Fact]
    public void Missing_files_tables_and_columns_are_reported_at_create_table_and_at_submission()
    {
        var file = File();
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE src (k INT, v BIGINT)");
        var noFile = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE out (k INT, v BIGINT) WITH ('connector' = 'sqlite', 'path' = '{file}')"));
        Assert.Equal(SqlStates.IoError, noFile.SqlState);
        Assert.Contains("sqlite.create-if-missing", noFile.Message, StringComparison.Ordinal);
        db.Execute($"CREATE TABLE out (k INT, v BIGINT) WITH ('connector' = 'sqlite', 'path' = '{file}', 'sqlite.create-if-missing' = 'true')");
        var noColumn = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE out2 (k INT, w BIGINT) WITH ('connector' = 'sqlite', 'path' = '{file}', 'table-name' = 'out')"));
        Assert.Equal(SqlStates.UndefinedColumn, noColumn.SqlState);

        Streaming(db);
        // No primary key: an updating query is rejected at submission.
        Assert.Equal(SqlStates.FeatureNotSupported, Assert.Throws<TarnException>(() => db.Execute("INSERT INTO out SELECT k, COUNT(*) FROM src GROUP BY k")).SqlState);
        // The table disappears from the file after CREATE TABLE: the submission fails, no job starts.
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE out";
            command.ExecuteNonQuery();
        }
        Assert.Equal(SqlStates.UndefinedTable, Assert.Throws<TarnException>(() => db.Execute("INSERT INTO out SELECT k, v FROM src")).SqlState);
        Assert.Empty(db.Execute("SHOW JOBS").Rows);
        Batch(db);
        Assert.Equal(SqlStates.UndefinedTable, Assert.Throws<TarnException>(() => db.Execute("INSERT INTO out VALUES (1, 2)")).SqlState);
    }

    [Fact]
    public async Task A_lookup_join_reads_the_table_another_job_writes()
    {
        var file = File();
        using var db = TarnDatabase.Open(DbDir);
        db.Execute("CREATE TABLE users (user_id BIGINT, age INT, PRIMARY KEY (user_id) NOT ENFORCED)");
        db.Execute($"CREATE TABLE user_info (user_id BIGINT, age INT, PRIMARY KEY (user_id) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:{file}', 'table-name' = 'user_info', 'sqlite.create-if-missing' = 'true')");
        db.Execute("CREATE TABLE orders (order_id BIGINT, user_id BIGINT, amount BIGINT, proctime AS PROCTIME())");
        db.Execute("CREATE TABLE order_with_user_age (order_id BIGINT, age INT, amount BIGINT)");
        Streaming(db);
        db.Execute("INSERT INTO user_info SELECT * FROM users");
        db.Execute("INSERT INTO order_with_user_age SELECT o.order_id, u.age, o.amount FROM orders AS o JOIN user_info FOR SYSTEM_TIME AS OF o.proctime AS u ON o.user_id = u.user_id");
        Batch(db);
        db.Execute("INSERT INTO users VALUES (1, 20), (2, 30)");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (10, 1, 5), (11, 2, 6), (12, 3, 7)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|20|5\n11|30|6", Sorted(db.Execute("SELECT * FROM order_with_user_age")));
        // The dimension is reloaded while the lookup job runs: later orders see the new rows.
        db.Execute("INSERT INTO users VALUES (3, 40), (1, 21)");
        db.Execute("DELETE FROM users WHERE user_id = 2");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (13, 1, 8), (14, 3, 9), (15, 2, 1)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|20|5\n11|30|6\n13|21|8\n14|40|9", Sorted(db.Execute("SELECT * FROM order_with_user_age")));
    }

    [Fact]
    public void Random_upserts_and_deletes_keep_the_sqlite_table_equal_to_the_batch_answer()
    {
        const string query = "SELECT age, SUM(amount), COUNT(*), MAX(order_id) FROM orders GROUP BY age";
        var op = Gen.Select(Gen.Bool, Gen.Long[0, 12], Gen.Int[0, 4], Gen.Long[-50, 100]);
        var run = 0;
        op.Array[1, 12].Array[1, 4].Sample(steps =>
        {
            var file = File($"parity-{run}.db");
            using var db = TarnDatabase.Open(Path.Combine(Dir, "db" + run++));
            db.Execute("CREATE TABLE orders (order_id BIGINT, age INT, amount BIGINT, PRIMARY KEY (order_id) NOT ENFORCED)");
            db.Execute($"CREATE TABLE totals (age INT, total BIGINT, n BIGINT, last_id BIGINT, PRIMARY KEY (age) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{file}', 'sqlite.create-if-missing' = 'true')");
            Streaming(db);
            db.Execute("INSERT INTO totals " + query);
            Batch(db);
            foreach (var step in steps)
            {
                foreach (var (delete, id, age, amount) in step)
                    db.Execute(delete
                        ? string.Create(CultureInfo.InvariantCulture, $"DELETE FROM orders WHERE order_id = {id}")
                        : string.Create(CultureInfo.InvariantCulture, $"INSERT INTO orders VALUES ({id}, {age}, {amount})"));
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                Assert.Equal(Sorted(db.Execute(query)), SqliteRows(file, "SELECT age, total, n, last_id FROM totals"));
            }
        }, iter: 6, threads: 1);
    }
}
