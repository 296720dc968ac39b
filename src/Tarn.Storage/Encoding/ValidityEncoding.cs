using System.Runtime.InteropServices;

namespace Tarn.Storage.Encodings;

/// <summary>
/// The validity section at the start of every chunk payload: one kind byte (0 = no NULLs, 1 = all NULL,
/// 2 = a null mask follows as an integer stream of 0/1 values with PLAIN, FOR or RLE; 1 = NULL).
/// </summary>
internal static class ValidityEncoding
{
    public const byte NoNulls = 0;
    public const byte AllNull = 1;
    public const byte Mask = 2;

    /// <summary>Analyzes the mask (non-zero byte = NULL); returns the section size. <paramref name="scratch"/> receives 0/1.</summary>
    public static long Analyze(ReadOnlySpan<byte> nulls, int rows, long nullCount, Span<long> scratch, LongStreamEncoder encoder)
    {
        if (nullCount == 0 || nullCount == rows) return 1;
        for (var i = 0; i < rows; i++) scratch[i] = nulls[i] != 0 ? 1 : 0;
        encoder.Analyze(scratch[..rows], EncodingSet.Bits, 1);
        return 1 + encoder.ChosenSize;
    }

    public static void Write(int rows, long nullCount, ReadOnlySpan<long> scratch, LongStreamEncoder encoder, EncodeBuffer output)
    {
        if (nullCount == 0)
        {
            output.WriteByte(NoNulls);
        }
        else if (nullCount == rows)
        {
            output.WriteByte(AllNull);
        }
        else
        {
            output.WriteByte(Mask);
            encoder.Write(scratch[..rows], output);
        }
    }

    /// <summary>
    /// The null mask (one byte per row, non-zero = NULL), or null when no row is NULL. Writes into
    /// <paramref name="reuse"/> when it is long enough.
    /// </summary>
    public static byte[]? Read(ref PayloadReader reader, int rows, byte[]? reuse = null)
    {
        var kind = reader.ReadByte();
        switch (kind)
        {
            case NoNulls:
                return null;
            case AllNull:
            {
                var all = reuse is not null && reuse.Length >= rows ? reuse : new byte[rows];
                all.AsSpan(0, rows).Fill(1);
                return all;
            }
            case Mask:
            {
                var mask = reuse is not null && reuse.Length >= rows ? reuse : new byte[rows];
                LongStream.Read(ref reader, MemoryMarshal.Cast<byte, sbyte>(mask.AsSpan(0, rows)), EncodingSet.Bits);
                return mask;
            }
            default:
                reader.Fail($"unknown validity kind {kind}");
                return null;
        }
    }
}
