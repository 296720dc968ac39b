using System.Buffers;
using System.Numerics;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// DICTIONARY for integers: u32 entry count d, the d distinct values in ascending order as a FOR body, then one
/// bit-packed code per row (code = index of the row's value in the entries). Sorted entries keep codes in value
/// order, so range predicates can run on codes.
/// </summary>
internal static class DictionaryEncoding
{
    /// <summary>Dictionaries larger than this are never built: codes would be as wide as FOR offsets.</summary>
    public const int MaxEntries = 1 << 16;

    /// <summary>The sketch may overestimate; dictionaries are judged for this fraction of its estimate.</summary>
    public const double EstimateMargin = 0.85;

    public static long Size(int count, int entries, in LongStats stats) =>
        count == 0 || entries == 0 ? -1
        : 1 + 4 + 8 + 1 + BitPacking.ByteCount(entries, stats.RangeWidth)
          + 1 + BitPacking.ByteCount(count, CodeWidth(entries));

    public static int CodeWidth(int entries) => BitPacking.Width((ulong)(entries - 1));

    public static void Write(ReadOnlySpan<long> sortedEntries, ReadOnlySpan<int> codes, in LongStats stats, EncodeBuffer output)
    {
        output.WriteByte((byte)ChunkEncoding.Dictionary);
        output.WriteUInt32((uint)sortedEntries.Length);
        ForEncoding.WriteBody(sortedEntries, stats.Min, stats.RangeWidth, output);
        WriteCodes(codes, sortedEntries.Length, output);
    }

    public static void WriteCodes(ReadOnlySpan<int> codes, int entries, EncodeBuffer output)
    {
        var width = CodeWidth(entries);
        output.WriteByte((byte)width);
        var packed = output.Reserve(BitPacking.ByteCount(codes.Length, width));
        BitPacking.Pack(new IntSource(codes), codes.Length, width, packed);
    }

    public static void Read<T>(ref PayloadReader reader, Span<T> destination) where T : unmanaged, IBinaryInteger<T>
    {
        var n = destination.Length;
        if (n == 0) reader.Fail("DICTIONARY stream with no values");
        var d = reader.ReadCount("dictionary size", 1, n);
        var reference = reader.ReadInt64();
        var packedEntries = reader.ReadPacked(d, 64, out var entryWidth);
        var packedCodes = reader.ReadPacked(n, 32, out var codeWidth);
        var entries = ArrayPool<T>.Shared.Rent(d);
        var codes = ArrayPool<int>.Shared.Rent(n);
        try
        {
            BitPacking.UnpackAdd(packedEntries, entryWidth, T.CreateTruncating(reference), entries.AsSpan(0, d));
            var codeSpan = codes.AsSpan(0, n);
            BitPacking.UnpackAdd(packedCodes, codeWidth, 0, codeSpan);
            CheckCodes(ref reader, codeSpan, codeWidth, d);
            var dict = entries.AsSpan(0, d);
            for (var i = 0; i < codeSpan.Length; i++) destination[i] = dict[codeSpan[i]];
        }
        finally
        {
            ArrayPool<T>.Shared.Return(entries);
            ArrayPool<int>.Shared.Return(codes);
        }
    }

    /// <summary>Every code must index an entry; skipped when the width cannot express an out-of-range code.</summary>
    public static void CheckCodes(ref PayloadReader reader, ReadOnlySpan<int> codes, int codeWidth, int entries)
    {
        if (codeWidth < 32 && (1L << codeWidth) <= entries) return;
        var max = VectorMath.MaxUnsigned(codes);
        if (max >= (uint)entries) reader.Fail($"dictionary code {max} is out of range (dictionary has {entries} entries)");
    }
}
