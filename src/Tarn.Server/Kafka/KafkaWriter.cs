using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tarn.Server.Kafka;

/// <summary>Big-endian writer for responses and record batches, over a growable buffer.</summary>
internal sealed class KafkaWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>The written bytes without a copy: valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;
    public Span<byte> WrittenMutable => MemoryMarshalHelper.AsMutable(_buffer);

    public void Clear() => _buffer.ResetWrittenCount();

    private Span<byte> Take(int n)
    {
        var s = _buffer.GetSpan(n)[..n];
        _buffer.Advance(n);
        return s;
    }

    public void Int8(sbyte v) => Take(1)[0] = (byte)v;
    public void Bool(bool v) => Take(1)[0] = v ? (byte)1 : (byte)0;
    public void Int16(short v) => BinaryPrimitives.WriteInt16BigEndian(Take(2), v);
    public void Int32(int v) => BinaryPrimitives.WriteInt32BigEndian(Take(4), v);
    public void Int64(long v) => BinaryPrimitives.WriteInt64BigEndian(Take(8), v);
    public void UInt32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), v);
    public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    public void NullableString(string? s)
    {
        if (s is null)
        {
            Int16(-1);
            return;
        }
        var n = Encoding.UTF8.GetByteCount(s);
        Int16(checked((short)n));
        Encoding.UTF8.GetBytes(s, Take(n));
    }

    public void String(string s) => NullableString(s);

    public void UVarLong(ulong v)
    {
        // One buffer check per varint (at most 10 bytes), not one per byte: record batches write several per record.
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[n++] = (byte)v;
        _buffer.Advance(n);
    }

    public void VarLong(long v) => UVarLong((ulong)((v << 1) ^ (v >> 63)));
    public void VarInt(int v) => VarLong(v);

    /// <summary>Reserves an INT32 to be patched later (lengths, CRCs); returns its position.</summary>
    public int ReserveInt32()
    {
        var at = Length;
        Int32(0);
        return at;
    }

    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(WrittenMutable.Slice(at, 4), value);
    public void PatchUInt32(int at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(WrittenMutable.Slice(at, 4), value);
}

internal static class MemoryMarshalHelper
{
    /// <summary>The written part of the buffer as writable memory (the writer owns it; used only to patch reserved fields).</summary>
    public static Span<byte> AsMutable(ArrayBufferWriter<byte> buffer) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
}
