using System.Text.Json;
using Confluent.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// Fetched records of JSON topics carry a stable timestamp: the event-time column when the table has one (filled from
/// the produced record's timestamp when the value does not set it), else the commit time of the row.
/// </summary>
public sealed class KafkaFetchTimestampTests
{
    private static List<ConsumeResult<Ignore, string>> ConsumeAll(KafkaFixture fx, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = "unused", EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var seen = new List<ConsumeResult<Ignore, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < expected && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is not null && !cr.IsPartitionEOF) seen.Add(cr);
        }
        Assert.Equal(expected, seen.Count);
        return seen;
    }

    [Fact]
    public async Task Rows_of_a_json_topic_without_event_time_carry_their_commit_time_on_every_fetch()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE j (id BIGINT, v STRING) WITH ('bucket' = '1')");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await fx.Database.ExecuteAsync("INSERT INTO j VALUES (1, 'a'), (2, 'b')");
        var between = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= between) await Task.Delay(5); // the next commit is strictly later
        await fx.Database.ExecuteAsync("INSERT INTO j VALUES (3, 'c')");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var first = ConsumeAll(fx, "j", 3).Select(cr => cr.Message.Timestamp).ToList();
        var second = ConsumeAll(fx, "j", 3).Select(cr => cr.Message.Timestamp).ToList();
        Assert.Equal(first.Select(t => t.UnixTimestampMs), second.Select(t => t.UnixTimestampMs)); // stable across fetches
        Assert.All(first, t => Assert.Equal(TimestampType.CreateTime, t.Type));
        Assert.Equal(first[0].UnixTimestampMs, first[1].UnixTimestampMs); // one commit, one time
        Assert.InRange(first[0].UnixTimestampMs, before, between);
        Assert.InRange(first[2].UnixTimestampMs, between + 1, after);
    }

    [Fact]
    public async Task The_event_time_column_takes_the_record_timestamp_and_gives_it_back()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE ev (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('bucket' = '1')");
        var explicitTs = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).ToUnixTimeMilliseconds();
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fx.Bootstrap }).Build())
        {
            await producer.ProduceAsync("ev", new Message<Null, string> { Value = JsonSerializer.Serialize(new { id = 1 }), Timestamp = new Timestamp(1_700_000_000_123, TimestampType.CreateTime) });
            await producer.ProduceAsync("ev", new Message<Null, string> { Value = "{\"id\":2,\"ts\":\"2024-01-02 03:04:05.678\"}", Timestamp = new Timestamp(1_700_000_000_456, TimestampType.CreateTime) });
        }
        var rows = await fx.Database.ExecuteAsync("SELECT id, CAST(ts AS STRING) FROM ev ORDER BY id");
        Assert.Equal([(1L, "2023-11-14 22:13:20.123"), (2L, "2024-01-02 03:04:05.678")], rows.Rows.Select(r => (Convert.ToInt64(r[0]), (string)r[1]!)).ToArray());
        await fx.Database.ExecuteAsync("INSERT INTO ev VALUES (3, NULL)"); // no event time: the commit time
        var seen = ConsumeAll(fx, "ev", 3);
        Assert.Equal(1_700_000_000_123, seen[0].Message.Timestamp.UnixTimestampMs);
        Assert.Equal(explicitTs, seen[1].Message.Timestamp.UnixTimestampMs);
        Assert.InRange(seen[2].Message.Timestamp.UnixTimestampMs, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(seen.Select(cr => cr.Message.Timestamp.UnixTimestampMs), ConsumeAll(fx, "ev", 3).Select(cr => cr.Message.Timestamp.UnixTimestampMs));
    }
}
