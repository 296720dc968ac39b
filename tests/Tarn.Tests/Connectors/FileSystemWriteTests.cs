using System.Globalization;
using System.Text;

namespace Tarn.Tests.Connectors;

/// <summary>The <c>filesystem</c> connector's json and parquet formats, partitioned writes and commits, through SQL.</summary>
public sealed class FileSystemWriteTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-fsw-" + Guid.NewGuid().ToString("N")[..10]);

    public FileSystemWriteTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private const string AllTypes = "b BOOLEAN, ti TINYINT, si SMALLINT, i INT, bi BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(10,2), s STRING, bin BYTES, dt DATE, t TIME, ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3)";

    private const string AllValues = "(TRUE, CAST(1 AS TINYINT), CAST(-2 AS SMALLINT), 3, 4000000000, CAST(1.5 AS FLOAT), 2.25, 12.34, 'x,\"y\"', x'0a0b', DATE '2024-02-29', TIME '12:34:56', TIMESTAMP '2024-01-01 10:00:00.123', TO_TIMESTAMP_LTZ(1704103200123, 3)), "
        + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    private const string AllColumnsAsText = "CAST(b AS STRING), CAST(ti AS STRING), CAST(si AS STRING), CAST(i AS STRING), CAST(bi AS STRING), CAST(f AS STRING), CAST(d AS STRING), CAST(dec AS STRING), s, CAST(bin AS STRING), CAST(dt AS STRING), CAST(t AS STRING), CAST(ts AS STRING), CAST(ltz AS STRING)";

    [Theory]
    [InlineData("json")]
    [InlineData("parquet")]
    [InlineData("csv")]
    public async Task Every_type_and_null_written_by_insert_reads_back(string format)
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var path = Path.Combine(_dir, format);
        await db.ExecuteAsync($"CREATE TABLE native ({AllTypes})");
        await db.ExecuteAsync($"INSERT INTO native VALUES {AllValues}");
        var columns = format == "csv" ? AllTypes.Replace("bin BYTES, ", "", StringComparison.Ordinal) : AllTypes; // csv writes BYTES as x'..' text
        await db.ExecuteAsync($"CREATE TABLE sink ({columns}) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = '{format}'{(format == "csv" ? ", 'csv.null-literal' = '\\N'" : "")})");
        var select = format == "csv" ? "b, ti, si, i, bi, f, d, dec, s, dt, t, ts, ltz" : "*";
        Assert.Equal(2, (await db.ExecuteAsync($"INSERT INTO sink SELECT {select} FROM native")).RowsAffected);
        Assert.Matches($@"part-[0-9a-f]{{32}}-0\.{format}$", Assert.Single(Directory.GetFiles(path)));
        var text = format == "csv" ? AllColumnsAsText.Replace("CAST(bin AS STRING), ", "", StringComparison.Ordinal) : AllColumnsAsText;
        var expected = (await db.ExecuteAsync($"SELECT {text} FROM native ORDER BY i NULLS LAST")).Rows.ToList();
        var actual = (await db.ExecuteAsync($"SELECT {text} FROM sink ORDER BY i NULLS LAST")).Rows.ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(["x,\"y\"", null], (await db.ExecuteAsync("SELECT s FROM sink ORDER BY i NULLS LAST")).Rows.Select(r => r[0]).ToList());
    }

    [Fact]
    public async Task Json_lines_of_other_writers_read_with_flink_options()
    {
        var file = Path.Combine(_dir, "in.json");
        File.WriteAllText(file, "{\"id\": 1, \"name\": \"a\", \"ts\": \"2024-01-01T10:00:00\"}\n\n{\"name\": \"b\", \"id\": 2}\r\n{not json}\n");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE strict (id INT, name STRING, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM strict"));
        Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
        Assert.Contains($"{file}:4", e.Message, StringComparison.Ordinal);
        await db.ExecuteAsync($"CREATE TABLE lenient (id INT, name STRING, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'true')");
        var rows = (await db.ExecuteAsync("SELECT id, name, CAST(ts AS STRING) FROM lenient ORDER BY id")).Rows.ToList();
        Assert.Equal([[1, "a", "2024-01-01 10:00:00.000"], [2, "b", null]], rows);
        await db.ExecuteAsync($"CREATE TABLE missing (id INT, name STRING, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'json', 'json.fail-on-missing-field' = 'true')");
        Assert.Equal(SqlStates.InvalidTextRepresentation, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM missing"))).SqlState);
        await db.ExecuteAsync($"CREATE TABLE typo (id INT) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'json', 'json.no-such' = 'x')");
        Assert.Equal(SqlStates.InvalidParameterValue, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM typo"))).SqlState);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("parquet")]
    public async Task Partitioned_writes_make_hive_directories_with_success_files_and_read_back_the_partition_columns(string format)
    {
        var path = Path.Combine(_dir, "part");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"""
            CREATE TABLE sales (id INT, amount DECIMAL(10,2), dt DATE, region STRING) PARTITIONED BY (dt, region)
            WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = '{format}', 'sink.partition-commit.policy.kind' = 'metastore,success-file')
            """);
        Assert.Equal(5, (await db.ExecuteAsync("""
            INSERT INTO sales VALUES (1, 1.50, DATE '2024-01-01', 'eu'), (2, 2.50, DATE '2024-01-01', 'us/west'),
              (3, 3.50, DATE '2024-01-02', 'eu'), (4, 4.50, DATE '2024-01-01', 'eu'), (5, 5.50, NULL, '')
            """)).RowsAffected);
        var dirs = Directory.GetDirectories(path, "*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(path, d)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["dt=2024-01-01", "dt=2024-01-01/region=eu", "dt=2024-01-01/region=us%2Fwest", "dt=2024-01-02", "dt=2024-01-02/region=eu",
            "dt=__DEFAULT_PARTITION__", "dt=__DEFAULT_PARTITION__/region=__DEFAULT_PARTITION__"], dirs);
        foreach (var leaf in dirs.Where(d => d.Contains('/', StringComparison.Ordinal)))
        {
            var files = Directory.GetFiles(Path.Combine(path, leaf)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(2, files.Count);
            Assert.Equal("_SUCCESS", files[0]);
            Assert.Matches($@"^part-[0-9a-f]{{32}}-\d+\.{format}$", files[1]);
        }
        // the partition columns are not in the files
        if (format != "parquet")
            Assert.DoesNotContain("eu", File.ReadAllText(Directory.GetFiles(Path.Combine(path, "dt=2024-01-02", "region=eu"), "part-*").Single()), StringComparison.Ordinal);
        var rows = (await db.ExecuteAsync("SELECT id, amount, dt, region FROM sales ORDER BY id")).Rows.ToList();
        Assert.Equal([[1, 1.50m, new DateOnly(2024, 1, 1), "eu"], [2, 2.50m, new DateOnly(2024, 1, 1), "us/west"], [3, 3.50m, new DateOnly(2024, 1, 2), "eu"],
            [4, 4.50m, new DateOnly(2024, 1, 1), "eu"], [5, 5.50m, null, null]], rows);
        Assert.Equal([3L], await db.QueryAsync<long>("SELECT count(*) FROM sales WHERE region = 'eu'"));
        Assert.Equal(["eu", "us/west"], await db.QueryAsync<string>("SELECT DISTINCT region FROM sales WHERE dt = DATE '2024-01-01' ORDER BY region"));
        Assert.Equal([15.00m], await db.QueryAsync<decimal>("SELECT sum(amount) FROM sales WHERE dt IS NOT NULL AND region = 'eu' OR id = 5"));
    }

    [Fact]
    public async Task Partition_default_name_success_file_name_and_commit_policies_are_flinks_options()
    {
        var path = Path.Combine(_dir, "p");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE t (v INT, k STRING) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'csv', 'partition.default-name' = 'none', 'sink.partition-commit.policy.kind' = 'success-file', 'sink.partition-commit.success-file.name' = '_DONE')");
        await db.ExecuteAsync("INSERT INTO t VALUES (1, NULL), (2, 'a')");
        Assert.True(File.Exists(Path.Combine(path, "k=none", "_DONE")));
        Assert.True(File.Exists(Path.Combine(path, "k=a", "_DONE")));
        Assert.Equal([[1, null], [2, "a"]], (await db.ExecuteAsync("SELECT v, k FROM t ORDER BY v")).Rows.ToList());
        // without a policy nothing but data files is written
        await db.ExecuteAsync($"CREATE TABLE plain (v INT, k STRING) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_dir, "q")}', 'format' = 'json')");
        await db.ExecuteAsync("INSERT INTO plain VALUES (1, 'a')");
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "q", "k=a")));

        var bad = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"CREATE TABLE bad (v INT, k STRING) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'csv', 'sink.partition-commit.policy.kind' = 'custom')"));
        Assert.Equal(SqlStates.InvalidParameterValue, bad.SqlState);
        Assert.Contains("custom", bad.Message, StringComparison.Ordinal);
        var compression = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"CREATE TABLE bad (v INT) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'parquet', 'parquet.compression' = 'lzma')"));
        Assert.Equal(SqlStates.InvalidParameterValue, compression.SqlState);
    }

    [Fact]
    public async Task A_failed_insert_leaves_no_visible_or_hidden_files()
    {
        // more rows than one batch, so files are being written when the bad row is reached
        var sb = new StringBuilder();
        for (var i = 0; i < 20_000; i++) sb.Append(i).Append(',').Append(i % 3).Append('\n');
        sb.Append("oops,1\n");
        var input = Path.Combine(_dir, "in.csv");
        File.WriteAllText(input, sb.ToString());
        var path = Path.Combine(_dir, "out");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE src (v INT, k INT) WITH ('connector' = 'filesystem', 'path' = '{input}', 'format' = 'csv')");
        foreach (var format in new[] { "csv", "json", "parquet" })
        {
            await db.ExecuteAsync($"CREATE TABLE sink_{format} (v INT, k INT) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = '{format}', 'sink.partition-commit.policy.kind' = 'success-file')");
            var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"INSERT INTO sink_{format} SELECT * FROM src"));
            Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
            Assert.False(Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Any());
        }
        // a good INSERT into the same directory keeps the earlier files untouched
        await db.ExecuteAsync($"CREATE TABLE ok (v INT, k INT) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'parquet', 'sink.rolling-policy.file-size' = '1kb')");
        await db.ExecuteAsync("INSERT INTO ok VALUES (1, 1), (2, 2), (3, 3)");
        Assert.Equal([3L], await db.QueryAsync<long>("SELECT count(*) FROM ok"));
    }

    [Fact]
    public async Task Rolling_file_size_splits_a_large_insert_into_several_parts()
    {
        var path = Path.Combine(_dir, "roll");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE sink (v BIGINT, s STRING) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'json', 'sink.rolling-policy.file-size' = '64kb')");
        await db.ExecuteAsync("CREATE TABLE gen (v BIGINT, s STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '30000', 'fields.v.kind' = 'sequence', 'fields.v.start' = '1', 'fields.v.end' = '30000')");
        Assert.Equal(30_000, (await db.ExecuteAsync("INSERT INTO sink SELECT * FROM gen")).RowsAffected);
        var files = Directory.GetFiles(path);
        Assert.True(files.Length > 1, $"{files.Length} files");
        Assert.All(files, f => Assert.Matches(@"part-[0-9a-f]{32}-\d+\.json$", f));
        Assert.Equal([450_015_000L], await db.QueryAsync<long>("SELECT sum(v) FROM sink"));
    }

    [Fact]
    public async Task Tpch_tbl_files_with_trailing_delimiters_bulk_load_into_a_native_table()
    {
        var sb = new StringBuilder();
        decimal quantity = 0, price = 0;
        for (var i = 1; i <= 500; i++)
        {
            var q = i % 50 + 1;
            var p = Math.Round(q * 1.01m * (i % 7 + 1), 2);
            quantity += q;
            price += p;
            sb.Append(CultureInfo.InvariantCulture, $"{(i + 3) / 4}|{i * 7 % 200 + 1}|{i % 10 + 1}|{(i - 1) % 4 + 1}|{q}|{p:0.00}|0.0{i % 10}|0.0{i % 9}|{"ANR"[i % 3]}|{"OF"[i % 2]}|1996-03-{i % 28 + 1:00}|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|comment {i}|\n");
        }
        var file = Path.Combine(_dir, "lineitem.tbl");
        File.WriteAllText(file, sb.ToString());
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var columns = Tpch.TpchData.Tables.Single(t => t.Table == "lineitem").Columns;
        await db.ExecuteAsync($"CREATE TABLE lineitem ({columns})");
        await db.ExecuteAsync($"CREATE TABLE lineitem_src ({columns}) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv', 'csv.field-delimiter' = '|')");
        Assert.Equal(500, (await db.ExecuteAsync("INSERT INTO lineitem SELECT * FROM lineitem_src")).RowsAffected);
        var row = (await db.ExecuteAsync("SELECT count(*), sum(l_quantity), sum(l_extendedprice), count(DISTINCT l_orderkey), max(l_comment) FROM lineitem")).Rows.Single();
        Assert.Equal([500L, quantity, price, 125L, "comment 99"], row);
    }

    [Fact]
    public async Task Reading_files_reports_progress_in_bytes_to_the_session()
    {
        var file = Path.Combine(_dir, "big.csv");
        File.WriteAllText(file, string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i},row {i}\n")));
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE src (v INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        await db.ExecuteAsync("CREATE TABLE native (v INT, s STRING)");
        var reports = new List<TarnProgress>();
        db.DefaultSession.Progress += (_, p) => { lock (reports) reports.Add(p); };
        await db.ExecuteAsync("INSERT INTO native SELECT * FROM src");
        var length = new FileInfo(file).Length;
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.InRange(r.Done, 0, length));
        Assert.Equal(new TarnProgress(file, length, length), reports[^1]);
    }

    [Fact]
    public async Task Partitions_a_where_clause_excludes_are_not_read()
    {
        var path = Path.Combine(_dir, "pruned");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE t (v INT, k STRING, n INT) PARTITIONED BY (k, n) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'csv')");
        await db.ExecuteAsync("INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2), (3, 'a', 3), (4, NULL, 4)");
        // a partition whose file cannot be read: any query that reads it fails
        Directory.CreateDirectory(Path.Combine(path, "k=bad", "n=9"));
        File.WriteAllText(Path.Combine(path, "k=bad", "n=9", "part-0.csv"), "not a number\n");
        Assert.Equal(SqlStates.InvalidTextRepresentation, (await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM t"))).SqlState);
        Assert.Equal([1, 3], await db.QueryAsync<int>("SELECT v FROM t WHERE k = 'a' ORDER BY v"));
        Assert.Equal([2, 3], await db.QueryAsync<int>("SELECT v FROM t WHERE n BETWEEN 2 AND 3 AND v > 0 ORDER BY v"));
        Assert.Equal([4], await db.QueryAsync<int>("SELECT v FROM t WHERE k IS NULL"));
        Assert.Equal([1, 2, 3], await db.QueryAsync<int>("SELECT v FROM t WHERE k IN ('a', 'b') OR n < 3 ORDER BY v"));
        Assert.Equal([1L], await db.QueryAsync<long>("SELECT count(*) FROM t WHERE CAST(n AS STRING) = '1'"));
        // a conjunct that also reads a stored column cannot skip partitions
        await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT v FROM t WHERE k = 'a' OR v = 2"));
    }

    [Fact]
    public async Task Insert_overwrite_replaces_the_table_or_the_partitions_written()
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE flat (v INT) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_dir, "flat")}', 'format' = 'json')");
        await db.ExecuteAsync("INSERT INTO flat VALUES (1), (2)");
        await db.ExecuteAsync("INSERT INTO flat VALUES (3)");
        await db.ExecuteAsync("INSERT OVERWRITE flat VALUES (4)");
        Assert.Equal([4], await db.QueryAsync<int>("SELECT v FROM flat"));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "flat")));

        await db.ExecuteAsync($"CREATE TABLE parts (v INT, k STRING) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_dir, "parts")}', 'format' = 'parquet', 'sink.partition-commit.policy.kind' = 'success-file')");
        await db.ExecuteAsync("INSERT INTO parts VALUES (1, 'a'), (2, 'b'), (3, 'a')");
        await db.ExecuteAsync("INSERT OVERWRITE parts VALUES (10, 'a')");
        Assert.Equal([[2, "b"], [10, "a"]], (await db.ExecuteAsync("SELECT v, k FROM parts ORDER BY v")).Rows.ToList());
        Assert.True(File.Exists(Path.Combine(_dir, "parts", "k=a", "_SUCCESS")));
    }
}
