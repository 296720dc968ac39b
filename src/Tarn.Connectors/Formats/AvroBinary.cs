using System.Buffers;
using System.Buffers.Binary;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Reads Avro's binary encoding (zig-zag varints, little-endian floats, length-prefixed bytes) from a message. A
/// malformed message (truncated, overlong varint, negative length) is a <see cref="RowDecodeException"/>.
/// </summary>
internal ref struct AvroReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public AvroReader(ReadOnlySpan<byte> data) => _data = data;

    public readonly bool AtEnd => _position == _data.Length;

    public readonly int Position => _position;

    public long ReadLong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length) throw Truncated();
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (long)(value >> 1) ^ -(long)(value & 1);
        }
        throw new RowDecodeException($"avro: a varint longer than 10 bytes at byte {_position}");
    }

    public int ReadInt()
    {
        var v = ReadLong();
        if (v is < int.MinValue or > int.MaxValue) throw new RowDecodeException($"avro: int value {v} out of range at byte {_position}");
        return (int)v;
    }

    public bool ReadBoolean()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++] switch
        {
            0 => false,
            1 => true,
            var b => throw new RowDecodeException($"avro: boolean byte {b} at byte {_position - 1}"),
        };
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Bytes or a string: a long length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadLong();
        if (length < 0 || length > _data.Length - _position) throw new RowDecodeException($"avro: byte length {length} at byte {_position} exceeds the message");
        return Take((int)length);
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _data.Length - _position) throw Truncated();
        var span = _data.Slice(_position, n);
        _position += n;
        return span;
    }

    private readonly RowDecodeException Truncated() => new($"avro: the message ends early ({_data.Length} bytes)");
}

/// <summary>Writes Avro's binary encoding to a buffer writer.</summary>
internal static class AvroWriter
{
    public static void WriteLong(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(10);
        var v = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (v >= 0x80)
        {
            span[i++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[i++] = (byte)v;
        output.Advance(i);
    }

    public static void WriteBoolean(IBufferWriter<byte> output, bool value)
    {
        output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        output.Advance(1);
    }

    public static void WriteFloat(IBufferWriter<byte> output, float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLong(output, value.Length);
        if (value.IsEmpty) return;
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }
}
