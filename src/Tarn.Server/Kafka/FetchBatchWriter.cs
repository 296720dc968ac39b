using System.Buffers.Binary;

namespace Tarn.Server.Kafka;

/// <summary>
/// Builds one uncompressed RecordBatch v2 straight into the response buffer: each record's length is computed up front,
/// so records are written once, with no per-record scratch buffer. Offsets may have gaps (a keyed table's -U rows are
/// skipped), as in a compacted Kafka topic.
/// </summary>
internal sealed class FetchBatchWriter(KafkaWriter target)
{
    private readonly KafkaWriter _w = target;
    private int _lengthAt;
    private int _crcAt;
    private int _attributesAt;
    private int _lastDeltaAt;
    private int _baseTimestampAt;
    private int _countAt;
    private long _baseOffset;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private int _count;
    private int _lastDelta;

    public int Count => _count;

    public void Begin(long baseOffset)
    {
        _baseOffset = baseOffset;
        _count = 0;
        _lastDelta = 0;
        _w.Int64(baseOffset);
        _lengthAt = _w.ReserveInt32();
        _w.Int32(-1); // partitionLeaderEpoch
        _w.Int8(2); // magic
        _crcAt = _w.ReserveInt32();
        _attributesAt = _w.Length;
        _w.Int16(0); // no compression, CreateTime
        _lastDeltaAt = _w.ReserveInt32();
        _baseTimestampAt = _w.Length;
        _w.Int64(0); // baseTimestamp (patched)
        _w.Int64(0); // maxTimestamp (patched)
        _w.Int64(-1); // producerId
        _w.Int16(-1); // producerEpoch
        _w.Int32(-1); // baseSequence
        _countAt = _w.ReserveInt32();
    }

    /// <summary>Adds a record; <paramref name="headers"/> is the header block in wire form (empty: no headers).</summary>
    public void Add(long offset, long timestamp, bool hasKey, ReadOnlySpan<byte> key, bool hasValue, ReadOnlySpan<byte> value, ReadOnlySpan<byte> headers)
    {
        if (_count == 0)
        {
            _baseTimestamp = timestamp;
            _maxTimestamp = timestamp;
        }
        else if (timestamp > _maxTimestamp) _maxTimestamp = timestamp;
        var tsDelta = timestamp - _baseTimestamp;
        _lastDelta = checked((int)(offset - _baseOffset));
        var length = 1 + VarLongSize(tsDelta) + VarLongSize(_lastDelta)
            + (hasKey ? VarLongSize(key.Length) + key.Length : 1)
            + (hasValue ? VarLongSize(value.Length) + value.Length : 1)
            + (headers.IsEmpty ? 1 : headers.Length);
        _w.VarInt(length);
        _w.Int8(0); // attributes
        _w.VarLong(tsDelta);
        _w.VarInt(_lastDelta);
        if (hasKey)
        {
            _w.VarInt(key.Length);
            _w.Raw(key);
        }
        else _w.VarInt(-1);
        if (hasValue)
        {
            _w.VarInt(value.Length);
            _w.Raw(value);
        }
        else _w.VarInt(-1);
        if (headers.IsEmpty) _w.VarInt(0);
        else _w.Raw(headers);
        _count++;
    }

    public void End()
    {
        _w.PatchInt32(_lastDeltaAt, _lastDelta);
        _w.PatchInt32(_countAt, _count);
        BinaryPrimitives.WriteInt64BigEndian(_w.WrittenMutable.Slice(_baseTimestampAt, 8), _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(_w.WrittenMutable.Slice(_baseTimestampAt + 8, 8), _maxTimestamp);
        _w.PatchInt32(_lengthAt, _w.Length - _lengthAt - 4);
        _w.PatchUInt32(_crcAt, Crc32C.Compute(_w.Written[_attributesAt..]));
    }

    /// <summary>Bytes of a zig-zag varint.</summary>
    public static int VarLongSize(long v)
    {
        var u = (ulong)((v << 1) ^ (v >> 63));
        var n = 1;
        while (u >= 0x80)
        {
            u >>= 7;
            n++;
        }
        return n;
    }
}
