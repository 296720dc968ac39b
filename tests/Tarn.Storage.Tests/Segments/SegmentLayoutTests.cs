using System.Buffers.Binary;
using Tarn.Checksums;
using Tarn.Storage.Segments;
using Tarn.Types;

namespace Tarn.Storage.Tests.Segments;

public class SegmentLayoutTests
{
    private static (byte[] Image, SegmentFooter Footer) Sample(bool compress = true)
    {
        var schema = Schema.Of(("a", DataType.BigInt), ("s", DataType.String), ("d", DataType.Double));
        var batch = SegmentTestData.RandomBatch(schema, 1000, new Random(2));
        var image = SegmentTestData.Build(schema, batch, new SegmentWriterOptions { RowGroupRows = 300, Compress = compress });
        return (image.Bytes.ToArray(), image.Footer);
    }

    [Fact]
    [Trait("Spec", "SEG-001")]
    [Trait("Spec", "SEG-002")]
    [Trait("Spec", "CRC-003")]
    public void The_header_is_magic_version_zero_flags_and_a_checksum()
    {
        var (image, _) = Sample();
        Assert.Equal("TSEG"u8.ToArray(), image[..4]);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0], image[4..12]);
        Assert.Equal(Crc32C.Compute(image.AsSpan(0, 12)), BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(12)));
    }

    [Fact]
    [Trait("Spec", "SEG-005")]
    public void The_trailer_locates_the_footer_right_before_it()
    {
        var (image, _) = Sample();
        var t = image.AsSpan(image.Length - 24);
        var footerOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(t);
        var footerLength = BinaryPrimitives.ReadUInt32LittleEndian(t[8..]);
        Assert.Equal(image.Length - 24, footerOffset + footerLength);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(t[12..]));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(t[14..]));
        Assert.Equal("TSEG"u8.ToArray(), t[16..20].ToArray());
        Assert.Equal(Crc32C.Compute(t[..20]), BinaryPrimitives.ReadUInt32LittleEndian(t[20..]));
        var footer = image.AsSpan((int)footerOffset, (int)footerLength);
        Assert.Equal(Crc32C.Compute(footer[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(footer[^4..]));
    }

    [Theory]
    [Trait("Spec", "SEG-006")]
    [Trait("Spec", "SEG-007")]
    [InlineData(true)]
    [InlineData(false)]
    public void Chunks_tile_the_file_between_header_and_footer_and_carry_their_own_checksum(bool compress)
    {
        var (image, footer) = Sample(compress);
        long at = SegmentFormat.HeaderSize;
        foreach (var g in footer.RowGroups)
        {
            foreach (var c in g.Chunks)
            {
                Assert.Equal(at, c.Offset);
                var chunk = image.AsSpan((int)c.Offset, c.Length);
                Assert.Equal(Crc32C.Compute(chunk[4..]), BinaryPrimitives.ReadUInt32LittleEndian(chunk));
                Assert.Equal((byte)c.Encoding, chunk[4]);
                Assert.Equal(c.Compressed ? 1 : 0, chunk[5]);
                Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(chunk[6..]));
                if (!c.Compressed) Assert.Equal((uint)(c.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(chunk[8..]));
                at += c.Length;
            }
        }
        Assert.Equal(SegmentPatcher.Footer(image).Offset, at);
    }

    [Fact]
    [Trait("Spec", "CRC-002")]
    [Trait("Spec", "SEG-008")]
    public void Every_byte_belongs_to_exactly_one_checksummed_structure()
    {
        var (image, footer) = Sample();
        var (footerOffset, footerLength) = SegmentPatcher.Footer(image);
        var ranges = new List<(long Start, long End)> { (0, 16), (footerOffset, footerOffset + footerLength), (image.Length - 24, image.Length) };
        foreach (var g in footer.RowGroups)
            foreach (var c in g.Chunks)
                ranges.Add((c.Offset, c.Offset + c.Length));
        long at = 0;
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            Assert.Equal(at, start);
            at = end;
        }
        Assert.Equal(image.Length, at);
    }

    [Fact]
    [Trait("Spec", "SEG-003")]
    public void A_newer_major_version_is_refused_naming_the_file_and_both_versions()
    {
        var (image, _) = Sample();
        var newer = SegmentPatcher.WithVersion(image, 3, 3);
        var ex = Assert.Throws<TarnException>(() => SegmentReader.Open(new MemorySegmentSource(newer, "t/17.seg")));
        Assert.Equal(SqlStates.FeatureNotSupported, ex.SqlState);
        Assert.Equal("t/17.seg", ex.FilePath);
        Assert.Contains("t/17.seg", ex.Message);
        Assert.Contains("3.3", ex.Message);
        Assert.Contains("2.0", ex.Message);
    }

    [Fact]
    [Trait("Spec", "SEG-004")]
    public void A_newer_minor_version_is_read_and_its_footer_extension_ignored()
    {
        var schema = Schema.Of(("a", DataType.Int));
        var batch = SegmentTestData.RandomBatch(schema, 50, new Random(4));
        var image = SegmentTestData.Build(schema, batch).Bytes.ToArray();
        byte[] extended = [.. SegmentPatcher.FooterBody(image), 0xAB, 0xCD, 0xEF];
        var newer = SegmentPatcher.WithVersion(SegmentPatcher.WithFooterBody(image, extended), 1, 4);
        SegmentTestData.ReadAndCompare(newer, batch);
        var sameMinor = SegmentPatcher.WithFooterBody(image, extended);
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => SegmentTestData.ReadAndCompare(sameMinor, batch)).SqlState);
    }
}
