using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// DELTA: i64 first value, i64 smallest delta, then bit-packed (delta - smallest delta) for the n-1 neighbours.
/// Arithmetic wraps modulo 2^64 (and modulo the value width when decoding narrower types), so every sequence
/// round-trips. Dense offsets and row ids (all deltas equal) cost 18 bytes per chunk.
/// </summary>
internal static class DeltaEncoding
{
    public const int HeaderBytes = 1 + 8 + 8 + 1;

    public static long Size(in LongStats stats) =>
        stats.Count == 0 ? -1 : HeaderBytes + BitPacking.ByteCount(stats.Count - 1, stats.DeltaWidth);

    public static void Write(ReadOnlySpan<long> values, in LongStats stats, EncodeBuffer output)
    {
        output.WriteByte((byte)ChunkEncoding.Delta);
        output.WriteInt64(values[0]);
        output.WriteInt64(stats.MinDelta);
        var width = stats.DeltaWidth;
        output.WriteByte((byte)width);
        var packed = output.Reserve(BitPacking.ByteCount(values.Length - 1, width));
        BitPacking.Pack(new DeltaSource(values, stats.MinDelta), values.Length - 1, width, packed);
    }

    public static void Read<T>(ref PayloadReader reader, Span<T> destination) where T : unmanaged, IBinaryInteger<T>
    {
        if (destination.IsEmpty) reader.Fail("DELTA stream with no values");
        var first = reader.ReadInt64();
        var minDelta = reader.ReadInt64();
        var packed = reader.ReadPacked(destination.Length - 1, 64, out var width);
        destination[0] = T.CreateTruncating(first);
        var deltas = destination[1..];
        if (width == 0)
        {
            // Arithmetic progression: no unpacking, no dependency chain.
            var step = T.CreateTruncating(minDelta);
            var value = destination[0];
            for (var i = 0; i < deltas.Length; i++)
            {
                value += step;
                deltas[i] = value;
            }
            return;
        }
        BitPacking.UnpackAdd(packed, width, T.CreateTruncating(minDelta), deltas);
        PrefixSum(destination);
    }

    private static void PrefixSum<T>(Span<T> values) where T : unmanaged, IBinaryInteger<T>
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var acc = v;
        for (nint i = 1; i < values.Length; i++)
        {
            acc += Unsafe.Add(ref v, i);
            Unsafe.Add(ref v, i) = acc;
        }
    }
}
