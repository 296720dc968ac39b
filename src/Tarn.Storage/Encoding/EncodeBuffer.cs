using System.Buffers;
using System.Buffers.Binary;

namespace Tarn.Storage.Encodings;

/// <summary>
/// A growable little-endian byte writer. Pooled buffers are for per-chunk scratch that is reused;
/// unpooled ones back segment images that are handed out.
/// </summary>
internal sealed class EncodeBuffer : IDisposable
{
    private readonly bool _pooled;
    private byte[] _buffer;

    public EncodeBuffer(int initialCapacity = 4096, bool pooled = true)
    {
        _pooled = pooled;
        _buffer = pooled ? ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16)) : new byte[Math.Max(initialCapacity, 16)];
    }

    public int Length { get; private set; }

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>The underlying array (valid until the next write that grows it).</summary>
    public byte[] RawBuffer => _buffer;

    public void Clear() => Length = 0;

    /// <summary>Appends <paramref name="count"/> bytes the caller fills through the returned span.</summary>
    public Span<byte> Reserve(long count)
    {
        Ensure(count);
        var span = _buffer.AsSpan(Length, (int)count);
        Length += (int)count;
        return span;
    }

    /// <summary>Appends <paramref name="count"/> zero bytes and returns them.</summary>
    public Span<byte> ReserveZeroed(long count)
    {
        var span = Reserve(count);
        span.Clear();
        return span;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    public void WriteInt128(Int128 value) => BinaryPrimitives.WriteInt128LittleEndian(Reserve(16), value);
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>Unsigned LEB128: 7 bits per byte, low groups first, high bit set on all but the last byte.</summary>
    public void WriteVarUInt(UInt128 value)
    {
        Ensure(19);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)((byte)value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    /// <summary>Zigzag then LEB128, so small negative numbers stay short.</summary>
    public void WriteVarInt(Int128 value) => WriteVarUInt((UInt128)((value << 1) ^ (value >> 127)));

    public byte[] ToArray() => WrittenSpan.ToArray();

    private void Ensure(long extra)
    {
        var needed = Length + extra;
        if (needed <= _buffer.Length) return;
        if (needed > Array.MaxLength)
            throw new TarnException(SqlStates.FeatureNotSupported, $"encoded data would exceed {Array.MaxLength} bytes (segment images are limited to 2 GiB)");
        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));
        var next = _pooled ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
        _buffer.AsSpan(0, Length).CopyTo(next);
        if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        if (_pooled && _buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }
}
