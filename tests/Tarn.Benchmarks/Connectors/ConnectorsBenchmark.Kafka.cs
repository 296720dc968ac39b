using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Tarn.Benchmarks.Connectors;

/// <summary>
/// The kafka sink on librdkafka's IN-PROCESS mock cluster (<c>test.mock.num.brokers</c>; no network, no disk, so the
/// figures show the client side's cost only) against a plain Confluent.Kafka producer producing the same JSON bytes
/// and then flushing.
/// </summary>
internal static partial class ConnectorsBenchmark
{
    private static async Task<List<Line>> Kafka(TarnDatabase db, long rows)
    {
        var config = new AdminClientConfig { BootstrapServers = "mock" };
        config.Set("test.mock.num.brokers", "1");
        using var owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var broker = owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        var servers = $"{broker.Host}:{broker.Port}";
        var lines = new List<Line>();
        // The exactly-once sink reads its epoch marker (a group offset of the topic) when the job starts, which fails
        // on a topic that does not exist yet; a producer's metadata request auto-creates the topics (4 partitions).
        using (var creator = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = servers }).SetLogHandler((_, _) => { }).Build())
        using (var admin = new DependentAdminClientBuilder(creator.Handle).Build())
            foreach (var topic in new[] { "alo", "eo", "plain" })
                Check(admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count > 0, $"kafka-sink: topic {topic} created");

        db.Execute($"CREATE TABLE k_alo ({Columns}) WITH ('connector' = 'kafka', 'topic' = 'alo', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json', 'sink.delivery-guarantee' = 'at-least-once')");
        var tarnBatch = Seconds(() => db.Execute("INSERT INTO k_alo SELECT * FROM src"));
        Check(TopicRecords(owner, "alo") == rows, "kafka-sink: the batch INSERT's records in the topic");
        Console.WriteLine($"kafka-sink: Tarn's record e.g. {FirstRecord(servers, "alo")}");

        db.Execute($"CREATE TABLE k_eo ({Columns}) WITH ('connector' = 'kafka', 'topic' = 'eo', 'properties.bootstrap.servers' = '{servers}', 'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = 'bench')");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        var clock = Stopwatch.StartNew();
        var id = (string)db.Execute("INSERT INTO k_eo SELECT * FROM src").GetValue(0, 0)!;
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        await db.WaitForJobsAsync();
        var tarnJob = clock.Elapsed.TotalSeconds;
        // the mock cluster's high watermarks count transaction control records too, so check at least the rows
        var eo = TopicRecords(owner, "eo");
        if (eo < rows)
            foreach (var job in db.Execute("SHOW JOBS").Rows) Console.WriteLine("job: " + string.Join(" | ", job));
        Check(eo >= rows, $"kafka-sink: the job's records in the topic ({eo:N0} of {rows:N0})");
        db.Execute($"STOP JOB '{id}'");

        // The baseline produces what Tarn's json format writes for these rows; the bytes are made before the clock starts.
        var values = new byte[rows][];
        for (long i = 0; i < rows; i++)
            values[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"id\":{i},\"name\":\"{NameOf(i)}\",\"amount\":{AmountOf(i):R},\"ts\":\"{TsOf(i):yyyy-MM-dd HH:mm:ss.fff}\"}}"));
        Console.WriteLine($"kafka-sink: baseline record e.g. {Encoding.UTF8.GetString(values[Math.Min(1, rows - 1)])}");
        var baseline = Seconds(() =>
        {
            using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = servers, EnableIdempotence = true })
                .SetLogHandler((_, _) => { }).Build();
            for (long i = 0; i < rows; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce("plain", new Message<Null, byte[]> { Value = values[i] });
                        break;
                    }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }
            producer.Flush();
        });
        Check(TopicRecords(owner, "plain") == rows, "kafka-sink: the baseline's records in the topic");
        const string what = "Confluent.Kafka producer, same JSON bytes, then Flush";
        lines.Add(new Line("kafka-sink batch INSERT, json, at-least-once (in-process mock cluster)", "records/s", rows / tarnBatch, rows / baseline, what));
        lines.Add(new Line("kafka-sink streaming job, json, exactly-once (in-process mock cluster)", "records/s", rows / tarnJob, rows / baseline, what));
        return lines;
    }

    private static string FirstRecord(string servers, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = servers, GroupId = "bench-" + Guid.NewGuid().ToString("N") })
            .SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var record = consumer.Consume(TimeSpan.FromSeconds(10));
        return record is null ? "(none read)" : Encoding.UTF8.GetString(record.Message.Value);
    }

    /// <summary>The sum of a topic's partitions' high watermarks.</summary>
    private static long TopicRecords(IAdminClient owner, string topic)
    {
        var metadata = owner.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var servers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = servers, GroupId = "bench-" + Guid.NewGuid().ToString("N") })
            .SetLogHandler((_, _) => { }).Build();
        long total = 0;
        foreach (var partition in metadata.Topics.Single().Partitions)
            total += consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition.PartitionId), TimeSpan.FromSeconds(10)).High.Value;
        return total;
    }
}
