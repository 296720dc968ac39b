using Tarn.Storage.IO;

namespace Tarn.Storage.Engine;

/// <summary>Tuning knobs of the storage engine. The defaults suit a desktop or server; tests shrink them.</summary>
public sealed record StorageOptions
{
    public IFileSystem FileSystem { get; init; } = LocalFileSystem.Instance;

    /// <summary>Create the database directory if it does not exist.</summary>
    public bool CreateIfMissing { get; init; } = true;

    public SnapshotRetention SnapshotRetention { get; init; } = SnapshotRetention.Default;

    /// <summary>Rows per row group in segment files (the unit of statistics pruning and parallel scans).</summary>
    public int RowGroupRows { get; init; } = 65536;

    /// <summary>An append of at least this many rows is written straight to segment files instead of inline in the log.</summary>
    public int DirectSegmentRows { get; init; } = 16384;

    /// <summary>Flush a table's inline rows to segment files once they exceed this many bytes...</summary>
    public long FlushInlineBytes { get; init; } = 8L << 20;

    /// <summary>...or this many inline parts...</summary>
    public int FlushInlineParts { get; init; } = 64;

    /// <summary>...or once the oldest has waited this long.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Writers wait (back-pressure) while the database holds more inline bytes than this.</summary>
    public long MaxInlineBytes { get; init; } = 128L << 20;

    /// <summary>Compaction merges small segment files of one partition and bucket into files of about this many rows.</summary>
    public long CompactionTargetRows { get; init; } = 1L << 20;

    /// <summary>Compaction starts once a partition and bucket has this many small files.</summary>
    public int CompactionMinFiles { get; init; } = 4;

    /// <summary>Write a new manifest once this many log bytes were written since the last one.</summary>
    public long CheckpointLogBytes { get; init; } = 32L << 20;

    /// <summary>Run flushing, compaction, checkpoints and file deletion on a background thread.</summary>
    public bool BackgroundWork { get; init; } = true;

    /// <summary>Commit log files are rolled at this size.</summary>
    public long LogRollBytes { get; init; } = 64L << 20;

    /// <summary>Segment readers kept open (file handles and parsed footers).</summary>
    public int OpenSegmentCacheSize { get; init; } = 1024;
}
