using System.Globalization;
using Confluent.Kafka;
using Tarn.Storage.Tables;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Produce to keyed (primary key or bucket key) tables answers the real base offset, as for unkeyed topics.</summary>
public sealed class KafkaKeyedOffsetTests
{
    private static ProducerConfig Config(KafkaFixture fx, bool idempotent) =>
        new() { BootstrapServers = fx.Bootstrap, EnableIdempotence = idempotent, LingerMs = 0 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delivery_reports_of_a_keyed_topic_carry_the_offset_of_the_records_first_changelog_row(bool idempotent)
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE users (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '1')");
        var offsets = new List<long>();
        using (var producer = new ProducerBuilder<string, string?>(Config(fx, idempotent)).Build())
        {
            foreach (var (key, value) in new[] { ("1", "{\"name\":\"a\"}"), ("2", "{\"name\":\"b\"}"), ("3", "{\"name\":\"c\"}"), ("1", "{\"name\":\"a2\"}"), ("2", null), ("4", "{\"name\":\"d\"}") })
            {
                var report = await producer.ProduceAsync("users", new Message<string, string?> { Key = key, Value = value });
                Assert.Equal(PersistenceStatus.Persisted, report.Status);
                offsets.Add(report.Offset.Value);
            }
        }
        // +I 0, +I 1, +I 2, the update of key 1 stores -U 3 and +U 4, the delete of key 2 -D 5, +I 6
        Assert.Equal([0L, 1, 2, 3, 5, 6], offsets);
        var rows = await fx.Database.ExecuteAsync("SELECT count(*) FROM users");
        Assert.Equal(3L, Convert.ToInt64(rows.Rows.Single()[0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Records_routed_to_other_buckets_report_the_offset_in_the_bucket_they_went_to()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE kv (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '4')");
        await fx.Database.ExecuteAsync("CREATE TABLE routed (id BIGINT, v STRING) WITH ('bucket' = '4', 'bucket-key' = 'id')");
        foreach (var topic in new[] { "kv", "routed" })
        {
            var expected = new long[4];
            using var producer = new ProducerBuilder<string, string>(Config(fx, idempotent: true)).Build();
            for (var id = 0; id < 24; id++)
            {
                var text = id.ToString(CultureInfo.InvariantCulture);
                var bucket = RowRouter.BucketOf([text], 4);
                // the client picks its own partition; Tarn stores the row in the bucket the key hashes to
                var report = await producer.ProduceAsync(new TopicPartition(topic, id % 4), new Message<string, string> { Key = text, Value = $"{{\"id\":{id},\"v\":\"x\"}}" });
                Assert.Equal(expected[bucket]++, report.Offset.Value);
            }
            var positions = fx.Database.OpenStream(topic, Tarn.Storage.Scans.StreamStart.Latest).Positions;
            Assert.Equal(expected, positions.ToArray());
        }
    }
}
