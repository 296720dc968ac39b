namespace Tarn.Server.Kafka;

/// <summary>The tests' reference encoder (the server fetches through <see cref="FetchBatchWriter"/>): builds one uncompressed RecordBatch v2 from consecutive offsets of one partition.</summary>
internal sealed class RecordBatchWriter
{
    private readonly KafkaWriter _w;
    private readonly KafkaWriter _record = new();
    private int _lengthAt;
    private int _crcAt;
    private int _attributesAt;
    private int _lastDeltaAt;
    private int _countAt;
    private long _baseOffset;
    private long _timestamp;
    private int _count;
    private int _lastDelta;

    public RecordBatchWriter(KafkaWriter target) => _w = target;

    public void Begin(long baseOffset, long timestamp)
    {
        _baseOffset = baseOffset;
        _timestamp = timestamp;
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
        _w.Int64(timestamp); // baseTimestamp
        _w.Int64(timestamp); // maxTimestamp
        _w.Int64(-1); // producerId
        _w.Int16(-1); // producerEpoch
        _w.Int32(-1); // baseSequence
        _countAt = _w.ReserveInt32();
    }

    public void Add(long offset, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value)
    {
        _record.Clear();
        _record.Int8(0);
        _record.VarLong(0); // timestampDelta
        _lastDelta = checked((int)(offset - _baseOffset));
        _record.VarInt(_lastDelta);
        if (hasKey)
        {
            _record.VarInt(key.Length);
            _record.Raw(key);
        }
        else _record.VarInt(-1);
        _record.VarInt(value.Length);
        _record.Raw(value);
        _record.VarInt(0); // headers
        _w.VarInt(_record.Length);
        _w.Raw(_record.Written);
        _count++;
    }

    public void End()
    {
        _w.PatchInt32(_lastDeltaAt, _lastDelta);
        _w.PatchInt32(_countAt, _count);
        _w.PatchInt32(_lengthAt, _w.Length - _lengthAt - 4);
        _w.PatchUInt32(_crcAt, Crc32C.Compute(_w.Written[_attributesAt..]));
    }
}
