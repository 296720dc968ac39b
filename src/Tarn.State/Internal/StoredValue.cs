using System.Buffers.Binary;
using Tarn.Checksums;

namespace Tarn.State.Internal;

/// <summary>
/// How Tarn stores a value in a FASTER record: the caller's bytes followed by CRC-32C(key ‖ value), little-endian
/// (STATE-017). FASTER keeps no checksums in its log, so this is what turns a damaged record into a corruption error
/// instead of wrong data.
/// </summary>
internal static class StoredValue
{
    public const int ChecksumSize = 4;

    /// <summary>Writes <paramref name="value"/> and its checksum into <paramref name="buffer"/> (grown if needed).</summary>
    public static int Encode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ref byte[] buffer)
    {
        var length = value.Length + ChecksumSize;
        if (buffer.Length < length)
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        value.CopyTo(buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(value.Length), Crc32C.Compute(key, value));
        return length;
    }

    /// <summary>Checks the stored bytes of <paramref name="slot"/> against <paramref name="key"/> and leaves only the value.</summary>
    public static void Verify(ReadOnlySpan<byte> key, ValueBuffer buffer, int slot, string logDirectory)
    {
        var stored = buffer.Get(slot);
        if (stored.Length < ChecksumSize ||
            Crc32C.Compute(key, stored[..^ChecksumSize]) != BinaryPrimitives.ReadUInt32LittleEndian(stored[^ChecksumSize..]))
        {
            var shown = Convert.ToHexString(key[..Math.Min(key.Length, 32)]);
            ThrowHelper.Corrupt(logDirectory, $"state record of key {shown}{(key.Length > 32 ? "..." : "")} fails its CRC-32C check");
        }
        buffer.TrimEnd(slot, ChecksumSize);
    }
}
