using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Asserts which codec a real client's produced batches really carried (the listener counts inflated batches per codec).</summary>
internal static class ReceivedCodecs
{
    public static int Id(string codec) => codec.ToLowerInvariant() switch
    {
        "none" => 0,
        "gzip" => 1,
        "snappy" => 2,
        "lz4" => 3,
        "zstd" => 4,
        _ => throw new ArgumentException(codec),
    };

    /// <summary>Some batches arrived with <paramref name="codec"/> and none with another codec ("none": no compressed batch at all).</summary>
    public static void AssertOnly(ServerMetrics metrics, string codec)
    {
        var expected = Id(codec);
        for (var c = 1; c <= 4; c++)
        {
            var batches = metrics.KafkaCompressedBatches(c);
            if (c == expected) Assert.True(batches > 0, $"no batch arrived compressed with {codec}");
            else Assert.Equal(0, batches);
        }
    }
}
