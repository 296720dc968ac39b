using System.Buffers.Binary;
using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>Parses the fields of one frame body; any read past the end is a protocol error, never an exception of another kind.</summary>
internal ref struct PgBodyReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    public readonly int Remaining => _body.Length - _position;

    public short ReadInt16()
    {
        var span = Take(2);
        return BinaryPrimitives.ReadInt16BigEndian(span);
    }

    public int ReadInt32()
    {
        var span = Take(4);
        return BinaryPrimitives.ReadInt32BigEndian(span);
    }

    public byte ReadByte() => Take(1)[0];

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0) throw new PgProtocolException("negative length");
        return Take(count);
    }

    /// <summary>A NUL-terminated UTF-8 string.</summary>
    public string ReadCString()
    {
        var rest = _body[_position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw new PgProtocolException("unterminated string");
        _position += end + 1;
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining) throw new PgProtocolException("frame shorter than its fields");
        var span = _body.Slice(_position, count);
        _position += count;
        return span;
    }
}
