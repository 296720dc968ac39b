namespace Tarn.Tests.Connectors;

/// <summary>Streaming jobs reading kafka tables from a real (mock) Kafka cluster: exactly-once input and changelog formats.</summary>
public sealed class KafkaStreamingTests : IDisposable
{
    private readonly KafkaMockCluster _kafka = new();

    private string Dir { get; } = Path.Combine(Path.GetTempPath(), "tarn-kafka-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    private static void Streaming(TarnDatabase db) => db.Execute("SET 'execution.runtime-mode' = 'streaming'");

    private static void Batch(TarnDatabase db) => db.Execute("SET 'execution.runtime-mode' = 'batch'");

    private string Source(string name, string columns, string topic, string format, string extra = "") =>
        $"CREATE TABLE {name} ({columns}) WITH ('connector' = 'kafka', 'topic' = '{topic}', 'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'properties.group.id' = 'tarn-test', 'scan.startup.mode' = 'earliest-offset', 'format' = '{format}'{extra})";

    /// <summary>
    /// Waits until the job has produced what <paramref name="done"/> looks for. Kafka records arrive asynchronously,
    /// so "caught up" is decided by the sink's contents; a failed job or a minute without success fails the test.
    /// </summary>
    private static async Task WaitFor(TarnDatabase db, Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!done())
        {
            var failed = db.Execute("SHOW JOBS").Rows.FirstOrDefault(r => (string)r[2]! == "FAILED");
            if (failed is not null) Assert.Fail($"job failed: {failed[4]}");
            if (DateTime.UtcNow > deadline) Assert.Fail("the streaming job did not produce the expected rows within a minute");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_job_copies_every_record_exactly_once_even_when_the_database_closes_mid_stream()
    {
        _kafka.CreateTopic("clicks");
        for (var i = 1; i <= 3000; i++) _kafka.Produce("clicks", i % 4, $$"""{"id": {{i}}, "user": "u{{i % 7}}"}""");
        var path = Path.Combine(Dir, "db");
        using (var db = TarnDatabase.Open(path))
        {
            db.Execute(Source("clicks", "id BIGINT, `user` STRING, part INT METADATA FROM 'partition', off BIGINT METADATA FROM 'offset'", "clicks", "json"));
            db.Execute("CREATE TABLE copy (id BIGINT, user_name STRING, part INT, off BIGINT)");
            Streaming(db);
            db.Execute("INSERT INTO copy SELECT id, `user`, part, off FROM clicks WHERE id > 0");
            Batch(db);
            await WaitFor(db, () => (long)db.Execute("SELECT count(*) FROM copy").GetValue(0, 0)! > 0);
        }
        for (var i = 3001; i <= 4000; i++) _kafka.Produce("clicks", i % 4, $$"""{"id": {{i}}, "user": "u{{i % 7}}"}""");
        using (var db = TarnDatabase.Open(path))
        {
            await WaitFor(db, () => (long)db.Execute("SELECT count(*) FROM copy").GetValue(0, 0)! >= 4000);
            Assert.Equal([[4000L, 4000L, 4000L * 4001 / 2]], db.Execute("SELECT count(*), count(DISTINCT id), sum(id) FROM copy").Rows.ToList());
            // offsets within each partition are dense: every record once
            var perPartition = db.Execute("SELECT part, count(*), min(off), max(off) FROM copy GROUP BY part ORDER BY part").Rows.ToList();
            Assert.Equal([[0, 1000L, 0L, 999L], [1, 1000L, 0L, 999L], [2, 1000L, 0L, 999L], [3, 1000L, 0L, 999L]], perPartition);
            Assert.Equal("u3", db.Execute("SELECT user_name FROM copy WHERE id = 10").GetValue(0, 0));
        }
    }

    [Fact]
    public async Task Debezium_changes_keep_a_primary_key_table_and_an_aggregate_at_the_final_state()
    {
        _kafka.CreateTopic("products");
        string Change(string op, string? before, string? after) => $$"""{"before": {{before ?? "null"}}, "after": {{after ?? "null"}}, "op": "{{op}}", "source": {"db": "shop"}, "ts_ms": 1}""";
        _kafka.Produce("products", 0, Change("r", null, """{"id": 1, "name": "apple", "price": 10.00}"""));
        _kafka.Produce("products", 0, Change("c", null, """{"id": 2, "name": "pear", "price": 20.00}"""));
        _kafka.Produce("products", 0, Change("u", """{"id": 1, "name": "apple", "price": 10.00}""", """{"id": 1, "name": "apple", "price": 15.00}"""));
        _kafka.Produce("products", 0, null); // the tombstone Debezium sends after a delete
        _kafka.Produce("products", 0, Change("d", """{"id": 2, "name": "pear", "price": 20.00}""", null));
        _kafka.Produce("products", 0, $$"""{"schema": {"type": "struct"}, "payload": {{Change("c", null, """{"id": 3, "name": "fig", "price": 30.00}""")}}}""");
        _kafka.Produce("products", 0, Change("u", """{"id": 3, "name": "fig", "price": 30.00}""", """{"id": 3, "name": "fig", "price": 31.00}"""));
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source("products", "id INT, name STRING, price DECIMAL(10, 2)", "products", "debezium-json", ", 'debezium-json.schema-include' = 'false'"));
        db.Execute("CREATE TABLE latest (id INT, name STRING, price DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE totals (k STRING, n BIGINT, total DECIMAL(38, 2), PRIMARY KEY (k) NOT ENFORCED)");
        Streaming(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN SELECT * FROM products").Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"ConnectorScan .*changelogMode=\[I,UB,UA,D\]", plan);
        db.Execute("CREATE TABLE appended (id INT, name STRING, price DECIMAL(10, 2))");
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => db.Execute("INSERT INTO appended SELECT * FROM products")).SqlState); // updates need a key
        db.Execute("INSERT INTO latest SELECT * FROM products");
        db.Execute("INSERT INTO totals SELECT 'all', count(*), sum(price) FROM products");
        Batch(db);
        Assert.Contains("changelog format", Assert.Throws<TarnException>(() => db.Execute("SELECT * FROM products")).Message, StringComparison.Ordinal);
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM latest")) == "1|apple|15.00\n3|fig|31.00"
            && Sorted(db.Execute("SELECT * FROM totals")) == "all|2|46.00");
    }

    [Fact]
    public async Task Canal_changes_with_several_rows_per_message()
    {
        _kafka.CreateTopic("canal");
        _kafka.Produce("canal", 0, """{"data": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}], "old": null, "type": "INSERT", "database": "shop", "table": "t", "isDdl": false}""");
        _kafka.Produce("canal", 0, """{"data": null, "type": "CREATE", "database": "shop", "table": "t", "isDdl": true, "sql": "CREATE TABLE t (id INT)"}""");
        _kafka.Produce("canal", 0, """{"data": [{"id": "9", "name": "other"}], "old": null, "type": "INSERT", "database": "shop", "table": "elsewhere", "isDdl": false}""");
        _kafka.Produce("canal", 0, """{"data": [{"id": "1", "name": "a2"}], "old": [{"name": "a"}], "type": "UPDATE", "database": "shop", "table": "t", "isDdl": false}""");
        _kafka.Produce("canal", 0, """{"data": [{"id": "2", "name": "b"}], "old": null, "type": "DELETE", "database": "shop", "table": "t", "isDdl": false}""");
        _kafka.Produce("canal", 0, """{"data": [{"id": "3", "name": "c"}], "old": null, "type": "INSERT", "database": "shop", "table": "t", "isDdl": false}""");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source("t", "id INT, name STRING", "canal", "canal-json", ", 'canal-json.table.include' = 't'"));
        db.Execute("CREATE TABLE t_copy (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO t_copy SELECT * FROM t");
        Batch(db);
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM t_copy")) == "1|a2\n3|c");
    }

    [Fact]
    public async Task A_record_that_cannot_be_decoded_fails_the_job_with_its_position()
    {
        _kafka.CreateTopic("broken");
        _kafka.Produce("broken", 2, """{"v": 1}""");
        _kafka.Produce("broken", 2, """{"v": oops}""");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source("broken", "v INT", "broken", "json"));
        db.Execute("CREATE TABLE sink (v INT)");
        Streaming(db);
        db.Execute("INSERT INTO sink SELECT v FROM broken");
        Batch(db);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        object?[]? job;
        while ((job = db.Execute("SHOW JOBS").Rows.Single())[2] as string != "FAILED")
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not fail");
            await Task.Delay(25);
        }
        Assert.Contains("topic 'broken' partition 2 offset 1", (string)job[4]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topics_matching_a_pattern_are_discovered_while_the_job_runs_and_read_from_their_start()
    {
        _kafka.CreateTopic("metrics-a");
        _kafka.Produce("metrics-a", 0, """{"v": 1}""");
        var path = Path.Combine(Dir, "db");
        using (var db = TarnDatabase.Open(path))
        {
            db.Execute($"CREATE TABLE metrics (v INT, topic STRING METADATA) WITH ('connector' = 'kafka', 'topic-pattern' = 'metrics-.*', 'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'scan.startup.mode' = 'latest-offset', 'scan.topic-partition-discovery.interval' = '50 ms', 'format' = 'json')");
            db.Execute("CREATE TABLE seen (v INT, topic STRING)");
            Streaming(db);
            db.Execute("INSERT INTO seen SELECT v, topic FROM metrics");
            Batch(db);
            // latest-offset: the record produced before the job started is not read; wait until the job has assigned metrics-a
            _kafka.Produce("metrics-a", 1, """{"v": 2}""");
            await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM seen")).Contains("2|metrics-a", StringComparison.Ordinal) || Produce(_kafka, "metrics-a", 1, 2));
            _kafka.CreateTopic("metrics-b");
            _kafka.Produce("metrics-b", 3, """{"v": 3}"""); // a topic created later is read from its earliest offset
            _kafka.Produce("other", 0, """{"v": 4}""");
            await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM seen WHERE v <> 2")) == "3|metrics-b");
        }
        _kafka.Produce("metrics-b", 0, """{"v": 5}""");
        using (var db = TarnDatabase.Open(path))
            await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM seen WHERE v <> 2")) == "3|metrics-b\n5|metrics-b");
    }

    /// <summary>
    /// Produces another copy of a record while the job has not read one yet: with latest-offset, records produced
    /// before the job assigned its partitions are (rightly) not read, so the test keeps producing until one is.
    /// </summary>
    private static bool Produce(KafkaMockCluster kafka, string topic, int partition, int v)
    {
        kafka.Produce(topic, partition, $$"""{"v": {{v}}}""");
        return false;
    }

    [Fact]
    public async Task A_job_over_a_bounded_table_finishes_after_the_stop_offsets()
    {
        _kafka.CreateTopic("batch");
        for (var i = 0; i < 100; i++) _kafka.Produce("batch", i % 3, $$"""{"v": {{i}}}""");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(Source("batch", "v INT", "batch", "json", ", 'scan.bounded.mode' = 'latest-offset'"));
        db.Execute("CREATE TABLE sums (k INT, n BIGINT, total BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO sums SELECT v % 2, count(*), sum(v) FROM batch GROUP BY v % 2");
        Batch(db);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((string)db.Execute("SHOW JOBS").Rows.Single()[2]! != "FINISHED")
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not finish: " + db.Execute("SHOW JOBS").Rows.Single()[4]);
            await Task.Delay(25);
        }
        _kafka.Produce("batch", 0, """{"v": 1000}"""); // after the job ended: not read
        Assert.Equal("0|50|2450\n1|50|2500", Sorted(db.Execute("SELECT * FROM sums")));
    }
}
