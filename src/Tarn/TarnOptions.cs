using Tarn.Storage.Engine;

namespace Tarn;

/// <summary>Options for opening a database.</summary>
public sealed record TarnOptions
{
    /// <summary>Storage engine settings (file system, flush and compaction thresholds, retention).</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>Worker threads for one query; 0 = number of cores.</summary>
    public int Parallelism { get; init; }

    /// <summary>
    /// Memory one query's hash tables and sorts may hold; beyond it sorts, hash joins and hash aggregations spill to
    /// <c>&lt;database&gt;/tmp</c>, other operators fail with SQLSTATE 53200. Session option <c>'query.memory-limit'</c>
    /// overrides it. Default: a quarter of the memory available to the process.
    /// </summary>
    public long QueryMemoryLimitBytes { get; init; } = DefaultQueryMemoryLimit();

    /// <summary>Statements running longer are canceled with SQLSTATE 57014; zero = no limit. Session option <c>'query.timeout'</c> overrides it.</summary>
    public TimeSpan QueryTimeout { get; init; }

    private static long DefaultQueryMemoryLimit()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? Math.Max(available / 4, 64L << 20) : 4L << 30;
    }
}
