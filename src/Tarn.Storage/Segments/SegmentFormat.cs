namespace Tarn.Storage.Segments;

/// <summary>
/// The byte layout constants of a segment file, mirroring the tables of storage-spec/03-segment-file.md.
/// All multi-byte integers are little-endian.
/// </summary>
public static class SegmentFormat
{
    /// <summary>"TSEG": first four bytes of the header and bytes 16..19 of the trailer.</summary>
    public static ReadOnlySpan<byte> Magic => "TSEG"u8;

    /// <summary>
    /// The newest major version this reader reads (it reads every older one); readers refuse files with a larger major
    /// version and read any minor version of a major they know. Writers write <see cref="BaseMajorVersion"/> unless the
    /// schema needs a newer one (<see cref="MajorVersionFor"/>).
    /// </summary>
    public const ushort MajorVersion = ArrayMajorVersion;

    /// <summary>Version 1: every file without ARRAY columns is written with it, byte for byte as before arrays existed.</summary>
    public const ushort BaseMajorVersion = 1;

    /// <summary>Version 2 adds column kind ARRAY (20) with its element type in the footer (storage-spec/03-segment-file.md §3.5).</summary>
    public const ushort ArrayMajorVersion = 2;

    /// <summary>The major version a writer uses for <paramref name="schema"/>: the oldest that can describe it [SEG-021].</summary>
    public static ushort MajorVersionFor(Tarn.Types.Schema schema)
    {
        foreach (var c in schema.Columns)
            if (c.Type.Kind == Tarn.Types.TypeKind.Array) return ArrayMajorVersion;
        return BaseMajorVersion;
    }

    /// <summary>Minor versions only add things older readers may skip (footer extension bytes).</summary>
    public const ushort MinorVersion = 0;

    // Header: magic(4) major(2) minor(2) flags(4) crc(4)
    public const int HeaderSize = 16;
    internal const int HeaderMajorOffset = 4;
    internal const int HeaderMinorOffset = 6;
    internal const int HeaderFlagsOffset = 8;
    internal const int HeaderCrcOffset = 12;

    // Trailer: footer offset(8) footer length(4) major(2) minor(2) magic(4) crc(4)
    public const int TrailerSize = 24;
    internal const int TrailerFooterOffset = 0;
    internal const int TrailerFooterLength = 8;
    internal const int TrailerMajorOffset = 12;
    internal const int TrailerMinorOffset = 14;
    internal const int TrailerMagicOffset = 16;
    internal const int TrailerCrcOffset = 20;

    // Chunk header: crc(4) encoding(1) flags(1) reserved(2) decoded payload length(4)
    public const int ChunkHeaderSize = 12;
    internal const int ChunkEncodingOffset = 4;
    internal const int ChunkFlagsOffset = 5;
    internal const int ChunkReservedOffset = 6;
    internal const int ChunkDecodedLengthOffset = 8;
    internal const byte ChunkFlagCompressed = 1;

    /// <summary>Footer CRC (the footer's last four bytes).</summary>
    public const int FooterCrcSize = 4;

    /// <summary>Largest row group a reader accepts (and a writer produces).</summary>
    public const int MaxRowGroupRows = 1 << 20;

    /// <summary>A writer closes a row group early once a string column holds this many bytes.</summary>
    public const int MaxRowGroupBinaryBytes = 256 << 20;

    /// <summary>LZ4 cannot expand more than 255:1; a larger claimed decoded length is corrupt.</summary>
    internal const int MaxLz4Ratio = 255;

    /// <summary>Smallest possible file: header, a footer of an empty segment, trailer.</summary>
    public const int MinFileSize = HeaderSize + 3 + FooterCrcSize + TrailerSize;

    // Stats flags
    internal const byte StatsHasMin = 1;
    internal const byte StatsHasMax = 2;
    internal const byte StatsHasNaN = 4;
    internal const byte StatsMinTruncated = 8;
    internal const byte StatsDistinctExact = 16;
    internal const byte StatsMaxEqualsMin = 32;
    internal const byte StatsKnownFlags = 63;

    internal const byte ColumnFlagNullable = 1;
}
