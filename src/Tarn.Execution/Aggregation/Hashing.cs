using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tarn.Execution.Aggregation;

/// <summary>Fast non-cryptographic hashes for grouping keys (in-memory only, never persisted).</summary>
public static class Hashing
{
    public const uint NullHash = 0x9E3779B9u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return (uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Combine(uint seed, uint h) => (uint)((seed ^ h) * 0x9E3779B1u) + BitOperations.RotateLeft(seed, 13);

    public static uint Bytes(ReadOnlySpan<byte> s)
    {
        var len = s.Length;
        ulong h = 0x27D4EB2F165667C5UL ^ ((ulong)len * 0x9E3779B97F4A7C15UL);
        if (len <= 16)
        {
            // short strings (the common grouping key): two overlapping reads, no loop
            ulong a, b;
            if (len >= 8)
            {
                a = BinaryPrimitives.ReadUInt64LittleEndian(s);
                b = BinaryPrimitives.ReadUInt64LittleEndian(s[(len - 8)..]);
            }
            else if (len >= 4)
            {
                a = BinaryPrimitives.ReadUInt32LittleEndian(s);
                b = BinaryPrimitives.ReadUInt32LittleEndian(s[(len - 4)..]);
            }
            else if (len > 0)
            {
                a = s[0] | ((ulong)s[len >> 1] << 8) | ((ulong)s[len - 1] << 16);
                b = 0;
            }
            else
            {
                a = 0;
                b = 0;
            }
            return Mix(h ^ (a * 0xC2B2AE3D27D4EB4FUL) ^ BitOperations.RotateLeft(b * 0x165667B19E3779F9UL, 31));
        }
        var i = 0;
        for (; i + 8 <= len; i += 8)
        {
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(s[i..]) * 0x9E3779B97F4A7C15UL;
            h = BitOperations.RotateLeft(h, 27) * 0xC2B2AE3D27D4EB4FUL;
        }
        h ^= BinaryPrimitives.ReadUInt64LittleEndian(s[(len - 8)..]) * 0x165667B19E3779F9UL;
        return Mix(h);
    }

    /// <summary>Bits of a float for grouping: -0.0 groups with 0.0 and all NaNs group together.</summary>
    public static long NormalizedBits(double d) => d == 0 ? 0 : double.IsNaN(d) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(d);
}
