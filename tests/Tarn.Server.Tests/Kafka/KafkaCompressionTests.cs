using System.Text.Json;
using Confluent.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// librdkafka batches compressed with gzip, snappy, lz4 and zstd are inflated (CRC checked) and stored as rows; the listener's
/// per-codec counter proves the batches really arrived with that codec (librdkafka silently falls back to uncompressed
/// batches when the broker's advertised APIs do not enable a codec, e.g. LZ4 without FindCoordinator).
/// </summary>
public sealed class KafkaCompressionTests
{
    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Compressed_batches_are_stored(CompressionType codec)
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE logs (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        var config = new ProducerConfig
        {
            BootstrapServers = fx.Bootstrap,
            Acks = Acks.All,
            CompressionType = codec,
            LingerMs = 20,
            MessageTimeoutMs = 20000,
        };
        const int n = 200;
        using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            for (var i = 0; i < n; i++)
                producer.Produce("logs", new Message<Null, string> { Value = JsonSerializer.Serialize(new { id = i, msg = "repeated text " + (i % 7) }) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        }
        ReceivedCodecs.AssertOnly(fx.Listener.Metrics, codec.ToString());
        var result = await fx.Database.ExecuteAsync("SELECT count(*), sum(id) FROM logs");
        var row = result.Rows.Single();
        Assert.Equal((long)n, Convert.ToInt64(row[0]));
        Assert.Equal(n * (n - 1L) / 2, Convert.ToInt64(row[1]));
    }
}
