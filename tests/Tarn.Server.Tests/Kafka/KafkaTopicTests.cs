using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CsCheck;

namespace Tarn.Server.Tests.Kafka;

/// <summary>CreateTopics (schemaless topics), keyed tables (upsert, tombstones) and DescribeConfigs with real clients.</summary>
public sealed class KafkaTopicTests
{
    private static IAdminClient Admin(KafkaFixture fx) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fx.Bootstrap }).Build();

    private static List<ConsumeResult<byte[]?, byte[]?>> ConsumeAll(KafkaFixture fx, string topic, int partitions, int expected)
    {
        var config = new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = "unused", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var seen = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < expected && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is not null && !cr.IsPartitionEOF) seen.Add(cr);
        }
        return seen;
    }

    [Fact]
    public async Task Created_topics_return_random_keys_values_and_headers_byte_identical()
    {
        await using var fx = new KafkaFixture();
        using var admin = Admin(fx);
        var topicNo = 0;
        var record = Gen.Select(Gen.Byte.Array[0, 300].Null(), Gen.Byte.Array[0, 2000].Null(), Gen.Byte.Array[0, 20], Gen.Int[0, 2]);
        await Gen.Select(record.List[1, 40], Gen.Int[1, 3]).SampleAsync(async (records, partitions) =>
        {
            var topic = $"bytes{topicNo++}";
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
            using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = fx.Bootstrap, EnableIdempotence = true, LingerMs = 1 }).Build())
            {
                for (var i = 0; i < records.Count; i++)
                {
                    var (key, value, header, _) = records[i];
                    var headers = new Headers { { "h", header }, { "i", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
                    await producer.ProduceAsync(new TopicPartition(topic, i % partitions), new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(1_700_000_000_000 + i, TimestampType.CreateTime) });
                }
            }
            var seen = ConsumeAll(fx, topic, partitions, records.Count);
            Assert.Equal(records.Count, seen.Count);
            foreach (var cr in seen)
            {
                var i = int.Parse(Encoding.ASCII.GetString(cr.Message.Headers.GetLastBytes("i")), System.Globalization.CultureInfo.InvariantCulture);
                var (key, value, header, _) = records[i];
                Assert.Equal(i % partitions, cr.Partition.Value);
                Assert.Equal(key, cr.Message.Key);
                Assert.Equal(value, cr.Message.Value);
                Assert.Equal(header, cr.Message.Headers.GetLastBytes("h"));
                Assert.Equal(1_700_000_000_000 + i, cr.Message.Timestamp.UnixTimestampMs);
            }
        }, iter: 4, threads: 1);
    }

    [Fact]
    public async Task CreateTopics_reports_existing_topics_bad_partition_counts_and_validate_only()
    {
        await using var fx = new KafkaFixture();
        using var admin = Admin(fx);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "dup", NumPartitions = 2, ReplicationFactor = 1 }]);
        var exists = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "dup", NumPartitions = 2, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, exists.Results.Single().Error.Code);
        var tooMany = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "big", NumPartitions = 5000, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.InvalidPartitions, tooMany.Results.Single().Error.Code);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "dry", NumPartitions = 1, ReplicationFactor = 1 }], new CreateTopicsOptions { ValidateOnly = true });
        var tables = await fx.Database.ExecuteAsync("SHOW TABLES");
        Assert.Equal(["dup"], tables.Rows.Select(r => (string)r[0]!).ToArray());
        var metadata = admin.GetMetadata("dup", TimeSpan.FromSeconds(10));
        Assert.Equal(2, metadata.Topics.Single().Partitions.Count);
    }

    [Fact]
    public async Task Keyed_table_upserts_and_tombstones_through_kafka_and_sql_sees_the_latest()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE users (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '1')");
        using (var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = fx.Bootstrap, EnableIdempotence = true }).Build())
        {
            foreach (var (key, value) in new[] { ("1", "{\"name\":\"a\"}"), ("2", "{\"name\":\"b\"}"), ("3", "{\"name\":\"c\"}"), ("1", "{\"name\":\"a2\"}"), ("2", null) })
            {
                var report = await producer.ProduceAsync("users", new Message<string, string?> { Key = key, Value = value });
                Assert.Equal(PersistenceStatus.Persisted, report.Status);
            }
        }
        var rows = await fx.Database.ExecuteAsync("SELECT id, name FROM users ORDER BY id");
        Assert.Equal([(1L, "a2"), (3L, "c")], rows.Rows.Select(r => (Convert.ToInt64(r[0]), (string)r[1]!)).ToArray());

        // the changelog read back: keys from the key column, the delete as a tombstone, no -U rows
        var seen = ConsumeAll(fx, "users", 1, 5);
        var keys = seen.Select(cr => Encoding.UTF8.GetString(cr.Message.Key!)).ToArray();
        Assert.Equal(["1", "2", "3", "1", "2"], keys);
        Assert.Null(seen[^1].Message.Value);
        using var latest = JsonDocument.Parse(seen[3].Message.Value!);
        Assert.Equal("a2", latest.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task DescribeConfigs_answers_topic_and_broker_configs()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE plain (id BIGINT) WITH ('bucket' = '3')");
        await fx.Database.ExecuteAsync("CREATE TABLE keyed (id BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '1')");
        using var admin = Admin(fx);
        var results = await admin.DescribeConfigsAsync([
            new ConfigResource { Type = ResourceType.Topic, Name = "plain" },
            new ConfigResource { Type = ResourceType.Topic, Name = "keyed" },
            new ConfigResource { Type = ResourceType.Broker, Name = "0" },
        ]);
        Assert.Equal("delete", results[0].Entries["cleanup.policy"].Value);
        Assert.Equal("-1", results[0].Entries["retention.ms"].Value);
        Assert.Equal("3", results[0].Entries["tarn.buckets"].Value);
        Assert.Equal("compact", results[1].Entries["cleanup.policy"].Value);
        Assert.Equal("false", results[2].Entries["auto.create.topics.enable"].Value);
        var missing = await Assert.ThrowsAsync<DescribeConfigsException>(() => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "nope" }]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, missing.Results.Single().Error.Code);
    }
}
