namespace Tarn.Tests.Streaming;

/// <summary>
/// Streaming jobs into <c>filesystem</c> tables: rows become visible when the part files roll (published by rename),
/// partitions get their success files, and reading the table back gives the batch answer of the job's query.
/// </summary>
public sealed class FileSystemStreamingSinkTests : StreamingTestBase
{
    private const string Source = "CREATE TABLE src (id BIGINT, grp STRING, v DOUBLE, ts TIMESTAMP(3), note STRING)";

    private static string Rows(int from, int count) => string.Join(", ", Enumerable.Range(from, count).Select(i =>
        $"({i}, '{(char)('a' + i % 3)}', {i * 1.5}, TIMESTAMP '2024-01-0{1 + i % 2} 10:{i % 60:D2}:00', {(i % 5 == 0 ? "NULL" : $"'n,{i}'")})"));

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("parquet")]
    public async Task A_job_writes_a_partitioned_table_that_reads_back_as_the_batch_answer(string format)
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        var path = Path.Combine(Dir, "out");
        db.Execute(Source);
        db.Execute($"CREATE TABLE fs (id BIGINT, v DOUBLE, ts TIMESTAMP(3), note STRING, grp STRING, d STRING) PARTITIONED BY (grp, d) WITH ("
            + $"'connector' = 'filesystem', 'path' = '{path}', 'format' = '{format}', 'sink.rolling-policy.rollover-interval' = '0 s', "
            + "'sink.partition-commit.policy.kind' = 'success-file'" + (format == "csv" ? ", 'csv.null-literal' = '\\N'" : "") + ")");
        const string query = "SELECT id, v * 2, ts, note, grp, DATE_FORMAT(ts, 'yyyy-MM-dd') FROM src WHERE id % 7 <> 3";
        db.Execute($"INSERT INTO src VALUES {Rows(0, 200)}");
        Streaming(db);
        db.Execute("INSERT INTO fs " + query);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT id, v, ts, note, grp, d FROM fs")));
        db.Execute($"INSERT INTO src VALUES {Rows(200, 100)}");
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT id, v, ts, note, grp, d FROM fs")));
        // Hive-style directories, each committed with a success file; nothing left in progress.
        var partitions = Directory.GetDirectories(path).SelectMany(Directory.GetDirectories).Select(p => Path.GetRelativePath(path, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["grp=a/d=2024-01-01", "grp=a/d=2024-01-02", "grp=b/d=2024-01-01", "grp=b/d=2024-01-02", "grp=c/d=2024-01-01", "grp=c/d=2024-01-02"],
            partitions.Select(p => p.Replace(Path.DirectorySeparatorChar, '/')).ToList());
        Assert.All(partitions, p => Assert.True(File.Exists(Path.Combine(path, p, "_SUCCESS")), p));
        Assert.Empty(Directory.GetFiles(path, "*.inprogress", SearchOption.AllDirectories));
        Assert.All(Directory.GetFiles(path, "part-*", SearchOption.AllDirectories), f => Assert.EndsWith("." + format, f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rows_stay_hidden_until_their_file_rolls_and_a_bounded_input_rolls_at_its_end()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source);
        db.Execute($"INSERT INTO src VALUES {Rows(0, 50)}");
        // Default rolling policy (128 MB, 30 min): after the job caught up the rows are in hidden in-progress files.
        db.Execute($"CREATE TABLE slow (id BIGINT, grp STRING) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(Dir, "slow")}', 'format' = 'csv')");
        // A bounded source: the job finishes, and its end publishes everything.
        db.Execute("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '1000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000')");
        db.Execute($"CREATE TABLE finished (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(Dir, "finished")}', 'format' = 'json')");
        Streaming(db);
        db.Execute("INSERT INTO slow SELECT id, grp FROM src");
        db.Execute("INSERT INTO finished SELECT id FROM gen");
        Batch(db);
        await db.WaitForJobsAsync();
        await WaitUntilFinishedAsync(db); // a rate-limited generator can look idle before it ends
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM slow").GetValue(0, 0));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Dir, "slow"), ".part-*.inprogress"));
        Assert.Equal("1000|1|1000|500500", Sorted(db.Execute("SELECT count(*), min(id), max(id), sum(id) FROM finished")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Dir, "finished"), "*.inprogress"));
        // STOP JOB: a stopped job never resumes, so its sink publishes what it holds.
        var slowJob = (string)db.Execute("SELECT job_id FROM tarn_jobs WHERE statement LIKE '%slow%'").GetValue(0, 0)!;
        db.Execute($"STOP JOB '{slowJob}'");
        Assert.Equal("50", Sorted(db.Execute("SELECT count(*) FROM slow")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Dir, "slow"), "*.inprogress"));
    }

    [Fact]
    public async Task Partition_time_commits_an_hour_once_the_watermark_passed_it_plus_the_delay()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        var path = Path.Combine(Dir, "hours");
        db.Execute("CREATE TABLE ev (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)");
        db.Execute($"CREATE TABLE by_hour (v INT, dt STRING, hr STRING) PARTITIONED BY (dt, hr) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'csv', "
            + "'sink.rolling-policy.rollover-interval' = '0 s', 'sink.partition-commit.trigger' = 'partition-time', 'sink.partition-commit.delay' = '1 h', "
            + "'partition.time-extractor.timestamp-pattern' = '$dt $hr:00:00', 'sink.partition-commit.policy.kind' = 'success-file')");
        Streaming(db);
        db.Execute("INSERT INTO by_hour SELECT v, DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH') FROM ev");
        Batch(db);
        db.Execute("INSERT INTO ev VALUES (TIMESTAMP '2024-01-01 10:15:00', 1), (TIMESTAMP '2024-01-01 10:45:00', 2)");
        await db.WaitForJobsAsync();
        Assert.Equal("1\n2", Sorted(db.Execute("SELECT v FROM by_hour")));
        var ten = Path.Combine(path, "dt=2024-01-01", "hr=10", "_SUCCESS");
        Assert.False(File.Exists(ten)); // the watermark (10:44:59) has not passed 10:00 + 1 h
        db.Execute("INSERT INTO ev VALUES (TIMESTAMP '2024-01-01 11:30:00', 3)");
        await db.WaitForJobsAsync();
        Assert.Equal("1\n2\n3", Sorted(db.Execute("SELECT v FROM by_hour")));
        Assert.True(File.Exists(ten)); // 11:29:59 has
        Assert.False(File.Exists(Path.Combine(path, "dt=2024-01-01", "hr=11", "_SUCCESS")));
    }

    /// <summary>Waits until a job over a bounded source (the only kind that can) has finished.</summary>
    internal static async Task WaitUntilFinishedAsync(TarnDatabase db)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!db.Execute("SHOW JOBS").Rows.Any(j => (string?)j[2] is "FINISHED" or "FAILED"))
        {
            Assert.True(DateTime.UtcNow < deadline, "no job finished");
            await Task.Delay(25);
        }
        Assert.DoesNotContain(db.Execute("SHOW JOBS").Rows, j => (string?)j[2] == "FAILED");
    }

    [Fact]
    public void An_updating_query_cannot_write_a_filesystem_table()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source);
        db.Execute($"CREATE TABLE counts (grp STRING, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(Dir, "counts")}', 'format' = 'csv')");
        Streaming(db);
        var e = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO counts SELECT grp, count(*) FROM src GROUP BY grp"));
        Assert.Equal("0A000", e.SqlState);
    }
}
