namespace Tarn.Tests.Connectors;

/// <summary>The <c>filesystem</c> connector with the <c>csv</c> format, read by batch queries.</summary>
public sealed class FileSystemConnectorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-fs-" + Guid.NewGuid().ToString("N")[..10]);

    public FileSystemConnectorTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_directory_of_csv_files_is_a_table_that_loads_a_native_one()
    {
        Write("in/part-0.csv", "1,apple,2.50,2024-01-01\n2,\"pear, green\",3.00,2024-01-02\n");
        Write("in/sub/part-1.csv", "3,\"say \"\"hi\"\"\",,2024-01-03\r\n");
        Write("in/.hidden.csv", "garbage\n");
        Write("in/_SUCCESS", "");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE src (id INT, name STRING, price DECIMAL(10,2), d DATE) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_dir, "in")}', 'format' = 'csv')");
        var rows = (await db.ExecuteAsync("SELECT id, name, price, d FROM src ORDER BY id")).Rows.ToList();
        Assert.Equal([[1, "apple", 2.50m, new DateOnly(2024, 1, 1)], [2, "pear, green", 3.00m, new DateOnly(2024, 1, 2)], [3, "say \"hi\"", null, new DateOnly(2024, 1, 3)]],
            rows);
        Assert.Equal([3L], await db.QueryAsync<long>("SELECT count(*) FROM src"));
        Assert.Equal([5.50m], await db.QueryAsync<decimal>("SELECT sum(price) FROM src WHERE name LIKE '%e%'"));

        await db.ExecuteAsync("CREATE TABLE native (id INT, name STRING, price DECIMAL(10,2), d DATE)");
        Assert.Equal(3, (await db.ExecuteAsync("INSERT INTO native SELECT * FROM src")).RowsAffected);
        Assert.Equal(["apple", "pear, green", "say \"hi\""], await db.QueryAsync<string>("SELECT name FROM native ORDER BY id"));
    }

    [Fact]
    public async Task Legacy_descriptor_keys_of_old_flink_scripts_mean_the_current_options()
    {
        var path = Write("side/side_input.txt", "1;one\n2;two\n");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE side_input (key BIGINT, `value` VARCHAR) WITH ('connector.type' = 'filesystem', 'connector.path' = 'file://{path}', 'format.type' = 'csv', 'format.field-delimiter' = ';', 'format.derive-schema' = 'true')");
        Assert.Equal(["one", "two"], await db.QueryAsync<string>("SELECT `value` FROM side_input ORDER BY key"));
        await db.ExecuteAsync($"CREATE TABLE bad (key BIGINT) WITH ('connector.type' = 'filesystem', 'connector.path' = '{path}', 'format.type' = 'csv', 'format.no-such-option' = 'x')");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM bad"));
        Assert.Equal("22023", e.SqlState);
        Assert.Contains("format.no-such-option", e.Message, StringComparison.Ordinal);
        // an unfilled placeholder of a Flink script (Nexmark q13's ${FLINK_HOME}) is a clear error when read
        await db.ExecuteAsync("CREATE TABLE side (key BIGINT) WITH ('connector.type' = 'filesystem', 'connector.path' = 'file://${FLINK_HOME}/data/side_input.txt', 'format.type' = 'csv')");
        var uri = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM side"));
        Assert.Equal("22023", uri.SqlState);
        Assert.Contains("not a valid file URI", uri.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_into_a_filesystem_table_writes_a_csv_file_that_reads_back()
    {
        var outDir = Path.Combine(_dir, "out");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE sink (id INT, name STRING, price DECIMAL(10,2), d DATE) WITH ('connector' = 'filesystem', 'path' = '{outDir}', 'format' = 'csv', 'csv.field-delimiter' = '|', 'csv.null-literal' = 'NULL')");
        Assert.Equal(3, (await db.ExecuteAsync("INSERT INTO sink VALUES (1, 'a|b', 1.5, DATE '2024-01-01'), (2, 'say \"hi\"', NULL, NULL), (3, '', 0, DATE '1999-12-31')")).RowsAffected);
        Assert.Equal(1, (await db.ExecuteAsync("INSERT INTO sink SELECT id + 10, name, price, d FROM sink WHERE id = 1")).RowsAffected);
        var files = Directory.GetFiles(outDir);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches(@"part-[0-9a-f]{32}-0\.csv$", f));
        Assert.Contains("1|\"a|b\"|1.50|2024-01-01\n", File.ReadAllText(files.Single(f => File.ReadAllText(f).Contains("say", StringComparison.Ordinal))), StringComparison.Ordinal);
        var rows = (await db.ExecuteAsync("SELECT id, name, CAST(price AS STRING), CAST(d AS STRING) FROM sink ORDER BY id")).Rows.ToList();
        Assert.Equal([[1, "a|b", "1.50", "2024-01-01"], [2, "say \"hi\"", null, null], [3, "", "0.00", "1999-12-31"], [11, "a|b", "1.50", "2024-01-01"]], rows);
    }

    [Fact]
    public async Task Parse_errors_name_the_file_line_and_column_unless_ignored()
    {
        var file = Write("bad.tbl", "1|x\n2|y\nthree|z\n");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE strict (a INT, b STRING) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv', 'csv.field-delimiter' = '|')");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM strict"));
        Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
        Assert.Contains($"{file}:3:1", e.Message, StringComparison.Ordinal);

        await db.ExecuteAsync($"CREATE TABLE lenient (a INT, b STRING) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv', 'csv.field-delimiter' = '|', 'csv.ignore-parse-errors' = 'true')");
        Assert.Equal([1, 2, null], (await db.ExecuteAsync("SELECT a FROM lenient")).Rows.Select(r => r[0]).ToList());
    }

    [Fact]
    public async Task Missing_paths_unsupported_formats_and_unreadable_connectors_fail_clearly()
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE missing (a INT) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_dir, "nope")}', 'format' = 'csv')");
        Assert.Equal(SqlStates.UndefinedObject, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM missing"))).SqlState);
        await db.ExecuteAsync($"CREATE TABLE avro (a INT) WITH ('connector' = 'filesystem', 'path' = '{_dir}', 'format' = 'avro')");
        Assert.Equal(SqlStates.FeatureNotSupported, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM avro"))).SqlState);
        await db.ExecuteAsync("CREATE TABLE warehouse (a INT) WITH ('connector' = 'hive')");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM warehouse"));
        Assert.Equal(SqlStates.FeatureNotSupported, e.SqlState);
        Assert.Contains("cannot read yet", e.Message, StringComparison.Ordinal);
    }
}
