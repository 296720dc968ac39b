namespace Tarn.Server.Kafka;

/// <summary>
/// How many decompressed bytes one Produce request may still inflate to, across all its compressed batches. The bound is
/// the listener's MaxMessageBytes: a compressed request is allowed to grow to what an uncompressed one could carry,
/// never more, so a decompression bomb costs at most that much memory before its partition is refused.
/// </summary>
internal sealed class DecompressionBudget(long bytes)
{
    public long Remaining { get; private set; } = Math.Max(0, bytes);

    /// <summary>Where each cleanly inflated batch is counted by codec (so tests and /metrics see what clients really send).</summary>
    public Hosting.ServerMetrics? Metrics { get; init; }

    /// <summary>Charges <paramref name="bytes"/>; throws <see cref="DecompressionLimitException"/> when they do not fit.</summary>
    public void Take(long bytes)
    {
        if (bytes < 0 || bytes > Remaining) throw new DecompressionLimitException();
        Remaining -= bytes;
    }
}

/// <summary>A batch inflated past its <see cref="DecompressionBudget"/> (answered RECORD_LIST_TOO_LARGE).</summary>
internal sealed class DecompressionLimitException() : Exception("decompressed records exceed the request's limit");
