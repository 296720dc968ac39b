using Tarn.Types;

namespace Tarn.Storage.Segments;

/// <summary>The parsed footer of a segment: schema, row groups with their chunks and statistics.</summary>
public sealed class SegmentFooter
{
    private readonly IReadOnlyList<ColumnStats>? _segmentStats;

    internal SegmentFooter(Schema schema, long rowCount, IReadOnlyList<RowGroupInfo> rowGroups, IReadOnlyList<ColumnStats>? segmentStats)
    {
        Schema = schema;
        RowCount = rowCount;
        RowGroups = rowGroups;
        _segmentStats = segmentStats;
    }

    public Schema Schema { get; }
    public long RowCount { get; }
    public IReadOnlyList<RowGroupInfo> RowGroups { get; }

    /// <summary>Statistics of a column over the whole segment (column = index in <see cref="Schema"/>).</summary>
    public ColumnStats ColumnStats(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Schema.Count);
        if (RowGroups.Count == 0) return Segments.ColumnStats.Empty;
        if (RowGroups.Count == 1) return RowGroups[0].Chunks[column].Stats;
        return _segmentStats![column];
    }
}

public sealed class RowGroupInfo
{
    internal RowGroupInfo(int rowCount, long firstRow, IReadOnlyList<ChunkInfo> chunks)
    {
        RowCount = rowCount;
        FirstRow = firstRow;
        Chunks = chunks;
    }

    public int RowCount { get; }

    /// <summary>Row number (0-based, within the segment) of the row group's first row.</summary>
    public long FirstRow { get; }

    /// <summary>One chunk per column, in schema order.</summary>
    public IReadOnlyList<ChunkInfo> Chunks { get; }
}

public sealed class ChunkInfo
{
    internal ChunkInfo(long offset, int length, ChunkEncoding encoding, bool compressed, ColumnStats stats)
    {
        Offset = offset;
        Length = length;
        Encoding = encoding;
        Compressed = compressed;
        Stats = stats;
    }

    /// <summary>File offset of the chunk header.</summary>
    public long Offset { get; }

    /// <summary>Bytes of the chunk, header included.</summary>
    public int Length { get; }

    public ChunkEncoding Encoding { get; }
    public bool Compressed { get; }
    public ColumnStats Stats { get; }
}
