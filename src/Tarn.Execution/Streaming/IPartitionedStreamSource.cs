namespace Tarn.Execution.Streaming;

/// <summary>
/// A stream source whose input is split into partitions ordered independently of each other (Kafka's partitions):
/// every batch <see cref="IStreamSource.Poll"/> returns holds rows of ONE partition, and <see cref="CurrentPartition"/>
/// tells which. A watermark assigner fed by such a source tracks event time per partition and emits the minimum over
/// the partitions (Flink's per-partition watermarks), so rows of a partition that lags behind the others are not late
/// merely because another partition's records were read first.
/// </summary>
public interface IPartitionedStreamSource : IStreamSource
{
    /// <summary>The dense index (0, 1, ...) of the partition of the batch the last <see cref="IStreamSource.Poll"/> returned.</summary>
    int CurrentPartition { get; }

    /// <summary>
    /// How many partitions the source reads (indexes 0 .. count - 1), known once it started reading; a partition
    /// without rows yet holds the watermark back until it turns idle (<c>table.exec.source.idle-timeout</c>), as in Flink.
    /// </summary>
    int PartitionCount { get; }
}
