using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tarn.Storage.Encodings;

/// <summary>
/// The shared building block of every encoding: unsigned values of a fixed bit width packed back to back,
/// least significant bit first (value i occupies bits [i*w, (i+1)*w) of the little-endian bit stream;
/// storage-spec/04-encodings.md, "Bit-packed run"). A run of n values takes exactly ceil(n*w/8) bytes and the
/// unused high bits of its last byte are zero.
/// </summary>
internal static class BitPacking
{
    public const int MaxWidth = 64;

    static BitPacking()
    {
        // Unaligned 64-bit reads below assume the host byte order is the file byte order.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Tarn storage requires a little-endian CPU");
    }

    /// <summary>Bits needed to hold every value in 0..<paramref name="maxValue"/>.</summary>
    public static int Width(ulong maxValue) => 64 - BitOperations.LeadingZeroCount(maxValue);

    /// <summary>Bytes taken by <paramref name="count"/> values of <paramref name="width"/> bits.</summary>
    public static long ByteCount(long count, int width) => (count * width + 7) >> 3;

    /// <summary>Packs <paramref name="count"/> values of <paramref name="source"/>; each must fit in <paramref name="width"/> bits.</summary>
    public static void Pack<TSource>(scoped in TSource source, int count, int width, Span<byte> destination)
        where TSource : IPackSource, allows ref struct
    {
        if (width == 0 || count == 0) return;
        var total = checked((int)ByteCount(count, width));
        if (destination.Length < total) throw new ArgumentException("destination too small", nameof(destination));
        ulong acc = 0;
        var bits = 0;
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            var v = source.Get(i);
            acc |= v << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(pos, 8), acc);
                pos += 8;
                bits -= 64;
                // The bits of v that did not fit start the next word (none when v ended exactly on the boundary).
                acc = bits == 0 ? 0 : v >> (width - bits);
            }
        }
        for (; bits > 0; bits -= 8)
        {
            destination[pos++] = (byte)acc;
            acc >>= 8;
        }
    }

    /// <summary>
    /// Unpacks <c>destination.Length</c> values and adds <paramref name="reference"/> to each (wrapping).
    /// <paramref name="source"/> must hold at least <see cref="ByteCount"/> bytes.
    /// </summary>
    public static void UnpackAdd<T>(ReadOnlySpan<byte> source, int width, T reference, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        var n = destination.Length;
        if (width == 0)
        {
            destination.Fill(reference);
            return;
        }
        if (source.Length < ByteCount(n, width)) throw new ArgumentException("source too short", nameof(source));
        var i = width <= 56 ? UnpackGroupsOfEight(source, width, reference, destination) : 0;
        for (; i < n; i++)
            destination[i] = T.CreateTruncating(ReadValue(source, (long)i * width, width)) + reference;
    }

    /// <summary>
    /// Eight values of w bits span exactly w bytes, so the byte offset and shift of value j inside a group are the
    /// same for every group: one unaligned 64-bit read, a shift and a mask per value, eight independent chains.
    /// Returns how many values were unpacked (a multiple of 8; the caller finishes the tail safely).
    /// </summary>
    private static int UnpackGroupsOfEight<T>(ReadOnlySpan<byte> source, int width, T reference, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        var o1 = width >> 3; var s1 = width & 7;
        var o2 = (2 * width) >> 3; var s2 = (2 * width) & 7;
        var o3 = (3 * width) >> 3; var s3 = (3 * width) & 7;
        var o4 = (4 * width) >> 3; var s4 = (4 * width) & 7;
        var o5 = (5 * width) >> 3; var s5 = (5 * width) & 7;
        var o6 = (6 * width) >> 3; var s6 = (6 * width) & 7;
        var o7 = (7 * width) >> 3; var s7 = (7 * width) & 7;
        // Group g reads up to byte g*w + o7 + 8; only groups whose reads stay inside the source take this path.
        long spare = source.Length - o7 - 8;
        if (spare < 0) return 0;
        var groups = (int)Math.Min(destination.Length / 8, spare / width + 1);
        var mask = (1UL << width) - 1;
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        for (nint g = 0; g < groups; g++)
        {
            ref var p = ref Unsafe.Add(ref src, g * width);
            ref var q = ref Unsafe.Add(ref dst, g * 8);
            q = T.CreateTruncating(Unsafe.ReadUnaligned<ulong>(ref p) & mask) + reference;
            Unsafe.Add(ref q, 1) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o1)) >> s1) & mask) + reference;
            Unsafe.Add(ref q, 2) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o2)) >> s2) & mask) + reference;
            Unsafe.Add(ref q, 3) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o3)) >> s3) & mask) + reference;
            Unsafe.Add(ref q, 4) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o4)) >> s4) & mask) + reference;
            Unsafe.Add(ref q, 5) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o5)) >> s5) & mask) + reference;
            Unsafe.Add(ref q, 6) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o6)) >> s6) & mask) + reference;
            Unsafe.Add(ref q, 7) = T.CreateTruncating((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, o7)) >> s7) & mask) + reference;
        }
        return groups * 8;
    }

    /// <summary>The value at <paramref name="bitPosition"/>, reading only bytes inside <paramref name="source"/>.</summary>
    public static ulong ReadValue(ReadOnlySpan<byte> source, long bitPosition, int width)
    {
        var index = (int)(bitPosition >> 3);
        var shift = (int)(bitPosition & 7);
        ulong word;
        if (index + 8 <= source.Length)
        {
            word = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(index, 8));
        }
        else
        {
            Span<byte> tmp = stackalloc byte[8];
            tmp.Clear();
            source[index..].CopyTo(tmp);
            word = BinaryPrimitives.ReadUInt64LittleEndian(tmp);
        }
        var value = word >> shift;
        if (shift + width > 64) value |= (ulong)source[index + 8] << (64 - shift);
        return width == 64 ? value : value & ((1UL << width) - 1);
    }

    /// <summary>True when the unused high bits of the last byte of a run of <paramref name="count"/> values are zero.</summary>
    public static bool PaddingIsZero(ReadOnlySpan<byte> packed, long count, int width)
    {
        var usedBits = (int)((count * width) & 7);
        if (usedBits == 0 || packed.IsEmpty) return true;
        return (packed[^1] >> usedBits) == 0;
    }
}
