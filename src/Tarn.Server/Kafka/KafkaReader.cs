using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tarn.Server.Kafka;

/// <summary>
/// Big-endian reader over one request frame. Every length and count is checked against the bytes that remain before
/// anything is allocated, so a hostile frame can cost at most its own size.
/// </summary>
internal ref struct KafkaReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly int Position => _pos;
    public readonly int Remaining => _data.Length - _pos;

    private ReadOnlySpan<byte> Take(int n)
    {
        if ((uint)n > (uint)Remaining) ThrowTruncated(n, Remaining); // also catches n < 0
        var s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    /// <summary>Out of line, so <see cref="Take"/> stays small enough to inline on the per-record paths.</summary>
    [DoesNotReturn]
    private static void ThrowTruncated(int n, int remaining) =>
        throw new KafkaProtocolException($"frame truncated: need {n} bytes, {remaining} left");

    public sbyte Int8() => (sbyte)Take(1)[0];
    public bool Bool() => Take(1)[0] != 0;
    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ReadOnlySpan<byte> Raw(int n) => Take(n);

    /// <summary>A nullable INT16-length string (null for length -1).</summary>
    public string? NullableString()
    {
        var len = Int16();
        if (len == -1) return null;
        if (len < 0) throw new KafkaProtocolException($"negative string length {len}");
        return Encoding.UTF8.GetString(Take(len));
    }

    public string String() => NullableString() ?? throw new KafkaProtocolException("null where a string is required");

    /// <summary>Nullable INT32-length bytes; returns false for null.</summary>
    public bool NullableBytes(out ReadOnlySpan<byte> bytes)
    {
        var len = Int32();
        bytes = default;
        if (len == -1) return false;
        if (len < 0) throw new KafkaProtocolException($"negative bytes length {len}");
        bytes = Take(len);
        return true;
    }

    /// <summary>An INT32 array count (-1 = null), bounded by the bytes left given the smallest element size.</summary>
    public int ArrayCount(int minElementBytes)
    {
        var n = Int32();
        if (n == -1) return -1;
        CheckCount(n, minElementBytes);
        return n;
    }

    private readonly void CheckCount(long n, int minElementBytes)
    {
        if (n < 0 || n * Math.Max(1, minElementBytes) > Remaining) throw new KafkaProtocolException($"array count {n} exceeds the frame");
    }

    public ulong UVarLong()
    {
        // Most varints in a record batch (lengths, deltas) fit one byte.
        if (_pos < _data.Length && _data[_pos] < 0x80) return _data[_pos++];
        return UVarLongSlow();
    }

    private ulong UVarLongSlow()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new KafkaProtocolException("varint too long");
    }

    public int UVarInt()
    {
        var v = UVarLong();
        if (v > int.MaxValue) throw new KafkaProtocolException("varint out of range");
        return (int)v;
    }

    /// <summary>Zig-zag signed varint (record fields).</summary>
    public long VarLong()
    {
        var v = UVarLong();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    public int VarInt()
    {
        var v = VarLong();
        if (v is < int.MinValue or > int.MaxValue) throw new KafkaProtocolException("varint out of range");
        return (int)v;
    }

    /// <summary>A compact (flexible-version) nullable string: UVARINT length + 1.</summary>
    public string? CompactNullableString()
    {
        var n = UVarInt();
        if (n == 0) return null;
        return Encoding.UTF8.GetString(Take(n - 1));
    }

    /// <summary>Skips a tagged-field block (flexible versions).</summary>
    public void SkipTaggedFields()
    {
        var count = UVarInt();
        CheckCount(count, 2);
        for (var i = 0; i < count; i++)
        {
            _ = UVarInt();
            Take(UVarInt());
        }
    }
}
