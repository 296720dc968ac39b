using Tarn.Storage.Engine;

namespace Tarn;

/// <summary>Options for opening a database.</summary>
public sealed record TarnOptions
{
    /// <summary>Storage engine settings (file system, flush and compaction thresholds, retention).</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>Worker threads for one query; 0 = number of cores.</summary>
    public int Parallelism { get; init; }

    /// <summary>Memory one query's hash tables and sorts may use before failing with SQLSTATE 53200.</summary>
    public long QueryMemoryLimitBytes { get; init; } = 4L << 30;
}
