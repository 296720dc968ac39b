using System.Text.Json;
using Confluent.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Confluent.Kafka (librdkafka 2.16) against the Kafka endpoint: a topic is a native table.</summary>
public sealed class KafkaClientTests
{
    [Fact]
    public async Task Produced_json_records_become_rows_visible_to_sql()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT, name STRING, amount DOUBLE) WITH ('bucket' = '1')");
        var config = new ProducerConfig
        {
            BootstrapServers = fx.Bootstrap,
            Acks = Acks.All,
            EnableIdempotence = false,
            LingerMs = 5,
            MessageTimeoutMs = 20000,
        };
        using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            const int n = 50;
            var deliveries = new List<Task<DeliveryResult<Null, string>>>();
            for (var i = 0; i < n; i++)
                deliveries.Add(producer.ProduceAsync("orders", new Message<Null, string> { Value = JsonSerializer.Serialize(new { id = i, name = "n" + i, amount = i * 1.5 }) }));
            foreach (var d in deliveries) Assert.Equal(PersistenceStatus.Persisted, (await d).Status);
        }
        var result = await fx.Database.ExecuteAsync("SELECT count(*), sum(id), max(name), sum(amount) FROM orders");
        var row = result.Rows.Single();
        Assert.Equal(50L, Convert.ToInt64(row[0]));
        Assert.Equal(1225L, Convert.ToInt64(row[1]));
        Assert.Equal("n9", row[2]);
        Assert.Equal(1225 * 1.5, Convert.ToDouble(row[3]), 6);
    }

    [Fact]
    public async Task Rows_inserted_with_sql_are_consumed_from_the_beginning()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE events (id BIGINT, tag STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        await fx.Database.ExecuteAsync("INSERT INTO events VALUES (4, 'd')");
        var config = new ConsumerConfig
        {
            BootstrapServers = fx.Bootstrap,
            GroupId = "unused",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset("events", 0, Offset.Beginning));
        var seen = new List<(long Offset, long Id, string Tag)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 4 && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null || cr.IsPartitionEOF) continue;
            using var doc = JsonDocument.Parse(cr.Message.Value);
            seen.Add((cr.Offset.Value, doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("tag").GetString()!));
        }
        Assert.Equal([(0L, 1L, "a"), (1L, 2L, "b"), (2L, 3L, "c"), (3L, 4L, "d")], seen);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("events", 0), TimeSpan.FromSeconds(10));
        Assert.Equal(0, watermarks.Low.Value);
        Assert.Equal(4, watermarks.High.Value);
    }
}
