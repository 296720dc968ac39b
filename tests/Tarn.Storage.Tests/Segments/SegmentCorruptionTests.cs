using System.Buffers.Binary;
using Tarn.Checksums;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Segments;

public class SegmentCorruptionTests
{
    private const string Name = "corrupt.seg";

    private static (byte[] Image, ColumnBatch Batch) SmallSegment(bool compress)
    {
        var schema = new Schema([
            new Column(-1, "$offset", DataType.BigInt.WithNullable(false)),
            new Column(0, "id", DataType.BigInt), new Column(1, "status", DataType.String), new Column(2, "amount", DataType.Double),
            new Column(3, "note", DataType.String), new Column(4, "flag", DataType.Boolean), new Column(5, "big", DataType.Decimal(30, 5)),
            new Column(6, "ratio", DataType.Float), new Column(7, "day", DataType.Date)]);
        var batch = SegmentTestData.RandomBatch(schema, 240, new Random(compress ? 7 : 8));
        // A compressible text column so LZ4 chunks are part of the sweep.
        var note = new BinaryVector(DataType.String, 240);
        for (var i = 0; i < 240; i++) note.Append($"order note number {i % 17} for the customer");
        batch.Columns[4] = note;
        var image = SegmentTestData.Build(schema, batch, new SegmentWriterOptions { RowGroupRows = 100, Compress = compress });
        if (compress) Assert.Contains(image.Footer.RowGroups.SelectMany(g => g.Chunks), c => c.Compressed);
        return (image.Bytes.ToArray(), batch);
    }

    /// <summary>Must throw XX001 (or 0A000 for a newer major version) naming the file; reading back other data fails.</summary>
    private static void ExpectDetected(byte[] image, ColumnBatch batch, string what, bool versionAllowed = false)
    {
        try
        {
            SegmentTestData.ReadAndCompare(image, batch, Name);
        }
        catch (TarnException e) when (e.SqlState == SqlStates.DataCorrupted || (versionAllowed && e.SqlState == SqlStates.FeatureNotSupported))
        {
            Assert.Equal(Name, e.FilePath);
            return;
        }
        Assert.Fail($"{what} went unnoticed");
    }

    [Theory]
    [Trait("Spec", "SEG-008")]
    [Trait("Spec", "SEG-009")]
    [Trait("Spec", "CRC-004")]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_single_bit_flip_is_detected(bool compress)
    {
        var (image, batch) = SmallSegment(compress);
        Assert.InRange(image.Length, 1000, 8000);
        SegmentTestData.ReadAndCompare(image, batch, Name);
        var chunksEnd = SegmentPatcher.Footer(image).Offset;
        for (var offset = 0; offset < image.Length; offset++)
        {
            // Every bit of header, footer and trailer; one bit (rotating) of every chunk byte.
            var inChunks = offset >= SegmentFormat.HeaderSize && offset < chunksEnd;
            for (var bit = inChunks ? offset % 8 : 0; bit < (inChunks ? offset % 8 + 1 : 8); bit++)
            {
                image[offset] ^= (byte)(1 << bit);
                // Only the header's major version field may turn into "newer version".
                ExpectDetected(image, batch, $"flip of bit {bit} at {offset}", versionAllowed: offset is 4 or 5);
                image[offset] ^= (byte)(1 << bit);
            }
        }
    }

    [Theory]
    [Trait("Spec", "SEG-009")]
    [Trait("Spec", "SEG-010")]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_truncation_is_detected(bool compress)
    {
        var (image, batch) = SmallSegment(compress);
        for (var length = 0; length < image.Length; length++)
            ExpectDetected(image[..length], batch, $"truncation to {length} bytes");
    }

    [Fact]
    [Trait("Spec", "SEG-010")]
    public void Well_sealed_footers_with_impossible_counts_are_rejected_without_allocating()
    {
        var schema = Schema.Of(("a", DataType.BigInt));
        var batch = SegmentTestData.RandomBatch(schema, 10, new Random(1));
        var image = SegmentTestData.Build(schema, batch).Bytes.ToArray();
        byte[] Footer(Action<EncodeBuffer> write)
        {
            using var b = new EncodeBuffer();
            write(b);
            return SegmentPatcher.WithFooterBody(image, b.WrittenSpan);
        }
        void Column(EncodeBuffer b)
        {
            b.WriteVarUInt(1);
            b.WriteVarInt(0);
            b.WriteVarUInt(1);
            b.WriteByte((byte)'a');
            b.WriteByte((byte)TypeKind.BigInt);
            b.WriteByte(0);
            b.WriteByte(0);
            b.WriteVarUInt(0);
            b.WriteByte(1);
        }
        var cases = new Dictionary<string, byte[]>
        {
            ["huge column count"] = Footer(b => b.WriteVarUInt(int.MaxValue)),
            ["huge row group count"] = Footer(b => { Column(b); b.WriteVarUInt(1L << 40); b.WriteVarUInt(1_000_000_000); }),
            ["huge row group"] = Footer(b => { Column(b); b.WriteVarUInt(1L << 40); b.WriteVarUInt(1); b.WriteVarUInt(1L << 40); }),
            ["chunk past the footer"] = Footer(b =>
            {
                Column(b);
                b.WriteVarUInt(10);
                b.WriteVarUInt(1);
                b.WriteVarUInt(10);
                b.WriteVarUInt(int.MaxValue);
                b.WriteByte((byte)ChunkEncoding.Plain);
                b.WriteByte(0);
                b.WriteByte(0);
                b.WriteVarUInt(0);
                b.WriteVarUInt(10);
            }),
            ["huge name"] = Footer(b => { b.WriteVarUInt(1); b.WriteVarInt(0); b.WriteVarUInt(int.MaxValue); }),
            ["overlong varint"] = Footer(b => b.WriteBytes([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])),
        };
        foreach (var (what, bytes) in cases) ExpectDetected(bytes, batch, what);
    }

    [Fact]
    [Trait("Spec", "SEG-010")]
    [Trait("Spec", "SEG-011")]
    public void A_compressed_chunk_claiming_an_impossible_decoded_length_is_rejected()
    {
        var (image, batch) = SmallSegment(compress: true);
        using var reader = SegmentReader.Open(new MemorySegmentSource(image));
        var chunk = reader.Footer.RowGroups.SelectMany(g => g.Chunks).First(c => c.Compressed);
        var span = image.AsSpan((int)chunk.Offset, chunk.Length);
        foreach (var claimed in new uint[] { int.MaxValue, (uint)(chunk.Length * 300), 3 })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], claimed);
            BinaryPrimitives.WriteUInt32LittleEndian(span, Crc32C.Compute(span[4..]));
            ExpectDetected(image, batch, $"decoded length {claimed}");
        }
    }
}
