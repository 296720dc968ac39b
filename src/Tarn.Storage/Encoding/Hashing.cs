using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tarn.Storage.Encodings;

/// <summary>Deterministic 64-bit hashes for distinct-count sketches and dictionary building (not for security).</summary>
internal static class Hashing
{
    /// <summary>The SplitMix64 finalizer: every input bit affects every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Mix(Int128 value) => Mix((ulong)value ^ Mix((ulong)(value >> 64)));

    public static ulong Bytes(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        ref var p = ref MemoryMarshal.GetReference(data);
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)length;
        ulong tail;
        if (length >= 8)
        {
            for (var i = 0; i + 8 < length; i += 8)
                h = BitOperations.RotateLeft((h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i))) * 0xFF51AFD7ED558CCDUL, 29);
            // The last 8 bytes, overlapping what came before when the length is not a multiple of 8.
            tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, length - 8));
        }
        else if (length >= 4)
        {
            tail = Unsafe.ReadUnaligned<uint>(ref p) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, length - 4)) << 32);
        }
        else
        {
            tail = length == 0 ? 0 : p | ((ulong)Unsafe.Add(ref p, length >> 1) << 8) | ((ulong)Unsafe.Add(ref p, length - 1) << 16);
        }
        return Mix(BitOperations.RotateLeft((h ^ tail) * 0xC4CEB9FE1A85EC53UL, 31));
    }
}
