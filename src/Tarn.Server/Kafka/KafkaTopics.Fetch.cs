using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaTopics
{
    /// <summary>
    /// Writes one RecordBatch with the rows of <paramref name="partition"/> from <paramref name="offset"/> on, at most
    /// about <paramref name="maxBytes"/> (at least one row) and below the high watermark the response reports, reading
    /// as many of the table's stream batches as fit. Continues from <paramref name="cursor"/> when the offset is where
    /// it left off (else opens a new one), and leaves in it the rows that did not fit. Schemaless topics give back key,
    /// value and headers byte-identical; JSON topics the row as an object; keyed tables the key from the key columns,
    /// -D rows as tombstones, and skip -U rows. Returns false when there is nothing.
    /// </summary>
    public bool ReadBatch(string topic, int partition, long offset, long[] highWatermarks, int maxBytes, KafkaWriter target, ref FetchCursor? cursor)
    {
        var layout = Layout(topic);
        var high = highWatermarks[partition];
        if (layout is null || offset >= high) return false;
        if (cursor is null || !ReferenceEquals(cursor.Layout, layout) || cursor.ExpectedOffset != offset)
        {
            var start = (long[])highWatermarks.Clone();
            start[partition] = offset;
            var reader = _db.OpenStream(topic, StreamStart.AtOffsets(start));
            var limit = (long[])start.Clone(); // read this partition only: the other buckets end where they start
            limit[partition] = long.MaxValue;
            reader.LimitTo(limit);
            cursor = new FetchCursor(layout, reader, offset);
        }
        var writer = new FetchBatchWriter(target);
        var begin = target.Length;
        var begun = false;
        var lastWritten = -1L;
        var json = layout.IsSchemaless ? null : new ArrayBufferWriter<byte>(256);
        using var jsonWriter = json is null ? null : new Utf8JsonWriter(json); // one per fetch, reset per row
        var commitTimes = new CommitTimes(layout.Writer.RetainedSnapshots, partition); // for rows without a stored timestamp
        var reachedHigh = false;
        while (!reachedHigh && target.Length - begin < maxBytes)
        {
            if (cursor.Pending is null || cursor.PendingRow >= cursor.Pending.Rows.RowCount)
            {
                cursor.Pending = null;
                var next = cursor.Reader.TryRead();
                if (next is null) break;
                if (next.Bucket != partition || next.Rows.RowCount == 0) continue;
                cursor.Pending = next;
                cursor.PendingRow = 0;
            }
            var batch = cursor.Pending;
            var rows = batch.Rows;
            var offsets = rows.Columns[rows.ColumnCount - 2];
            var r = cursor.PendingRow;
            for (; r < rows.RowCount && target.Length - begin < maxBytes; r++)
            {
                var rowOffset = offsets is PrimitiveVector<long> o ? o.Values[r] : Convert.ToInt64(offsets.GetValue(r), CultureInfo.InvariantCulture);
                if (rowOffset >= high)
                {
                    reachedHigh = true;
                    break;
                }
                var kind = batch.KindOf(r);
                if (kind == RowKind.UpdateBefore) continue;
                if (!begun)
                {
                    writer.Begin(rowOffset);
                    begun = true;
                }
                var tombstone = kind == RowKind.Delete;
                if (layout.IsSchemaless) AddRaw(layout, rows, r, rowOffset, tombstone, commitTimes, writer);
                else AddJson(layout, rows, r, rowOffset, tombstone, commitTimes, json!, jsonWriter!, writer);
                lastWritten = rowOffset;
            }
            cursor.PendingRow = r;
        }
        if (!begun) return false;
        writer.End();
        cursor.ExpectedOffset = lastWritten + 1;
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

    /// <summary>
    /// The record timestamp: the table's timestamp column (schemaless topics) or event-time column (JSON topics) when
    /// it has a value, which the produce path fills from the record; else the row's commit time.
    /// </summary>
    private static long TimestampOf(KafkaTopicLayout layout, ColumnBatch rows, int row, long offset, CommitTimes commitTimes)
    {
        var c = layout.TimestampColumn;
        if (c < 0 || rows.Columns[c].IsNull(row) || rows.Columns[c] is not PrimitiveVector<long> v) return commitTimes.MillisOf(offset);
        var type = layout.Types[c];
        var units = v.Values[row];
        return type.Kind == TypeKind.BigInt ? units : type.Precision > 6 ? units / 1_000_000 : units / 1000;
    }

    private static void AddRaw(KafkaTopicLayout layout, ColumnBatch rows, int r, long offset, bool tombstone, CommitTimes commitTimes, FetchBatchWriter writer)
    {
        ReadOnlySpan<byte> key = default, value = default, headers = default;
        var hasKey = layout.KeyColumn >= 0 && TryBytes(rows.Columns[layout.KeyColumn], r, out key);
        var hasValue = !tombstone && TryBytes(rows.Columns[layout.ValueColumn], r, out value);
        if (layout.HeadersColumn >= 0) TryBytes(rows.Columns[layout.HeadersColumn], r, out headers);
        writer.Add(offset, TimestampOf(layout, rows, r, offset, commitTimes), hasKey, key, hasValue, value, headers);
    }

    private static void AddJson(KafkaTopicLayout layout, ColumnBatch rows, int r, long offset, bool tombstone, CommitTimes commitTimes, ArrayBufferWriter<byte> json, Utf8JsonWriter w, FetchBatchWriter writer)
    {
        byte[]? key = null;
        if (layout.IsKeyed) key = KeyBytes(layout, rows, r, json);
        var hasValue = !tombstone;
        if (hasValue)
        {
            json.ResetWrittenCount();
            w.Reset(json);
            w.WriteStartObject();
            for (var c = 0; c < layout.ColumnCount; c++)
            {
                w.WritePropertyName(layout.JsonNames[c]);
                WriteJsonValue(w, layout.Types[c], rows.Columns[c], r);
            }
            w.WriteEndObject();
            w.Flush();
        }
        writer.Add(offset, TimestampOf(layout, rows, r, offset, commitTimes), key is not null, key, hasValue, hasValue ? json.WrittenSpan : default, default);
    }

    /// <summary>
    /// One column value as <see cref="Json.JsonValueWriter"/> writes it, read from the vector without boxing for the
    /// common types (integers, finite floats, booleans, VARCHAR as its stored UTF-8); other values go through it.
    /// </summary>
    private static void WriteJsonValue(Utf8JsonWriter w, DataType type, ColumnVector column, int r)
    {
        if (column.IsNull(r))
        {
            w.WriteNullValue();
            return;
        }
        switch (column)
        {
            case PrimitiveVector<long> l when type.Kind == TypeKind.BigInt: w.WriteNumberValue(l.Values[r]); return;
            case PrimitiveVector<int> i when type.Kind == TypeKind.Int: w.WriteNumberValue(i.Values[r]); return;
            case PrimitiveVector<double> d when double.IsFinite(d.Values[r]): w.WriteNumberValue(d.Values[r]); return;
            case PrimitiveVector<bool> b: w.WriteBooleanValue(b.Values[r]); return;
            case BinaryVector s when type.Kind == TypeKind.Varchar && Utf8.IsValid(s.GetBytes(r)): w.WriteStringValue(s.GetBytes(r)); return;
            case DictionaryVector dv when type.Kind == TypeKind.Varchar && !dv.Dictionary.IsNull(dv.Codes[r]) && Utf8.IsValid(dv.Dictionary.GetBytes(dv.Codes[r])):
                w.WriteStringValue(dv.Dictionary.GetBytes(dv.Codes[r]));
                return;
        }
        Json.JsonValueWriter.Write(w, column.GetValue(r));
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
                Json.JsonValueWriter.Write(w, rows.Columns[c].GetValue(r));
            }
            w.WriteEndObject();
        }
        return scratch.WrittenSpan.ToArray();
    }
}
