using System.Text.Json;
using Confluent.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// librdkafka batches compressed with gzip, snappy, lz4 and zstd are inflated (CRC checked) and stored as rows. (librdkafka
/// enables its LZ4 feature only when the broker advertises FindCoordinator, so until that API is served the lz4 case
/// falls back to uncompressed batches; the LZ4 frame decoder itself is covered by RecordDecompressorTests and kafka-python.)
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
        var result = await fx.Database.ExecuteAsync("SELECT count(*), sum(id) FROM logs");
        var row = result.Rows.Single();
        Assert.Equal((long)n, Convert.ToInt64(row[0]));
        Assert.Equal(n * (n - 1L) / 2, Convert.ToInt64(row[1]));
    }
}
