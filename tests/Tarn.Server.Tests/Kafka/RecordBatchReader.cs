namespace Tarn.Server.Kafka;

/// <summary>
/// The tests' reference decoder, written independently of the server's <see cref="ProduceDecoder"/> (which decodes
/// straight into column vectors): decodes the RecordBatch v2 sequence carried by a Produce request. The CRC-32C covers the bytes from
/// <c>attributes</c> to the end of the batch. Compressed batches are inflated first (see <see cref="RecordDecompressor"/>).
/// </summary>
internal static class RecordBatchReader
{
    /// <summary>Bytes of the batch header from baseOffset through recordCount.</summary>
    private const int HeaderBytes = 61;

    /// <summary>Decodes every batch in <paramref name="data"/> into <paramref name="records"/>; returns a Kafka error code (0 = OK).</summary>
    public static short Decode(ReadOnlySpan<byte> data, List<KafkaRecord> records) =>
        Decode(data, records, new DecompressionBudget(RecordDecompressor.DefaultMaxBytes));

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, List{KafkaRecord})"/>, inflating compressed batches within <paramref name="budget"/>.</summary>
    public static short Decode(ReadOnlySpan<byte> data, List<KafkaRecord> records, DecompressionBudget budget)
    {
        var r = new KafkaReader(data);
        try
        {
            while (r.Remaining > 0)
            {
                if (r.Remaining < HeaderBytes) return KafkaErrors.CorruptMessage;
                _ = r.Int64(); // baseOffset: assigned by the table
                var batchLength = r.Int32();
                if (batchLength < HeaderBytes - 12 || batchLength > r.Remaining) return KafkaErrors.CorruptMessage;
                var batch = r.Raw(batchLength);
                var b = new KafkaReader(batch);
                _ = b.Int32(); // partitionLeaderEpoch
                if (b.Int8() != 2) return KafkaErrors.UnsupportedForMessageFormat;
                var crc = b.UInt32();
                if (Crc32C.Compute(batch[b.Position..]) != crc) return KafkaErrors.CorruptMessage;
                var attributes = b.Int16();
                if ((attributes & 0x30) != 0) return KafkaErrors.InvalidRecord; // transactional / control batches
                _ = b.Int32(); // lastOffsetDelta
                var baseTimestamp = b.Int64();
                _ = b.Int64(); // maxTimestamp
                _ = b.Int64(); // producerId
                _ = b.Int16(); // producerEpoch
                _ = b.Int32(); // baseSequence
                var count = b.Int32();
                var codec = attributes & 0x7;
                if (codec != 0)
                {
                    var inflated = RecordDecompressor.Decompress(codec, b.Raw(b.Remaining), budget, out var error);
                    if (inflated is null) return error;
                    b = new KafkaReader(inflated);
                }
                if (count < 0 || count > b.Remaining / 7) return KafkaErrors.CorruptMessage; // a record takes at least 7 bytes
                for (var i = 0; i < count; i++)
                {
                    var length = b.VarInt();
                    if (length < 0 || length > b.Remaining) return KafkaErrors.CorruptMessage;
                    var rec = new KafkaReader(b.Raw(length));
                    _ = rec.Int8(); // attributes
                    var tsDelta = rec.VarLong();
                    _ = rec.VarInt(); // offsetDelta
                    var key = Bytes(ref rec);
                    var value = Bytes(ref rec);
                    var headers = rec.VarInt();
                    if (headers < 0 || headers > rec.Remaining / 2) return KafkaErrors.CorruptMessage;
                    for (var h = 0; h < headers; h++)
                    {
                        var hk = rec.VarInt();
                        if (hk < 0) return KafkaErrors.CorruptMessage;
                        rec.Raw(hk);
                        var hv = rec.VarInt();
                        if (hv >= 0) rec.Raw(hv);
                    }
                    records.Add(new KafkaRecord(key, value, baseTimestamp + tsDelta));
                }
            }
            return KafkaErrors.None;
        }
        catch (KafkaProtocolException)
        {
            return KafkaErrors.CorruptMessage;
        }
    }

    private static byte[]? Bytes(ref KafkaReader r)
    {
        var n = r.VarInt();
        if (n < 0) return null;
        return r.Raw(n).ToArray();
    }
}
