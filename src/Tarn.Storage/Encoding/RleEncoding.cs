using System.Buffers;
using System.Numerics;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// RLE: u32 run count r, the r run values as a FOR body (i64 reference, width, packed), then the r run lengths
/// minus one, bit-packed. Run lengths add up to the row count.
/// </summary>
internal static class RleEncoding
{
    public static long Size(in LongStats stats) =>
        stats.Count == 0 ? -1
        : 1 + 4 + 8 + 1 + BitPacking.ByteCount(stats.Runs, stats.RangeWidth)
          + 1 + BitPacking.ByteCount(stats.Runs, LengthWidth(stats.MaxRun));

    private static int LengthWidth(int maxRun) => BitPacking.Width((ulong)(maxRun - 1));

    public static void Write(ReadOnlySpan<long> values, in LongStats stats, EncodeBuffer output)
    {
        var runValues = ArrayPool<long>.Shared.Rent(stats.Runs);
        var runLengths = ArrayPool<int>.Shared.Rent(stats.Runs);
        try
        {
            var r = 0;
            var start = 0;
            for (var i = 1; i <= values.Length; i++)
            {
                if (i < values.Length && values[i] == values[start]) continue;
                runValues[r] = values[start];
                runLengths[r] = i - start;
                r++;
                start = i;
            }
            output.WriteByte((byte)ChunkEncoding.Rle);
            output.WriteUInt32((uint)r);
            ForEncoding.WriteBody(runValues.AsSpan(0, r), stats.Min, stats.RangeWidth, output);
            var lengthWidth = LengthWidth(stats.MaxRun);
            output.WriteByte((byte)lengthWidth);
            var packed = output.Reserve(BitPacking.ByteCount(r, lengthWidth));
            BitPacking.Pack(new IntSource(runLengths.AsSpan(0, r), 1), r, lengthWidth, packed);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(runValues);
            ArrayPool<int>.Shared.Return(runLengths);
        }
    }

    public static void Read<T>(ref PayloadReader reader, Span<T> destination) where T : unmanaged, IBinaryInteger<T>
    {
        var n = destination.Length;
        if (n == 0) reader.Fail("RLE stream with no values");
        var runs = reader.ReadCount("run count", 1, n);
        var reference = reader.ReadInt64();
        var packedValues = reader.ReadPacked(runs, 64, out var valueWidth);
        var packedLengths = reader.ReadPacked(runs, 32, out var lengthWidth);
        var values = ArrayPool<T>.Shared.Rent(runs);
        var lengths = ArrayPool<long>.Shared.Rent(runs);
        try
        {
            BitPacking.UnpackAdd(packedValues, valueWidth, T.CreateTruncating(reference), values.AsSpan(0, runs));
            BitPacking.UnpackAdd(packedLengths, lengthWidth, 1L, lengths.AsSpan(0, runs));
            var position = 0;
            for (var i = 0; i < runs; i++)
            {
                var length = lengths[i];
                if (length > n - position) reader.Fail($"RLE runs cover more than {n} values");
                destination.Slice(position, (int)length).Fill(values[i]);
                position += (int)length;
            }
            if (position != n) reader.Fail($"RLE runs cover {position} values, expected {n}");
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
            ArrayPool<long>.Shared.Return(lengths);
        }
    }
}
