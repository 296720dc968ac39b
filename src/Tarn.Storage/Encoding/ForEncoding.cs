using System.Numerics;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>FOR (frame of reference): i64 reference (the minimum), then bit-packed value - reference.</summary>
internal static class ForEncoding
{
    public const int HeaderBytes = 1 + 8 + 1;

    public static long Size(in LongStats stats) => HeaderBytes + BitPacking.ByteCount(stats.Count, stats.RangeWidth);

    public static void Write(ReadOnlySpan<long> values, in LongStats stats, EncodeBuffer output)
    {
        output.WriteByte((byte)ChunkEncoding.FrameOfReference);
        WriteBody(values, stats.Min, stats.RangeWidth, output);
    }

    /// <summary>Reference, width and packed offsets; shared by RLE and DICTIONARY for their value lists.</summary>
    public static void WriteBody(ReadOnlySpan<long> values, long reference, int width, EncodeBuffer output)
    {
        output.WriteInt64(reference);
        output.WriteByte((byte)width);
        var packed = output.Reserve(BitPacking.ByteCount(values.Length, width));
        BitPacking.Pack(new OffsetSource(values, reference), values.Length, width, packed);
    }

    public static void Read<T>(ref PayloadReader reader, Span<T> destination) where T : unmanaged, IBinaryInteger<T>
    {
        var reference = reader.ReadInt64();
        var packed = reader.ReadPacked(destination.Length, 64, out var width);
        BitPacking.UnpackAdd(packed, width, T.CreateTruncating(reference), destination);
    }
}
