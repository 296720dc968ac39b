using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaTopics
{
    /// <summary>
    /// Writes one RecordBatch with the rows of <paramref name="partition"/> from <paramref name="offset"/> on, at most
    /// about <paramref name="maxBytes"/> (at least one row), reading as many of the table's stream batches as fit.
    /// Schemaless topics give back key, value and headers byte-identical; JSON topics the row as an object; keyed
    /// tables the key from the key columns, -D rows as tombstones, and skip -U rows. Returns false when there is nothing.
    /// </summary>
    public bool ReadBatch(string topic, int partition, long offset, long[] highWatermarks, int maxBytes, KafkaWriter target)
    {
        var layout = Layout(topic);
        if (layout is null || offset >= highWatermarks[partition]) return false;
        var start = (long[])highWatermarks.Clone();
        start[partition] = offset;
        var reader = _db.OpenStream(topic, StreamStart.AtOffsets(start));
        var writer = new FetchBatchWriter(target);
        var begin = target.Length;
        var begun = false;
        var json = layout.IsSchemaless ? null : new ArrayBufferWriter<byte>(256);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (target.Length - begin < maxBytes)
        {
            var batch = reader.TryRead();
            if (batch is null) break;
            if (batch.Bucket != partition || batch.Rows.RowCount == 0) continue;
            var rows = batch.Rows;
            var offsets = rows.Columns[rows.ColumnCount - 2];
            for (var r = 0; r < rows.RowCount && target.Length - begin < maxBytes; r++)
            {
                var kind = batch.KindOf(r);
                if (kind == RowKind.UpdateBefore) continue;
                var rowOffset = offsets is PrimitiveVector<long> o ? o.Values[r] : Convert.ToInt64(offsets.GetValue(r), CultureInfo.InvariantCulture);
                if (!begun)
                {
                    writer.Begin(rowOffset);
                    begun = true;
                }
                var tombstone = kind == RowKind.Delete;
                if (layout.IsSchemaless) AddRaw(layout, rows, r, rowOffset, tombstone, now, writer);
                else AddJson(layout, rows, r, rowOffset, tombstone, now, json!, writer);
            }
        }
        if (!begun) return false;
        writer.End();
        return true;
    }

    private static bool TryBytes(ColumnVector column, int row, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (column.IsNull(row)) return false;
        switch (column)
        {
            case BinaryVector b:
                bytes = b.GetBytes(row);
                return true;
            case DictionaryVector d:
                if (d.Dictionary.IsNull(d.Codes[row])) return false;
                bytes = d.Dictionary.GetBytes(d.Codes[row]);
                return true;
            default:
                bytes = Encoding.UTF8.GetBytes(Convert.ToString(column.GetValue(row), CultureInfo.InvariantCulture) ?? "");
                return true;
        }
    }

    private static long TimestampOf(KafkaTopicLayout layout, ColumnBatch rows, int row, long fallback)
    {
        var c = layout.TimestampColumn;
        if (c < 0 || rows.Columns[c].IsNull(row) || rows.Columns[c] is not PrimitiveVector<long> v) return fallback;
        var type = layout.Types[c];
        var units = v.Values[row];
        return type.Kind == TypeKind.BigInt ? units : type.Precision > 6 ? units / 1_000_000 : units / 1000;
    }

    private static void AddRaw(KafkaTopicLayout layout, ColumnBatch rows, int r, long offset, bool tombstone, long now, FetchBatchWriter writer)
    {
        ReadOnlySpan<byte> key = default, value = default, headers = default;
        var hasKey = layout.KeyColumn >= 0 && TryBytes(rows.Columns[layout.KeyColumn], r, out key);
        var hasValue = !tombstone && TryBytes(rows.Columns[layout.ValueColumn], r, out value);
        if (layout.HeadersColumn >= 0) TryBytes(rows.Columns[layout.HeadersColumn], r, out headers);
        writer.Add(offset, TimestampOf(layout, rows, r, now), hasKey, key, hasValue, value, headers);
    }

    private static void AddJson(KafkaTopicLayout layout, ColumnBatch rows, int r, long offset, bool tombstone, long now, ArrayBufferWriter<byte> json, FetchBatchWriter writer)
    {
        byte[]? key = null;
        if (layout.IsKeyed) key = KeyBytes(layout, rows, r, json);
        var hasValue = !tombstone;
        if (hasValue)
        {
            json.ResetWrittenCount();
            using var w = new Utf8JsonWriter(json);
            w.WriteStartObject();
            for (var c = 0; c < layout.ColumnCount; c++)
            {
                w.WritePropertyName(layout.Names[c]);
                WriteValue(w, rows.Columns[c].GetValue(r));
            }
            w.WriteEndObject();
        }
        writer.Add(offset, now, key is not null, key, hasValue, hasValue ? json.WrittenSpan : default, default);
    }

    /// <summary>The record key from the key columns: one column as its raw bytes / text, several as a JSON object.</summary>
    private static byte[] KeyBytes(KafkaTopicLayout layout, ColumnBatch rows, int r, ArrayBufferWriter<byte> scratch)
    {
        if (layout.KeyColumns.Length == 1)
        {
            var column = rows.Columns[layout.KeyColumns[0]];
            if (TryBytes(column, r, out var bytes)) return bytes.ToArray();
            return [];
        }
        scratch.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(scratch))
        {
            w.WriteStartObject();
            foreach (var c in layout.KeyColumns)
            {
                w.WritePropertyName(layout.Names[c]);
                WriteValue(w, rows.Columns[c].GetValue(r));
            }
            w.WriteEndObject();
        }
        return scratch.WrittenSpan.ToArray();
    }
}
