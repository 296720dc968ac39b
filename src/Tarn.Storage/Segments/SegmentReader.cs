using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using Tarn.Checksums;
using Tarn.Storage.Encodings;
using Tarn.Vectors;

namespace Tarn.Storage.Segments;

/// <summary>
/// Reads a segment (storage-spec/03-segment-file.md). <see cref="Open"/> verifies header, trailer and footer;
/// <see cref="ReadColumn(int, int)"/> verifies the chunk it reads. Safe for concurrent <see cref="ReadColumn(int, int)"/> calls.
/// Owns the source: disposing the reader (or a failed <see cref="Open"/>) disposes it.
/// </summary>
public sealed class SegmentReader : IDisposable
{
    private readonly ISegmentSource _source;

    private SegmentReader(ISegmentSource source, SegmentFooter footer)
    {
        _source = source;
        Footer = footer;
    }

    public SegmentFooter Footer { get; }

    /// <summary>Whether the segment is an in-memory image (inline rows) rather than a file.</summary>
    internal bool IsInMemory => _source is MemorySegmentSource;

    /// <summary>Name of the source (file path), as errors report it.</summary>
    public string Name => _source.Name;

    public static SegmentReader Open(ISegmentSource source)
    {
        try
        {
            return new SegmentReader(source, ReadFooter(source));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static SegmentFooter ReadFooter(ISegmentSource source)
    {
        var name = source.Name;
        var length = source.Length;
        if (length < SegmentFormat.MinFileSize)
            ThrowHelper.Corrupt(name, $"segment is {length} bytes, shorter than the smallest possible segment ({SegmentFormat.MinFileSize} bytes)");
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        source.Read(0, header);
        if (!header[..4].SequenceEqual(SegmentFormat.Magic)) ThrowHelper.Corrupt(name, "segment header magic is not 'TSEG'");
        var major = BinaryPrimitives.ReadUInt16LittleEndian(header[SegmentFormat.HeaderMajorOffset..]);
        var minor = BinaryPrimitives.ReadUInt16LittleEndian(header[SegmentFormat.HeaderMinorOffset..]);
        // The version decides how to read everything else, the header checksum included, so it is checked first.
        if (major > SegmentFormat.MajorVersion)
        {
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"segment '{name}' has format version {major}.{minor}, newer than this version of Tarn reads ({SegmentFormat.MajorVersion}.{SegmentFormat.MinorVersion}); upgrade Tarn to read it")
            { FilePath = name };
        }
        if (major == 0) ThrowHelper.Corrupt(name, "segment header has format version 0");
        CheckCrc(name, "segment header", header[..SegmentFormat.HeaderCrcOffset], header[SegmentFormat.HeaderCrcOffset..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[SegmentFormat.HeaderFlagsOffset..]) != 0)
            ThrowHelper.Corrupt(name, "segment header flags are not zero");

        Span<byte> trailer = stackalloc byte[SegmentFormat.TrailerSize];
        source.Read(length - SegmentFormat.TrailerSize, trailer);
        CheckCrc(name, "segment trailer", trailer[..SegmentFormat.TrailerCrcOffset], trailer[SegmentFormat.TrailerCrcOffset..]);
        if (!trailer.Slice(SegmentFormat.TrailerMagicOffset, 4).SequenceEqual(SegmentFormat.Magic))
            ThrowHelper.Corrupt(name, "segment trailer magic is not 'TSEG'");
        if (BinaryPrimitives.ReadUInt16LittleEndian(trailer[SegmentFormat.TrailerMajorOffset..]) != major
            || BinaryPrimitives.ReadUInt16LittleEndian(trailer[SegmentFormat.TrailerMinorOffset..]) != minor)
            ThrowHelper.Corrupt(name, "trailer and header disagree on the format version");
        var footerOffset = BinaryPrimitives.ReadUInt64LittleEndian(trailer[SegmentFormat.TrailerFooterOffset..]);
        var footerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[SegmentFormat.TrailerFooterLength..]);
        if (footerLength < SegmentFormat.FooterCrcSize + 3 || footerOffset < SegmentFormat.HeaderSize
            || footerOffset + footerLength + SegmentFormat.TrailerSize != (ulong)length)
            ThrowHelper.Corrupt(name, $"footer at {footerOffset} of {footerLength} bytes does not end where the trailer of a {length}-byte segment starts");

        var footer = ArrayPool<byte>.Shared.Rent((int)footerLength);
        try
        {
            var span = footer.AsSpan(0, (int)footerLength);
            source.Read((long)footerOffset, span);
            var body = span[..^SegmentFormat.FooterCrcSize];
            CheckCrc(name, "segment footer", body, span[^SegmentFormat.FooterCrcSize..]);
            return FooterCodec.Read(body, name, (long)footerOffset, major, minor);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(footer);
        }
    }

    private static void CheckCrc(string name, string what, ReadOnlySpan<byte> covered, ReadOnlySpan<byte> stored)
    {
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(stored);
        var actual = Crc32C.Compute(covered);
        if (expected != actual) ThrowHelper.Corrupt(name, $"{what} checksum mismatch (stored 0x{expected:X8}, computed 0x{actual:X8})");
    }

    /// <summary>
    /// Decodes one chunk: column = index in <see cref="SegmentFooter.Schema"/>. Strings stored with a dictionary come
    /// back as a <see cref="DictionaryVector"/>; everything else as a flat vector.
    /// </summary>
    public ColumnVector ReadColumn(int rowGroup, int column) => ReadColumn(rowGroup, column, null);

    /// <summary>
    /// Like <see cref="ReadColumn(int, int)"/>, but decodes into the arrays of <paramref name="reuse"/> (a vector
    /// returned by an earlier read that the caller no longer uses) when they are of the right kind and large
    /// enough. A scan that keeps one vector per column avoids allocating and faulting in fresh memory per chunk,
    /// which costs several times more than decoding. <paramref name="reuse"/> must not be used afterwards.
    /// </summary>
    public ColumnVector ReadColumn(int rowGroup, int column, ColumnVector? reuse)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowGroup);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowGroup, Footer.RowGroups.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Footer.Schema.Count);
        var group = Footer.RowGroups[rowGroup];
        var info = group.Chunks[column];
        var site = new DecodeSite(_source.Name, $"chunk at offset {info.Offset}", rowGroup, column);
        var chunk = ArrayPool<byte>.Shared.Rent(info.Length);
        byte[]? decoded = null;
        try
        {
            var span = chunk.AsSpan(0, info.Length);
            _source.Read(info.Offset, span);
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(span);
            var actual = Crc32C.Compute(span[4..]);
            if (stored != actual) site.Fail($"checksum mismatch (stored 0x{stored:X8}, computed 0x{actual:X8})");
            var encoding = (ChunkEncoding)span[SegmentFormat.ChunkEncodingOffset];
            var flags = span[SegmentFormat.ChunkFlagsOffset];
            if (encoding != info.Encoding) site.Fail($"chunk header says encoding {(int)encoding}, the footer {info.Encoding}");
            if (flags != (info.Compressed ? SegmentFormat.ChunkFlagCompressed : 0)) site.Fail($"chunk flags {flags} disagree with the footer");
            if (BinaryPrimitives.ReadUInt16LittleEndian(span[SegmentFormat.ChunkReservedOffset..]) != 0) site.Fail("reserved chunk header bytes are not zero");
            var decodedLength = BinaryPrimitives.ReadUInt32LittleEndian(span[SegmentFormat.ChunkDecodedLengthOffset..]);
            var body = span[SegmentFormat.ChunkHeaderSize..];
            ReadOnlySpan<byte> payload = body;
            if (info.Compressed)
            {
                // Bound the allocation by what LZ4 can possibly expand to before trusting the stored length.
                if (decodedLength > (ulong)body.Length * SegmentFormat.MaxLz4Ratio + 16 || decodedLength > Array.MaxLength)
                    site.Fail($"decoded length {decodedLength} is impossible for {body.Length} compressed bytes");
                decoded = ArrayPool<byte>.Shared.Rent((int)decodedLength);
                var target = decoded.AsSpan(0, (int)decodedLength);
                int n;
                try
                {
                    n = LZ4Codec.Decode(body, target);
                }
                catch (Exception e) when (e is not TarnException)
                {
                    n = -1;
                }
                if (n != decodedLength) site.Fail($"LZ4 block decodes to {n} bytes, expected {decodedLength}");
                payload = target;
            }
            else if (decodedLength != body.Length)
            {
                site.Fail($"payload length {decodedLength} does not match the {body.Length} stored bytes");
            }
            var vector = ChunkPayloadDecoder.Decode(payload, Footer.Schema[column].Type, group.RowCount, site, out var valuesEncoding, reuse);
            if (valuesEncoding != info.Encoding) site.Fail($"values are encoded as {valuesEncoding}, the footer says {info.Encoding}");
            if (Footer.Schema[column].Type.IsArray) ArrayChunkCheck.Validate(vector, Footer.Schema[column].Type, site);
            return vector;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            if (decoded is not null) ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    /// <summary>All columns of a row group, in schema order.</summary>
    public ColumnBatch ReadRowGroup(int rowGroup)
    {
        var columns = new ColumnVector[Footer.Schema.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ReadColumn(rowGroup, c);
        return new ColumnBatch(columns, Footer.RowGroups[rowGroup].RowCount);
    }

    public void Dispose() => _source.Dispose();
}
