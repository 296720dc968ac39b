using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Tarn.Checksums;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every Tarn file structure
/// (storage-spec/08-checksums.md). Standard parameters: initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF, so
/// <c>Compute("123456789") == 0xE3069283</c>. Hardware accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </summary>
public static class Crc32C
{
    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    /// <summary>Continues a running (non-finalized) CRC. Start with 0xFFFFFFFF and finish with <c>~crc</c>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        // Three independent streams would be faster on long inputs; one stream already runs at several GB/s,
        // which is well above what the rest of the read path needs.
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var v in longs)
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v));
        for (var i = longs.Length * 8; i < data.Length; i++)
            crc = BitOperations.Crc32C(crc, data[i]);
        return crc;
    }

    /// <summary>The checksum of the concatenation of two spans.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        ~Update(Update(0xFFFFFFFFu, first), second);
}
