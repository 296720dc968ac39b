namespace Tarn.Storage.Tables;

/// <summary>
/// A segment file as the manifest lists it. Row <c>i</c> of the file has absolute offset
/// <c>BaseOffset + $offset[i]</c> in <see cref="Bucket"/>; offsets of one file are increasing.
/// </summary>
public sealed record SegmentEntry(
    long SegmentId,
    int Bucket,
    PartitionKey Partition,
    long RowCount,
    long BaseOffset,
    long MinOffset,
    long MaxOffset,
    long FileLength)
{
    /// <summary>Path of the file relative to the table's data directory.</summary>
    public string RelativePath(IReadOnlyList<string> partitionColumnNames)
    {
        var dir = Partition.ToPath(partitionColumnNames);
        var name = $"b{Bucket}/{SegmentId:D12}.seg";
        return dir.Length == 0 ? name : dir + "/" + name;
    }
}

/// <summary>
/// Rows committed inline in the commit log and not yet flushed to a segment file. <see cref="Image"/> is a complete
/// segment image (storage-spec/03-segment-file.md) whose <c>$offset</c> values are relative to <see cref="BaseOffset"/>.
/// </summary>
public sealed record InlinePart(int Bucket, long BaseOffset, long RowCount, ReadOnlyMemory<byte> Image, long Seq)
{
    public long EndOffset => BaseOffset + RowCount;
}

/// <summary>A committed version of a table's contents, the unit of batch reads and time travel.</summary>
public sealed record SnapshotInfo(long SnapshotId, long Seq, long TimestampMicros, long[] EndOffsets, long RowsAdded);
