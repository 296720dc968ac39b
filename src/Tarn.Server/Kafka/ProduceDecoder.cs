using System.Text;
using System.Text.Json;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.Kafka;

/// <summary>The idempotence fields of a produced batch (producer id -1: not idempotent).</summary>
internal readonly record struct ProducerFields(long ProducerId, short Epoch, int BaseSequence, int RecordCount);

/// <summary>
/// Decodes the RecordBatch v2 data of one produced partition straight into the column vectors of the topic's table
/// (see <see cref="KafkaTopicLayout"/>): on a schemaless topic key, value and headers are copied from the request
/// buffer into binary vectors with no per-record allocation. Checks the CRC-32C and inflates compressed batches.
/// </summary>
internal static class ProduceDecoder
{
    private const int HeaderBytes = 61;

    /// <summary>Decoded rows of one partition, with a kind per row on keyed tables (+I upsert, -D tombstone).</summary>
    internal sealed class Rows(ColumnBatch batch, sbyte[]? kinds)
    {
        public ColumnBatch Batch { get; } = batch;
        public sbyte[]? Kinds { get; } = kinds;
    }

    /// <summary>Returns a Kafka error code (0 = OK); <paramref name="rows"/> is null when the data holds no record.</summary>
    public static short Decode(ReadOnlySpan<byte> data, KafkaTopicLayout layout, DecompressionBudget inflate, out ProducerFields producer, out Rows? rows)
    {
        producer = new ProducerFields(-1, -1, -1, 0);
        rows = null;
        var columns = new ColumnVector[layout.ColumnCount];
        for (var c = 0; c < columns.Length; c++)
        {
            // The value column of a schemaless topic gets room for all the (uncompressed) data at once, not 17 doublings.
            columns[c] = ColumnVector.Create(layout.Types[c], 256);
            if (c == layout.ValueColumn && columns[c] is BinaryVector) columns[c] = new BinaryVector(layout.Types[c], 256, data.Length);
        }
        List<sbyte>? kinds = layout.IsKeyed ? [] : null;
        var fast = layout.IsSchemaless && !layout.IsKeyed;
        var total = 0;
        var batches = 0;
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
                var producerId = b.Int64();
                var epoch = b.Int16();
                var baseSequence = b.Int32();
                var count = b.Int32();
                if (batches++ == 0) producer = new ProducerFields(producerId, epoch, baseSequence, count);
                else if (producerId >= 0 || producer.ProducerId >= 0) return KafkaErrors.InvalidRecord; // Kafka: one batch per partition from idempotent producers
                var codec = attributes & 0x7;
                if (codec != 0)
                {
                    var inflated = RecordDecompressor.Decompress(codec, b.Raw(b.Remaining), inflate, out var error);
                    if (inflated is null) return error;
                    b = new KafkaReader(inflated);
                }
                if (count < 0 || count > b.Remaining / 7) return KafkaErrors.CorruptMessage; // a record takes at least 7 bytes
                for (var c = 0; c < columns.Length; c++) columns[c].EnsureCapacity(total + count);
                for (var i = 0; i < count; i++)
                {
                    var length = b.VarInt();
                    if (length < 0 || length > b.Remaining) return KafkaErrors.CorruptMessage;
                    var rec = new KafkaReader(b.Raw(length));
                    _ = rec.Int8(); // attributes
                    var timestamp = baseTimestamp + rec.VarLong();
                    _ = rec.VarInt(); // offsetDelta
                    var hasKey = Bytes(ref rec, out var key);
                    var hasValue = Bytes(ref rec, out var value);
                    var headers = rec.Raw(rec.Remaining);
                    if (!ValidHeaders(headers, out var headerCount)) return KafkaErrors.CorruptMessage;
                    var error = fast
                        ? AppendRaw(layout, columns, hasKey, key, hasValue, value, headerCount > 0, headers, timestamp)
                        : hasValue && layout.JsonDecoder is { } json
                            ? AppendJson(json, layout, columns, hasKey, key, value, headerCount > 0, headers, timestamp)
                            : AppendConverted(layout, columns, hasKey, key, hasValue, value, headerCount > 0, headers, timestamp);
                    if (error != KafkaErrors.None) return error;
                    kinds?.Add(hasValue ? (sbyte)RowKind.Insert : (sbyte)RowKind.Delete);
                    total++;
                }
            }
        }
        catch (KafkaProtocolException)
        {
            return KafkaErrors.CorruptMessage;
        }
        if (total > 0) rows = new Rows(new ColumnBatch(columns, total), kinds?.ToArray());
        return KafkaErrors.None;
    }

    private static bool Bytes(ref KafkaReader r, out ReadOnlySpan<byte> bytes)
    {
        var n = r.VarInt();
        bytes = default;
        if (n < 0) return false;
        bytes = r.Raw(n);
        return true;
    }

    /// <summary>Checks the header block (count, then key/value pairs) without copying it.</summary>
    private static bool ValidHeaders(ReadOnlySpan<byte> headers, out int count)
    {
        var r = new KafkaReader(headers);
        count = r.VarInt();
        if (count < 0 || count > r.Remaining / 2) return false;
        for (var h = 0; h < count; h++)
        {
            var hk = r.VarInt();
            if (hk < 0) return false;
            r.Raw(hk);
            var hv = r.VarInt();
            if (hv >= 0) r.Raw(hv);
        }
        return r.Remaining == 0;
    }

    private static void AppendBinary(ColumnVector column, bool present, ReadOnlySpan<byte> bytes)
    {
        if (!present) column.AppendNull();
        else ((BinaryVector)column).Append(bytes);
    }

    private static void AppendTimestamp(ColumnVector column, DataType type, long millis)
    {
        var units = type.Kind == TypeKind.BigInt ? millis : type.Precision > 6 ? millis * 1_000_000 : millis * 1000;
        ((PrimitiveVector<long>)column).Append(units);
    }

    /// <summary>Schemaless table without a key: raw bytes in, no conversion.</summary>
    private static short AppendRaw(KafkaTopicLayout layout, ColumnVector[] columns, bool hasKey, ReadOnlySpan<byte> key, bool hasValue, ReadOnlySpan<byte> value, bool hasHeaders, ReadOnlySpan<byte> headers, long timestamp)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            if (c == layout.ValueColumn) AppendBinary(columns[c], hasValue, value);
            else if (c == layout.KeyColumn) AppendBinary(columns[c], hasKey, key);
            else if (c == layout.HeadersColumn) AppendBinary(columns[c], hasHeaders, headers);
            else if (c == layout.TimestampColumn) AppendTimestamp(columns[c], layout.Types[c], timestamp);
            else if (layout.Types[c].Nullable) columns[c].AppendNull();
            else return KafkaErrors.InvalidRecord;
        }
        return KafkaErrors.None;
    }

    /// <summary>A JSON value of a topic without key columns: straight into the vectors when it can, else the general way.</summary>
    private static short AppendJson(JsonRowDecoder json, KafkaTopicLayout layout, ColumnVector[] columns, bool hasKey, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool hasHeaders, ReadOnlySpan<byte> headers, long timestamp) =>
        json.TryAppend(value, columns) switch
        {
            JsonRowDecoder.Outcome.Appended => KafkaErrors.None,
            JsonRowDecoder.Outcome.Invalid => KafkaErrors.InvalidRecord,
            _ => AppendConverted(layout, columns, hasKey, key, true, value, hasHeaders, headers, timestamp),
        };

    /// <summary>JSON values and/or key columns: converted as SQL would on assignment.</summary>
    internal static short AppendConverted(KafkaTopicLayout layout, ColumnVector[] columns, bool hasKey, ReadOnlySpan<byte> key, bool hasValue, ReadOnlySpan<byte> value, bool hasHeaders, ReadOnlySpan<byte> headers, long timestamp)
    {
        var row = new object?[columns.Length];
        if (layout.IsSchemaless)
        {
            if (hasValue) row[layout.ValueColumn] = value.ToArray();
            if (layout.KeyColumn >= 0 && hasKey) row[layout.KeyColumn] = key.ToArray();
            if (layout.HeadersColumn >= 0 && hasHeaders) row[layout.HeadersColumn] = headers.ToArray();
        }
        else if (hasValue && !JsonFields(value, layout, row)) return KafkaErrors.InvalidRecord;
        if (layout.IsKeyed)
        {
            if (!hasKey) return layout.IsSchemaless || hasValue ? CheckKeySet(layout, row) : KafkaErrors.InvalidRecord;
            if (!KeyFields(key, layout, row)) return KafkaErrors.InvalidRecord;
        }
        try
        {
            for (var c = 0; c < columns.Length; c++)
            {
                if (c == layout.TimestampColumn && row[c] is null) AppendTimestamp(columns[c], layout.Types[c], timestamp);
                else if (row[c] is null && !layout.Types[c].Nullable) return KafkaErrors.InvalidRecord;
                else ValueConverter.AppendClr(columns[c], row[c]);
            }
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException or TarnException)
        {
            return KafkaErrors.InvalidRecord;
        }
        return KafkaErrors.None;
    }

    private static short CheckKeySet(KafkaTopicLayout layout, object?[] row)
    {
        foreach (var k in layout.KeyColumns)
            if (row[k] is null) return KafkaErrors.InvalidRecord;
        return KafkaErrors.None;
    }

    /// <summary>The record key into the key columns: raw bytes / text for one key column, else a JSON object by column name.</summary>
    private static bool KeyFields(ReadOnlySpan<byte> key, KafkaTopicLayout layout, object?[] row)
    {
        if (layout.KeyColumns.Length == 1)
        {
            var k = layout.KeyColumns[0];
            if (layout.Types[k].IsBinary)
            {
                row[k] = key.ToArray();
                return true;
            }
            if (key.Length > 0 && key[0] == (byte)'{')
            {
                var fields = new object?[row.Length];
                if (JsonFields(key, layout, fields) && fields[k] is not null)
                {
                    row[k] = fields[k];
                    return true;
                }
            }
            if (!System.Text.Unicode.Utf8.IsValid(key)) return false;
            var text = Encoding.UTF8.GetString(key);
            row[k] = layout.Types[k].IsString ? text : text.Trim('"');
            return true;
        }
        var values = new object?[row.Length];
        if (!JsonFields(key, layout, values)) return false;
        foreach (var k in layout.KeyColumns)
        {
            if (values[k] is null) return false;
            row[k] = values[k];
        }
        return true;
    }

    /// <summary>A JSON object's fields into <paramref name="row"/> by column name; false when it is not an object.</summary>
    private static bool JsonFields(ReadOnlySpan<byte> json, KafkaTopicLayout layout, object?[] row)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var c = layout.ColumnIndex(prop.Name);
                if (c < 0) continue;
                row[c] = prop.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String => layout.Types[c].IsBinary ? Convert.FromBase64String(prop.Value.GetString()!) : prop.Value.GetString(),
                    JsonValueKind.Number => prop.Value.TryGetInt64(out var l) ? l : prop.Value.TryGetDecimal(out var m) && layout.Types[c].Kind == TypeKind.Decimal ? m : prop.Value.GetDouble(),
                    _ => prop.Value.GetRawText(),
                };
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // not JSON, invalid UTF-8 inside a string (InvalidOperation), a number no double can hold (Format)
            return false;
        }
    }
}
