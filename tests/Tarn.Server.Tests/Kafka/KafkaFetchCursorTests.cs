using System.Text.Json;
using Confluent.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// A connection keeps its place per partition between fetches (FetchCursor): small fetches that continue one another,
/// a seek back, and rows committed after the consumer caught up must all come back in offset order, none twice.
/// </summary>
public sealed class KafkaFetchCursorTests
{
    [Fact]
    public async Task Small_fetches_continue_seek_back_and_follow_new_commits()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE seq (id BIGINT) WITH ('bucket' = '1')");
        for (var s = 0; s < 3; s++) // three commits: three stored batches
            await fx.Database.ExecuteAsync("INSERT INTO seq VALUES " + string.Join(", ", Enumerable.Range(s * 100, 100).Select(i => $"({i})")));
        var config = new ConsumerConfig
        {
            BootstrapServers = fx.Bootstrap,
            GroupId = "unused",
            EnableAutoCommit = false,
            MaxPartitionFetchBytes = 512, // a dozen records per fetch: many fetches continue a cursor
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset("seq", 0, Offset.Beginning));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => ((long)i, (long)i)).ToList(), Read(consumer, 300));

        consumer.Seek(new TopicPartitionOffset("seq", 0, 10));
        Assert.Equal(Enumerable.Range(10, 20).Select(i => ((long)i, (long)i)).ToList(), Read(consumer, 20));

        consumer.Seek(new TopicPartitionOffset("seq", 0, 295));
        Assert.Equal(Enumerable.Range(295, 5).Select(i => ((long)i, (long)i)).ToList(), Read(consumer, 5));
        await fx.Database.ExecuteAsync("INSERT INTO seq VALUES (300), (301), (302)");
        Assert.Equal([(300L, 300L), (301L, 301L), (302L, 302L)], Read(consumer, 3));
    }

    private static List<(long Offset, long Id)> Read(IConsumer<Ignore, string> consumer, int n)
    {
        var seen = new List<(long, long)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < n && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null || cr.IsPartitionEOF) continue;
            using var doc = JsonDocument.Parse(cr.Message.Value);
            seen.Add((cr.Offset.Value, doc.RootElement.GetProperty("id").GetInt64()));
        }
        return seen;
    }
}
