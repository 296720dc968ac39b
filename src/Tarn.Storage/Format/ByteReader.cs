using System.Buffers.Binary;
using System.Text;

namespace Tarn.Storage.Format;

/// <summary>
/// A bounds-checked little-endian reader over bytes that came from disk. Any read past the end, or a length that
/// cannot fit, is reported as corruption of <see cref="Source"/> — never an IndexOutOfRangeException.
/// </summary>
public ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;

    public ByteReader(ReadOnlySpan<byte> data, string source)
    {
        _data = data;
        Source = source;
        Position = 0;
    }

    public string Source { get; }
    public int Position { get; private set; }
    public readonly int Remaining => _data.Length - Position;
    public readonly bool AtEnd => Position >= _data.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) ThrowHelper.Corrupt(Source, $"structure ends early (needed {count} bytes at position {Position}, {Remaining} left)");
        var s = _data.Slice(Position, count);
        Position += count;
        return s;
    }

    public byte ReadByte() => Take(1)[0];

    public bool ReadBool()
    {
        var b = ReadByte();
        if (b > 1) ThrowHelper.Corrupt(Source, $"invalid boolean byte {b} at position {Position - 1}");
        return b == 1;
    }

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public Guid ReadGuid() => new(Take(16));
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public ulong ReadVarUInt()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (shift == 63 && b > 1) break;
                return result;
            }
        }
        return ThrowHelper.Corrupt<ulong>(Source, $"malformed varint before position {Position}");
    }

    public long ReadVarInt()
    {
        var v = ReadVarUInt();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <summary>A varint that must lie in [0, <paramref name="max"/>] (counts and lengths).</summary>
    public int ReadCount(int max)
    {
        var v = ReadVarUInt();
        if (v > (ulong)max) ThrowHelper.Corrupt(Source, $"count {v} exceeds the limit {max} at position {Position}");
        return (int)v;
    }

    public ReadOnlySpan<byte> ReadBlob() => Take(ReadCount(Remaining));

    public string ReadString()
    {
        var bytes = ReadBlob();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return ThrowHelper.Corrupt<string>(Source, $"invalid UTF-8 text before position {Position}");
        }
    }

    public string? ReadNullableString() => ReadBool() ? ReadString() : null;

    public readonly void ExpectEnd()
    {
        if (!AtEnd) ThrowHelper.Corrupt(Source, $"{Remaining} unexpected trailing bytes at position {Position}");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
