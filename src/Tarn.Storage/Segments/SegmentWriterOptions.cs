namespace Tarn.Storage.Segments;

public sealed class SegmentWriterOptions
{
    public static readonly SegmentWriterOptions Default = new();

    /// <summary>Rows per row group (1..<see cref="SegmentFormat.MaxRowGroupRows"/>).</summary>
    public int RowGroupRows { get; init; } = 65536;

    /// <summary>Try LZ4 on each chunk; kept only when it saves at least 1/8 of the bytes.</summary>
    public bool Compress { get; init; } = true;
}
