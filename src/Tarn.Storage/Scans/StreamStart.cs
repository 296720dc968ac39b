namespace Tarn.Storage.Scans;

/// <summary>Where a streaming reader begins (Kafka's auto.offset.reset and Paimon's scan.mode, in one type).</summary>
public abstract record StreamStart
{
    /// <summary>Every row ever committed.</summary>
    public static readonly StreamStart Earliest = new EarliestStart();

    /// <summary>Only rows committed after the reader opens.</summary>
    public static readonly StreamStart Latest = new LatestStart();

    public static StreamStart AtOffsets(params long[] offsets) => new OffsetsStart(offsets);

    /// <summary>Rows committed at or after this time (UTC microseconds since the epoch).</summary>
    public static StreamStart AtTimestamp(long micros) => new TimestampStart(micros);

    /// <summary>Rows of this snapshot and every later one.</summary>
    public static StreamStart FromSnapshot(long snapshotId) => new SnapshotStart(snapshotId);

    /// <summary>Where the named consumer last committed (Kafka's group offsets), or <paramref name="fallback"/> if it never did.</summary>
    public static StreamStart ForConsumer(string name, StreamStart? fallback = null) => new ConsumerStart(name, fallback ?? Earliest);

    public sealed record EarliestStart : StreamStart;
    public sealed record ConsumerStart(string Name, StreamStart Fallback) : StreamStart;
    public sealed record LatestStart : StreamStart;
    public sealed record OffsetsStart(long[] Offsets) : StreamStart;
    public sealed record TimestampStart(long Micros) : StreamStart;
    public sealed record SnapshotStart(long SnapshotId) : StreamStart;
}
