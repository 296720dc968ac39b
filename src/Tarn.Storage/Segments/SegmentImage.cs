namespace Tarn.Storage.Segments;

/// <summary>A complete segment (header, chunks, footer, trailer) in memory, ready to write to a file or a log record.</summary>
public sealed class SegmentImage
{
    internal SegmentImage(ReadOnlyMemory<byte> bytes, SegmentFooter footer)
    {
        Bytes = bytes;
        Footer = footer;
    }

    public ReadOnlyMemory<byte> Bytes { get; }
    public SegmentFooter Footer { get; }
}
