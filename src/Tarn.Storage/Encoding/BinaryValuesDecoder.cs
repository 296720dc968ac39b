using System.Buffers;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Encodings;

/// <summary>Decodes the values section of a string/bytes chunk (see <see cref="BinaryValuesEncoder"/>).</summary>
internal static class BinaryValuesDecoder
{
    public static ColumnVector Read(ref PayloadReader reader, DataType type, int rows, byte[]? nulls, out ChunkEncoding encoding, ColumnVector? reuse)
    {
        encoding = LongStream.ReadEncoding(ref reader, EncodingSet.Binary);
        if (encoding == ChunkEncoding.Plain)
        {
            var old = reuse as BinaryVector;
            var offsets = ReadOffsets(ref reader, rows, out var total, old is not null && old.Offsets.Length > rows ? old.Offsets : null);
            var data = CopyData(reader.ReadBytes(total), old is not null && old.Data.Length >= total ? old.Data : null);
            return new BinaryVector(type, offsets, data, rows, nulls);
        }
        if (rows == 0) reader.Fail("DICTIONARY chunk with no rows");
        var entries = reader.ReadCount("dictionary size", 1, rows);
        var entryOffsets = ReadOffsets(ref reader, entries, out var entryBytes);
        var dictionary = new BinaryVector(type, entryOffsets, CopyData(reader.ReadBytes(entryBytes)), entries);
        var codes = reuse is DictionaryVector dv && dv.Codes.Length >= rows ? dv.Codes : GC.AllocateUninitializedArray<int>(Math.Max(rows, 1));
        var codeSpan = codes.AsSpan(0, rows);
        LongStream.Read(ref reader, codeSpan, EncodingSet.Integers);
        var max = VectorMath.MaxUnsigned(codeSpan);
        if (max >= (uint)entries) reader.Fail($"dictionary code {max} is out of range (dictionary has {entries} entries)");
        return new DictionaryVector(dictionary, codes, rows, nulls);
    }

    /// <summary>Reads an integer stream of <paramref name="count"/> lengths and turns it into count+1 offsets.</summary>
    private static int[] ReadOffsets(ref PayloadReader reader, int count, out long total, int[]? reuse = null)
    {
        var lengths = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var span = lengths.AsSpan(0, count);
            LongStream.Read(ref reader, span, EncodingSet.Integers);
            if (count > 0 && VectorMath.Min(span) < 0) reader.Fail("negative value length");
            total = 0;
            foreach (var l in span) total += l;
            // The bytes must follow in this payload, which bounds the total before anything is allocated.
            if (total > reader.Remaining) reader.Fail($"value lengths add up to {total} bytes but only {reader.Remaining} remain");
            var offsets = reuse ?? new int[count + 1];
            offsets[0] = 0;
            var at = 0;
            for (var i = 0; i < count; i++)
            {
                at += span[i];
                offsets[i + 1] = at;
            }
            return offsets;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    private static byte[] CopyData(ReadOnlySpan<byte> bytes, byte[]? reuse = null)
    {
        var data = reuse ?? GC.AllocateUninitializedArray<byte>(Math.Max(bytes.Length, 16));
        bytes.CopyTo(data);
        return data;
    }
}
