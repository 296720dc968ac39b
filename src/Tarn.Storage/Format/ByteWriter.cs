using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tarn.Storage.Format;

/// <summary>A growable little-endian byte buffer for building log records, manifests and catalog images.</summary>
public sealed class ByteWriter : IBufferWriter<byte>
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length { get; private set; }
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);
    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Clear() => Length = 0;

    /// <summary>Drops everything written after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = Math.Min(Length, length);

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(Length);
    }

    private void Ensure(int extra)
    {
        if (Length + extra <= _buffer.Length) return;
        var size = Math.Max((long)_buffer.Length * 2, (long)Length + extra);
        Array.Resize(ref _buffer, (int)Math.Min(size, Array.MaxLength));
    }

    /// <summary>Overwrites 4 bytes at an earlier position (for lengths and checksums known only later).</summary>
    public void PatchUInt32(int position, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(position, 4), value);
    public void PatchUInt64(int position, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(position, 8), value);

    public Span<byte> Slice(int position, int length) => _buffer.AsSpan(position, length);

    public void WriteByte(byte value) { Ensure(1); _buffer[Length++] = value; }
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);
    public void WriteUInt16(ushort value) { Ensure(2); BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(Length), value); Length += 2; }
    public void WriteInt32(int value) { Ensure(4); BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(Length), value); Length += 4; }
    public void WriteUInt32(uint value) { Ensure(4); BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), value); Length += 4; }
    public void WriteInt64(long value) { Ensure(8); BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(Length), value); Length += 8; }
    public void WriteUInt64(ulong value) { Ensure(8); BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), value); Length += 8; }
    public void WriteGuid(Guid value) { Ensure(16); value.TryWriteBytes(_buffer.AsSpan(Length)); Length += 16; }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    /// <summary>Unsigned LEB128 varint.</summary>
    public void WriteVarUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    /// <summary>Signed varint (zigzag, then LEB128).</summary>
    public void WriteVarInt(long value) => WriteVarUInt((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Varint length followed by the bytes.</summary>
    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        WriteBytes(value);
    }

    /// <summary>Varint byte length followed by UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(max + 5);
        var n = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)n);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
        Length += n;
    }

    public void WriteNullableString(string? value)
    {
        WriteBool(value is not null);
        if (value is not null) WriteString(value);
    }
}
