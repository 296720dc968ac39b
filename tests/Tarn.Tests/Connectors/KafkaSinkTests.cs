using System.Text;
using Confluent.Kafka;
using Tarn.Catalog.Model;
using Tarn.Connectors;
using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Connectors;

/// <summary>The kafka and upsert-kafka sinks against a real (mock) Kafka cluster.</summary>
public sealed class KafkaSinkTests : IDisposable
{
    private readonly KafkaMockCluster _kafka = new();

    private string Dir { get; } = Path.Combine(Path.GetTempPath(), "tarn-kafkasink-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }

    private string Servers => _kafka.BootstrapServers;

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    /// <summary>Every record of a topic (all partitions, to their end), as the given isolation level sees them.</summary>
    private List<ConsumeResult<byte[]?, byte[]?>> ReadTopic(string topic, bool readCommitted = true)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = Servers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
            EnableAutoCommit = false,
            IsolationLevel = readCommitted ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, KafkaMockCluster.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ended.Count < KafkaMockCluster.Partitions && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            if (r.IsPartitionEOF) ended.Add(r.Partition.Value);
            else records.Add(r);
        }
        Assert.Equal(KafkaMockCluster.Partitions, ended.Count);
        return records;
    }

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

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

    /// <summary>Kafka's Java partitioner: murmur2 of the key, made positive, modulo the partition count.</summary>
    private static int JavaPartition(byte[] data, int partitions)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;
        var length4 = length / 4;
        for (var i = 0; i < length4; i++)
        {
            var i4 = i * 4;
            var k = (uint)(data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        var rest = length % 4;
        if (rest == 3) h ^= (uint)data[(length & ~3) + 2] << 16;
        if (rest >= 2) h ^= (uint)data[(length & ~3) + 1] << 8;
        if (rest >= 1)
        {
            h ^= data[length & ~3];
            h *= m;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)(h & 0x7fffffff) % partitions;
    }

    [Fact]
    public async Task A_batch_insert_writes_records_a_kafka_source_reads_back_with_keys_placed_by_murmur2()
    {
        _kafka.CreateTopic("users");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(Dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE users_out (id BIGINT, name STRING, score DECIMAL(6, 2)) WITH ('connector' = 'kafka', 'topic' = 'users', 'properties.bootstrap.servers' = '{Servers}', 'key.format' = 'json', 'key.fields' = 'id', 'value.format' = 'json')");
        await db.ExecuteAsync("INSERT INTO users_out SELECT x, 'u' || CAST(x AS STRING), CAST(x AS DECIMAL(6, 2)) / 4 FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)) AS t(x)");
        await db.ExecuteAsync($"CREATE TABLE users_in (id BIGINT, name STRING, score DECIMAL(6, 2), part INT METADATA FROM 'partition', k STRING METADATA FROM 'key') WITH ('connector' = 'kafka', 'topic' = 'users', 'properties.bootstrap.servers' = '{Servers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        Assert.Equal(
            Sorted(await db.ExecuteAsync("SELECT x, 'u' || CAST(x AS STRING), CAST(CAST(x AS DECIMAL(6, 2)) / 4 AS DECIMAL(6, 2)) FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)) AS t(x)")),
            Sorted(await db.ExecuteAsync("SELECT id, name, score FROM users_in")));
        foreach (var row in (await db.ExecuteAsync("SELECT id, part, k FROM users_in")).Rows)
        {
            Assert.Equal($$"""{"id":{{row[0]}}}""", row[2]);
            Assert.Equal(JavaPartition(Encoding.UTF8.GetBytes((string)row[2]!), KafkaMockCluster.Partitions), (int)row[1]!);
        }
    }

    [Fact]
    public async Task Avro_values_written_by_the_sink_read_back_through_the_avro_source()
    {
        _kafka.CreateTopic("avro_users");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(Dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE avro_out (id BIGINT, name STRING, born DATE, score DECIMAL(6, 2)) WITH ('connector' = 'kafka', 'topic' = 'avro_users', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'avro')");
        await db.ExecuteAsync("INSERT INTO avro_out VALUES (1, 'ann', DATE '1990-01-02', 1.25), (2, NULL, NULL, NULL), (3, 'bo', DATE '2001-12-31', -7.5)");
        await db.ExecuteAsync($"CREATE TABLE avro_in (id BIGINT, name STRING, born DATE, score DECIMAL(6, 2)) WITH ('connector' = 'kafka', 'topic' = 'avro_users', 'properties.bootstrap.servers' = '{Servers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'avro')");
        Assert.Equal("1|ann|1990-01-02|1.25\n2|NULL|NULL|NULL\n3|bo|2001-12-31|-7.50",
            Sorted(await db.ExecuteAsync("SELECT id, name, CAST(born AS STRING), CAST(score AS STRING) FROM avro_in")));
    }

    [Fact]
    public async Task A_timestamp_metadata_column_sets_the_record_timestamp()
    {
        _kafka.CreateTopic("stamped");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(Dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE stamped (id INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', part INT METADATA FROM 'partition' VIRTUAL) WITH ('connector' = 'kafka', 'topic' = 'stamped', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
        await db.ExecuteAsync("INSERT INTO stamped VALUES (1, TO_TIMESTAMP_LTZ(1700000000123, 3)), (2, TO_TIMESTAMP_LTZ(1600000000000, 3))");
        await db.ExecuteAsync("INSERT INTO stamped (ts, id) SELECT TO_TIMESTAMP_LTZ(1500000000000, 3), 3");
        var records = ReadTopic("stamped").OrderBy(r => Text(r.Message.Value), StringComparer.Ordinal).ToList();
        Assert.Equal(["""{"id":1}""", """{"id":2}""", """{"id":3}"""], records.Select(r => Text(r.Message.Value)).ToList());
        Assert.Equal([1700000000123L, 1600000000000L, 1500000000000L], records.Select(r => r.Message.Timestamp.UnixTimestampMs).ToList());
        Assert.Equal([1, 2, 3], await db.QueryAsync<int>("SELECT id FROM stamped ORDER BY ts DESC"));
    }

    [Fact]
    public async Task Fixed_and_round_robin_partitioners_and_except_key_values()
    {
        _kafka.CreateTopic("fixed");
        _kafka.CreateTopic("rr");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(Dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE f (id INT, v STRING) WITH ('connector' = 'kafka', 'topic' = 'fixed', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'csv', 'sink.partitioner' = 'fixed')");
        await db.ExecuteAsync($"CREATE TABLE rr (k_id INT, v STRING) WITH ('connector' = 'kafka', 'topic' = 'rr', 'properties.bootstrap.servers' = '{Servers}', 'key.format' = 'raw', 'key.fields' = 'v', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY', 'sink.partitioner' = 'round-robin')");
        await db.ExecuteAsync("INSERT INTO f VALUES (1, 'a'), (2, 'b,c'), (3, NULL)");
        await db.ExecuteAsync("INSERT INTO rr VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f'), (7, 'g'), (8, 'h')");
        var f = ReadTopic("fixed");
        Assert.All(f, r => Assert.Equal(0, r.Partition.Value));
        Assert.Equal(["1,a", "2,\"b,c\"", "3,"], f.Select(r => Text(r.Message.Value)).ToList());
        var rr = ReadTopic("rr");
        Assert.Equal([2, 2, 2, 2], rr.GroupBy(r => r.Partition.Value).OrderBy(g => g.Key).Select(g => g.Count()).ToList());
        Assert.Equal("""{"k_id":1}""", Text(rr.Single(r => Text(r.Message.Key) == "a").Message.Value));
    }

    [Fact]
    public void A_sink_writes_one_topic_with_known_options()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute($"CREATE TABLE two (id INT) WITH ('connector' = 'kafka', 'topic' = 'a;b', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'json')");
        Assert.Equal("22023", Assert.Throws<TarnException>(() => db.Execute("INSERT INTO two VALUES (1)")).SqlState);
        db.Execute($"CREATE TABLE part (id INT) WITH ('connector' = 'kafka', 'topic' = 'a', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'json', 'sink.partitioner' = 'com.example.MyPartitioner')");
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => db.Execute("INSERT INTO part VALUES (1)")).SqlState);
        db.Execute($"CREATE TABLE guarantee (id INT) WITH ('connector' = 'kafka', 'topic' = 'a', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'json', 'sink.delivery-guarantee' = 'twice')");
        Assert.Equal("22023", Assert.Throws<TarnException>(() => db.Execute("INSERT INTO guarantee VALUES (1)")).SqlState);
        var e = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE nokey (id INT, v STRING) WITH ('connector' = 'upsert-kafka', 'topic' = 'a', 'properties.bootstrap.servers' = '{Servers}', 'key.format' = 'json', 'value.format' = 'json')"));
        Assert.Contains("PRIMARY KEY", e.Message, StringComparison.Ordinal);
        Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE noformat (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'a', 'properties.bootstrap.servers' = '{Servers}', 'value.format' = 'json')"));
    }

    [Fact]
    public async Task A_streaming_job_copies_a_topic_into_another_with_the_legacy_options()
    {
        _kafka.CreateTopic("in");
        _kafka.CreateTopic("out");
        for (var i = 1; i <= 200; i++) _kafka.Produce("in", i % 4, $$"""{"id": {{i}}, "tag": "t{{i % 5}}"}""");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute($"CREATE TABLE src (id BIGINT, tag STRING) WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = '{Servers}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')");
        db.Execute($"CREATE TABLE dst (id BIGINT, tag STRING) WITH ('connector.type' = 'kafka', 'connector.topic' = 'out', 'connector.properties.bootstrap.servers' = '{Servers}', 'format.type' = 'json', 'update-mode' = 'append')");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO dst SELECT id, tag FROM src WHERE id % 2 = 0");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        db.Execute($"CREATE TABLE back (id BIGINT, tag STRING) WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = '{Servers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        await WaitFor(db, () => (long)db.Execute("SELECT count(*) FROM back").GetValue(0, 0)! >= 100);
        await Task.Delay(200);
        var expected = Enumerable.Range(1, 200).Where(i => i % 2 == 0).Select(i => $"{i}|t{i % 5}").Order(StringComparer.Ordinal);
        Assert.Equal(string.Join("\n", expected), Sorted(db.Execute("SELECT id, tag FROM back")));
    }

    [Fact]
    public async Task An_updating_query_goes_to_kafka_as_debezium_json_and_reads_back_to_the_batch_answer()
    {
        _kafka.CreateTopic("totals");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute("CREATE TABLE orders (id INT PRIMARY KEY NOT ENFORCED, customer STRING, amount INT)");
        db.Execute("INSERT INTO orders VALUES (1, 'a', 10), (2, 'b', 20), (3, 'a', 5), (4, 'c', 7)");
        db.Execute($"CREATE TABLE totals (customer STRING, total INT, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'totals', 'properties.bootstrap.servers' = '{Servers}', 'format' = 'debezium-json')");
        db.Execute($"CREATE TABLE totals_log (customer STRING, total INT, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'totals', 'properties.bootstrap.servers' = '{Servers}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'debezium-json')");
        db.Execute("CREATE TABLE applied (customer STRING PRIMARY KEY NOT ENFORCED, total INT, n BIGINT)");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO totals SELECT customer, sum(amount), count(*) FROM orders GROUP BY customer");
        db.Execute("INSERT INTO applied SELECT * FROM totals_log");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        const string answer = "SELECT customer, sum(amount), count(*) FROM orders GROUP BY customer";
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM applied")) == Sorted(db.Execute(answer)));
        db.Execute("UPDATE orders SET amount = 100 WHERE id = 1");
        db.Execute("DELETE FROM orders WHERE id = 4");
        db.Execute("INSERT INTO orders VALUES (5, 'd', 1)");
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM applied")) == Sorted(db.Execute(answer)));
        var ops = ReadTopic("totals").Select(r => Text(r.Message.Value)!).ToList();
        Assert.Contains(ops, v => v.Contains("\"op\":\"u\"", StringComparison.Ordinal));
        Assert.Contains(ops, v => v.Contains("\"op\":\"d\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_aggregate_goes_to_upsert_kafka_and_reads_back_in_batch_and_as_a_normalized_stream()
    {
        _kafka.CreateTopic("counts");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute("CREATE TABLE clicks (id INT PRIMARY KEY NOT ENFORCED, page STRING, ms INT)");
        db.Execute("INSERT INTO clicks VALUES (1, 'home', 10), (2, 'cart', 20), (3, 'home', 30), (4, 'help', 5)");
        var upsert = $"'connector' = 'upsert-kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = '{Servers}', 'key.format' = 'json', 'value.format' = 'json'";
        db.Execute($"CREATE TABLE page_stats (page STRING, views BIGINT, total_ms INT, PRIMARY KEY (page) NOT ENFORCED) WITH ({upsert})");
        db.Execute("CREATE TABLE by_views (views BIGINT PRIMARY KEY NOT ENFORCED, pages BIGINT, ms INT)");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO page_stats SELECT page, count(*), sum(ms) FROM clicks GROUP BY page");
        // downstream of the upsert source: an aggregate that must retract exactly what it counted
        db.Execute("INSERT INTO by_views SELECT views, count(*), sum(total_ms) FROM page_stats GROUP BY views");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        const string stats = "SELECT page, count(*), sum(ms) FROM clicks GROUP BY page";
        const string views = "SELECT views, count(*), sum(total_ms) FROM (SELECT page, count(*) AS views, sum(ms) AS total_ms FROM clicks GROUP BY page) GROUP BY views";
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM by_views")) == Sorted(db.Execute(views)));
        db.Execute("DELETE FROM clicks WHERE id = 4");
        db.Execute("INSERT INTO clicks VALUES (5, 'cart', 1), (6, 'home', 2)");
        db.Execute("UPDATE clicks SET page = 'cart' WHERE id = 1");
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM by_views")) == Sorted(db.Execute(views)));
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM page_stats")) == Sorted(db.Execute(stats)));
        Assert.Equal(Sorted(db.Execute(stats)), Sorted(db.Execute("SELECT * FROM page_stats")));
        Assert.Equal(["cart", "home"], db.Execute("SELECT page FROM page_stats ORDER BY page").Rows.Select(r => (string)r[0]!).ToList());
        var records = ReadTopic("counts");
        Assert.Contains(records, r => r.Message.Value is null && Text(r.Message.Key) == """{"page":"help"}""");
    }

    [Fact]
    public async Task An_upsert_kafka_source_with_a_prefixed_key_outside_the_value_reads_the_latest_values()
    {
        _kafka.CreateTopic("prices");
        _kafka.Produce("prices", 0, """{"price": 10}""", "1");
        _kafka.Produce("prices", 1, """{"price": 20}""", "2");
        _kafka.Produce("prices", 0, """{"price": 11}""", "1");
        _kafka.Produce("prices", 1, null, "2");
        _kafka.Produce("prices", 2, """{"price": 30}""", "3");
        _kafka.Produce("prices", 3, null, "4"); // deleting an unknown key changes nothing
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute($"CREATE TABLE prices (k_id INT, price INT, PRIMARY KEY (k_id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'prices', 'properties.bootstrap.servers' = '{Servers}', 'key.format' = 'csv', 'key.fields-prefix' = 'k_', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY')");
        Assert.Equal("1|11\n3|30", Sorted(db.Execute("SELECT * FROM prices")));
        Assert.Equal([41L], db.Execute("SELECT sum(price) FROM prices").Rows.Select(r => (long)r[0]!).ToList());
        db.Execute("CREATE TABLE totals (one INT PRIMARY KEY NOT ENFORCED, n BIGINT, s INT)");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO totals SELECT one, count(*), sum(price) FROM (SELECT 1 AS one, price FROM prices) GROUP BY one");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM totals")) == "1|2|41");
        _kafka.Produce("prices", 0, null, "1");
        _kafka.Produce("prices", 2, """{"price": 31}""", "3");
        _kafka.Produce("prices", 2, """{"price": 31}""", "3");
        await WaitFor(db, () => Sorted(db.Execute("SELECT * FROM totals")) == "1|1|31");
        Assert.Equal("3|31", Sorted(db.Execute("SELECT * FROM prices")));
    }

    private TableDef ExactlyOnceTable(string topic, params (string Key, string Value)[] extra)
    {
        var options = new Dictionary<string, string>
        {
            ["connector"] = "kafka",
            ["topic"] = topic,
            ["properties.bootstrap.servers"] = Servers,
            ["format"] = "json",
            ["sink.delivery-guarantee"] = "exactly-once",
            ["sink.transactional-id-prefix"] = "test",
        };
        foreach (var (k, v) in extra) options[k] = v;
        return new TableDef("eo", 0, [new ColumnDef(0, "id", DataType.Int), new ColumnDef(1, "v", DataType.String)], [], [], null, options, null);
    }

    private static ChangeBatch Rows(int from, int count)
    {
        var ids = new PrimitiveVector<int>(DataType.Int, count);
        var vs = new BinaryVector(DataType.String, count);
        for (var i = 0; i < count; i++)
        {
            ids.Append(from + i);
            vs.Append("v" + (from + i));
        }
        return new ChangeBatch(new ColumnBatch([ids, vs], count));
    }

    /// <summary>
    /// Recovery of staged epochs through a real Kafka transaction per epoch. librdkafka's mock cluster implements the
    /// transaction APIs but does not apply offsets sent with a transaction to the group (so the epoch marker reads as
    /// absent), does not fence an older producer of the same transactional id, and shows open or aborted
    /// transactions to read_committed consumers; the crash window between a transaction's commit and the deletion
    /// of its staged file therefore cannot be tested here.
    /// </summary>
    [Fact]
    public void Exactly_once_publishes_a_staged_epoch_once_across_crashes_and_drops_uncommitted_ones()
    {
        _kafka.CreateTopic("eo");
        var table = ExactlyOnceTable("eo");
        var staging = Path.Combine(Dir, "staging");
        using (var sink = ConnectorSinks.OpenJobSink(table, new SinkContext("job1", 0, staging, -1)))
        {
            sink.Write(Rows(1, 5));
            sink.PreCommit(1);
            sink.Commit(1);
            sink.Write(Rows(6, 3));
            sink.PreCommit(2);
            // crash: the job committed epoch 2 but the sink never heard
        }
        Assert.Equal(5, ReadTopic("eo").Count);
        using (var sink = ConnectorSinks.OpenJobSink(table, new SinkContext("job1", 0, staging, 2)))
        {
            sink.Write(Rows(9, 2));
            sink.PreCommit(3);
            // crash before the job's commit of epoch 3
        }
        Assert.Equal(8, ReadTopic("eo").Count);
        using (var sink = ConnectorSinks.OpenJobSink(table, new SinkContext("job1", 0, staging, 2)))
        {
            // epoch 3 was not committed: dropped; the job replays it
            sink.Write(Rows(9, 2));
            sink.PreCommit(3);
            sink.Commit(3);
        }
        using (ConnectorSinks.OpenJobSink(table, new SinkContext("job1", 0, staging, 3))) { }
        var ids = ReadTopic("eo").Select(r => Text(r.Message.Value)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $$"""{"id":{{i}},"v":"v{{i}}"}""").Order(StringComparer.Ordinal).ToList(), ids);
    }
}
