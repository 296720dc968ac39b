namespace Tarn.Server.Hosting;

public sealed partial class ServerMetrics
{
    /// <summary>Compressed produced batches inflated, by Kafka codec (attributes bits 0-2: 1 gzip, 2 snappy, 3 lz4, 4 zstd).</summary>
    private readonly long[] _compressedBatches = new long[8];

    /// <summary>How many produced record batches arrived compressed with <paramref name="codec"/> (and inflated cleanly).</summary>
    public long KafkaCompressedBatches(int codec) => (uint)codec < 8 ? Interlocked.Read(ref _compressedBatches[codec]) : 0;

    internal void CompressedBatch(int codec)
    {
        if ((uint)codec < 8) Interlocked.Increment(ref _compressedBatches[codec]);
    }
}
