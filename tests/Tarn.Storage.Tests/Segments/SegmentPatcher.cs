using System.Buffers.Binary;
using Tarn.Checksums;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Tests.Segments;

/// <summary>Edits segment images and re-seals the checksums, to test what readers do with well-formed oddities.</summary>
internal static class SegmentPatcher
{
    public static (long Offset, int Length) Footer(byte[] image)
    {
        var t = image.AsSpan(image.Length - SegmentFormat.TrailerSize);
        return ((long)BinaryPrimitives.ReadUInt64LittleEndian(t), (int)BinaryPrimitives.ReadUInt32LittleEndian(t[8..]));
    }

    public static byte[] WithVersion(byte[] image, ushort major, ushort minor)
    {
        var copy = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(4), major);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), minor);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), Crc32C.Compute(copy.AsSpan(0, 12)));
        var t = copy.AsSpan(copy.Length - SegmentFormat.TrailerSize);
        BinaryPrimitives.WriteUInt16LittleEndian(t[12..], major);
        BinaryPrimitives.WriteUInt16LittleEndian(t[14..], minor);
        BinaryPrimitives.WriteUInt32LittleEndian(t[20..], Crc32C.Compute(t[..20]));
        return copy;
    }

    /// <summary>The image with its footer body (without CRC) replaced, CRC and trailer recomputed.</summary>
    public static byte[] WithFooterBody(byte[] image, ReadOnlySpan<byte> body)
    {
        var (offset, length) = Footer(image);
        var t = image.AsSpan(image.Length - SegmentFormat.TrailerSize);
        var result = new byte[offset + body.Length + 4 + SegmentFormat.TrailerSize];
        image.AsSpan(0, (int)offset).CopyTo(result);
        body.CopyTo(result.AsSpan((int)offset));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan((int)offset + body.Length), Crc32C.Compute(body));
        var nt = result.AsSpan(result.Length - SegmentFormat.TrailerSize);
        t.CopyTo(nt);
        BinaryPrimitives.WriteUInt32LittleEndian(nt[8..], (uint)(body.Length + 4));
        BinaryPrimitives.WriteUInt32LittleEndian(nt[20..], Crc32C.Compute(nt[..20]));
        _ = length;
        return result;
    }

    public static byte[] FooterBody(byte[] image)
    {
        var (offset, length) = Footer(image);
        return image.AsSpan((int)offset, length - 4).ToArray();
    }
}
