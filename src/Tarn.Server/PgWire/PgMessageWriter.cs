using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// Builds backend messages into one growing buffer; the connection flushes it at ReadyForQuery, Flush, or when it
/// grows large, so a result set goes out in few writes.
/// </summary>
internal sealed class PgMessageWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private int _messageStart = -1;

    public int Length => _buffer.WrittenCount;

    /// <summary>The bytes written and not yet flushed.</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Begin(byte type)
    {
        WriteByte(type);
        _messageStart = _buffer.WrittenCount;
        WriteInt32(0);
    }

    public void End()
    {
        var span = GetWrittenSpan(_messageStart);
        BinaryPrimitives.WriteInt32BigEndian(span, _buffer.WrittenCount - _messageStart);
        _messageStart = -1;
    }

    /// <summary>Reserves an int32 length slot (for a DataRow value) and returns its offset.</summary>
    public int ReserveInt32()
    {
        var at = _buffer.WrittenCount;
        WriteInt32(0);
        return at;
    }

    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(GetWrittenSpan(at), value);

    public int Position => _buffer.WrittenCount;

    private Span<byte> GetWrittenSpan(int at) => System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span.Slice(at, 4);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>UTF-8 text without terminator.</summary>
    public void WriteText(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var n = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(max));
        _buffer.Advance(n);
    }

    public void WriteCString(string value)
    {
        WriteText(value);
        WriteByte(0);
    }

    public async ValueTask FlushAsync(Stream stream, CancellationToken cancellation)
    {
        if (_buffer.WrittenCount == 0) return;
        await stream.WriteAsync(_buffer.WrittenMemory, cancellation);
        await stream.FlushAsync(cancellation);
        _buffer.ResetWrittenCount();
    }
}
