namespace Tarn.Tests.Connectors;

/// <summary>The kafka connector's source against a real (mock) Kafka cluster: batch reads of bounded tables.</summary>
public sealed class KafkaSourceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly KafkaMockCluster _kafka = new();

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string With(string topic, string extra = "") =>
        $"WITH ('connector' = 'kafka', 'topic' = '{topic}', 'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'{extra})";

    [Fact]
    public async Task A_bounded_table_reads_every_record_of_every_partition_in_batch()
    {
        _kafka.CreateTopic("orders");
        for (var i = 1; i <= 10; i++)
            _kafka.Produce("orders", i % 2, $$"""{"id": {{i}}, "amount": {{i}}.5, "status": "s{{i % 3}}", "ts": "2024-01-0{{1 + i % 3}} 10:00:00.250"}""");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), status STRING, ts TIMESTAMP(3), part INT METADATA FROM 'partition', `offset` BIGINT METADATA VIRTUAL) {With("orders")}");
        Assert.Equal([10L], await db.QueryAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal([60.00m], await db.QueryAsync<decimal>("SELECT sum(amount) FROM orders"));
        var rows = (await db.ExecuteAsync("SELECT id, part, `offset`, CAST(ts AS STRING) FROM orders WHERE id IN (1, 2, 4) ORDER BY id")).Rows.ToList();
        Assert.Equal([[1L, 1, 0L, "2024-01-02 10:00:00.250"], [2L, 0, 0L, "2024-01-03 10:00:00.250"], [4L, 0, 1L, "2024-01-02 10:00:00.250"]], rows);
    }

    [Fact]
    public async Task Startup_by_specific_offsets_or_timestamp_and_bounds_by_offsets_or_timestamp()
    {
        _kafka.CreateTopic("events");
        for (var i = 0; i < 10; i++) _kafka.Produce("events", 0, $$"""{"v": {{i}}}""", timestampMillis: 1_700_000_000_000 + i * 1000);
        for (var i = 0; i < 4; i++) _kafka.Produce("events", 1, $$"""{"v": {{100 + i}}}""", timestampMillis: 1_700_000_000_000 + i * 1000);
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var servers = _kafka.BootstrapServers;
        await db.ExecuteAsync($"CREATE TABLE specific (v INT) WITH ('connector' = 'kafka', 'topic' = 'events', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json', 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:7;partition:1,offset:3', 'scan.bounded.mode' = 'latest-offset')");
        Assert.Equal([7, 8, 9, 103], await db.QueryAsync<int>("SELECT v FROM specific ORDER BY v"));
        await db.ExecuteAsync($"CREATE TABLE since (v INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp') WITH ('connector' = 'kafka', 'topic' = 'events', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json', 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '1700000002000', 'scan.bounded.mode' = 'timestamp', 'scan.bounded.timestamp-millis' = '1700000005000')");
        Assert.Equal([2, 3, 4, 102, 103], await db.QueryAsync<int>("SELECT v FROM since ORDER BY v"));
        Assert.Equal([1_700_000_002_000L], await db.QueryAsync<long>("SELECT min(CAST(EXTRACT(EPOCH FROM ts) * 1000 AS BIGINT)) FROM since"));
        await db.ExecuteAsync($"CREATE TABLE upto (v INT) WITH ('connector' = 'kafka', 'topic' = 'events', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'specific-offsets', 'scan.bounded.specific-offsets' = 'partition:0,offset:2;partition:1,offset:2')");
        Assert.Equal([0, 1, 100, 101], await db.QueryAsync<int>("SELECT v FROM upto ORDER BY v"));
    }

    [Fact]
    public async Task Bad_records_fail_the_query_with_their_position_unless_parse_errors_are_ignored()
    {
        _kafka.CreateTopic("dirty");
        _kafka.Produce("dirty", 0, """{"id": 1, "name": "a"}""");
        _kafka.Produce("dirty", 0, """{"id": 2, "name": """);
        _kafka.Produce("dirty", 0, """{"id": "three", "name": "c"}""");
        _kafka.Produce("dirty", 0, null); // a tombstone has no row
        _kafka.Produce("dirty", 0, """{"id": 4}""");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE strict (id INT, name STRING) {With("dirty")}");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM strict"));
        Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
        Assert.Contains("topic 'dirty' partition 0 offset 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("json.ignore-parse-errors", e.Message, StringComparison.Ordinal);
        await db.ExecuteAsync($"CREATE TABLE lenient (id INT, name STRING) {With("dirty", ", 'json.ignore-parse-errors' = 'true'")}");
        var rows = (await db.ExecuteAsync("SELECT id, name FROM lenient")).Rows.ToList();
        Assert.Equal([[1, "a"], [null, "c"], [4, null]], rows);
        await db.ExecuteAsync($"CREATE TABLE complete (id INT, name STRING) {With("dirty", ", 'json.fail-on-missing-field' = 'true'")}");
        e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM complete WHERE id = 4"));
        Assert.Contains("offset 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_csv_raw_and_the_legacy_descriptor_keys()
    {
        _kafka.CreateTopic("kv");
        _kafka.Produce("kv", 0, "1,apple,\"2.50\"", key: """{"k": "a"}""");
        _kafka.Produce("kv", 0, "2,\"pear, green\",", key: """{"k": "b"}""");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var servers = _kafka.BootstrapServers;
        await db.ExecuteAsync($"""
            CREATE TABLE kv (k STRING, id INT, name STRING, price DECIMAL(5, 2), raw_key STRING METADATA FROM 'key', topic STRING METADATA VIRTUAL)
            WITH ('connector' = 'kafka', 'topic' = 'kv', 'properties.bootstrap.servers' = '{servers}', 'scan.startup.mode' = 'earliest-offset',
                  'scan.bounded.mode' = 'latest-offset', 'key.format' = 'json', 'key.fields' = 'k', 'value.format' = 'csv', 'value.fields-include' = 'EXCEPT_KEY')
            """);
        var rows = (await db.ExecuteAsync("SELECT k, id, name, price, raw_key, topic FROM kv ORDER BY id")).Rows.ToList();
        Assert.Equal([["a", 1, "apple", 2.50m, """{"k": "a"}""", "kv"], ["b", 2, "pear, green", null, """{"k": "b"}""", "kv"]], rows);
        await db.ExecuteAsync($"CREATE TABLE lines (line STRING) WITH ('connector' = 'kafka', 'topic' = 'kv', 'properties.bootstrap.servers' = '{servers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'raw')");
        Assert.Equal(["1,apple,\"2.50\"", "2,\"pear, green\","], await db.QueryAsync<string>("SELECT line FROM lines"));

        _kafka.CreateTopic("legacy");
        _kafka.Produce("legacy", 0, """{"user_id": 7, "ts": "2024-05-01T12:00:00"}""");
        await db.ExecuteAsync($"""
            CREATE TABLE legacy (user_id BIGINT, ts TIMESTAMP(3)) WITH (
                'connector.type' = 'kafka', 'connector.version' = 'universal', 'connector.topic' = 'legacy',
                'connector.properties.0.key' = 'bootstrap.servers', 'connector.properties.0.value' = '{servers}',
                'connector.properties.group.id' = 'g1', 'connector.startup-mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
                'format.type' = 'json', 'format.derive-schema' = 'true', 'json.timestamp-format.standard' = 'ISO-8601')
            """);
        Assert.Equal([[7L, "2024-05-01 12:00:00.000"]], (await db.ExecuteAsync("SELECT user_id, CAST(ts AS STRING) FROM legacy")).Rows.ToList());
    }

    [Fact]
    public async Task Table_definitions_are_checked_at_create_table()
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var servers = _kafka.BootstrapServers;
        async Task<string> Fails(string columns, string options)
        {
            var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"CREATE TABLE t ({columns}) WITH ('connector' = 'kafka', 'properties.bootstrap.servers' = '{servers}'{options})"));
            return e.SqlState + " " + e.Message;
        }
        Assert.StartsWith("22023", await Fails("v INT", ", 'format' = 'json'"));
        Assert.Contains("'topic'", await Fails("v INT", ", 'format' = 'json'"), StringComparison.Ordinal);
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'newest'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'json.ignore-parse-error' = 'true'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'timestamp'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'p0:1'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'no.such' = 'x'"));
        Assert.StartsWith("42703", await Fails("v INT", ", 'topic' = 't', 'key.format' = 'json', 'key.fields' = 'w', 'value.format' = 'json'"));
        Assert.StartsWith("42703", await Fails("v INT, m INT METADATA FROM 'nope'", ", 'topic' = 't', 'format' = 'json'"));
        Assert.StartsWith("42804", await Fails("v INT, m STRING METADATA FROM 'offset'", ", 'topic' = 't', 'format' = 'json'"));
        Assert.StartsWith("0A000", await Fails("v INT", ", 'topic' = 't', 'format' = 'protobuf'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'avro-confluent'")); // no registry url
        Assert.StartsWith("22023", await Fails("v INT, w INT", ", 'topic' = 't', 'format' = 'raw'"));
        Assert.StartsWith("22023", await Fails("v INT", ", 'topic' = 't', 'format' = 'json', 'scan.bounded.mode' = 'group-offsets'"));
        await db.ExecuteAsync($"CREATE TABLE nowhere (v INT) WITH ('connector' = 'kafka', 'topic' = 'no-such-topic', 'properties.bootstrap.servers' = '{servers}', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        var missing = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM nowhere"));
        Assert.Equal("42704", missing.SqlState);
        Assert.Contains("topic 'no-such-topic' does not exist", missing.Message, StringComparison.Ordinal);
        await db.ExecuteAsync($"CREATE TABLE endless (v INT) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json')");
        var unbounded = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM endless"));
        Assert.Equal("0A000", unbounded.SqlState);
        Assert.Contains("scan.bounded.mode", unbounded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_offsets_start_or_stop_where_the_consumer_group_committed()
    {
        _kafka.CreateTopic("jobs");
        for (var i = 0; i < 6; i++) _kafka.Produce("jobs", 0, $$"""{"v": {{i}}}""");
        _kafka.Produce("jobs", 1, """{"v": 10}""");
        _kafka.CommitOffset("readers", "jobs", 0, 4);
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var servers = _kafka.BootstrapServers;
        await db.ExecuteAsync($"CREATE TABLE resumed (v INT) WITH ('connector' = 'kafka', 'topic' = 'jobs', 'properties.bootstrap.servers' = '{servers}', 'properties.group.id' = 'readers', 'scan.startup.mode' = 'group-offsets', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        Assert.Equal([4, 5, 10], await db.QueryAsync<int>("SELECT v FROM resumed ORDER BY v")); // partition 1 has no commit: earliest
        await db.ExecuteAsync($"CREATE TABLE so_far (v INT) WITH ('connector' = 'kafka', 'topic' = 'jobs', 'properties.bootstrap.servers' = '{servers}', 'properties.group.id' = 'readers', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'group-offsets', 'format' = 'json')");
        Assert.Equal([0, 1, 2, 3, 10], await db.QueryAsync<int>("SELECT v FROM so_far ORDER BY v"));
        await db.ExecuteAsync($"CREATE TABLE strict (v INT) WITH ('connector' = 'kafka', 'topic' = 'jobs', 'properties.bootstrap.servers' = '{servers}', 'properties.group.id' = 'readers', 'properties.auto.offset.reset' = 'none', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM strict"));
        Assert.Contains("no committed offset for jobs partition 1", e.Message, StringComparison.Ordinal);
    }
}
