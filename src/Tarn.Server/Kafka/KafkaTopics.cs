using System.Buffers;
using System.Text.Json;
using Tarn.Storage.Scans;

namespace Tarn.Server.Kafka;

/// <summary>
/// Topics are native tables: <c>database.table</c>, or a table of the session's default database. Partitions are the
/// table's buckets, offsets the bucket offsets. A record value is a JSON object whose fields map to the table's columns
/// by name (case-insensitive; missing fields are NULL); fetched records carry the row as such a JSON object.
/// </summary>
internal sealed class KafkaTopics(TarnDatabase database)
{
    private readonly TarnDatabase _db = database;

    public TarnDatabase Database => _db;

    /// <summary>Topic names we accept: letters, digits, '_' and at most one '.' between database and table.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 249) return false;
        var dots = 0;
        foreach (var c in name)
        {
            if (c == '.') dots++;
            else if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return dots <= 1 && name[0] != '.' && name[^1] != '.';
    }

    private static string Quote(string topic)
    {
        var parts = topic.Split('.');
        return string.Join('.', Array.ConvertAll(parts, p => "`" + p + "`"));
    }

    /// <summary>Next offset per partition, or null when the topic is not a native table.</summary>
    public long[]? HighWatermarks(string topic)
    {
        if (!IsValidName(topic)) return null;
        try
        {
            var positions = _db.OpenStream(topic, StreamStart.Latest).Positions;
            var result = new long[positions.Count];
            for (var i = 0; i < result.Length; i++) result[i] = positions[i];
            return result;
        }
        catch (TarnException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync()
    {
        var result = await _db.ExecuteAsync("SHOW TABLES").ConfigureAwait(false);
        var names = new List<string>();
        foreach (var row in result.Rows)
            if (row[0] is string name && IsValidName(name) && HighWatermarks(name) is not null) names.Add(name);
        return names;
    }

    private async Task<IReadOnlyList<TarnColumn>> ColumnsAsync(string topic)
    {
        var result = await _db.ExecuteAsync($"SELECT * FROM {Quote(topic)} LIMIT 0").ConfigureAwait(false);
        return result.Columns;
    }

    /// <summary>
    /// Appends the records' JSON values as rows and waits until they are committed (durable). Returns a Kafka error code;
    /// on error nothing is stored.
    /// </summary>
    public async Task<short> AppendAsync(string topic, List<KafkaRecord> records)
    {
        if (records.Count == 0) return KafkaErrors.None;
        var columns = await ColumnsAsync(topic).ConfigureAwait(false);
        var rows = new object?[records.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = ToRow(records[i].Value, columns);
            if (row is null) return KafkaErrors.InvalidRecord;
            rows[i] = row;
        }
        var appender = _db.CreateAppender(topic, chunkRows: Math.Max(rows.Length + 1, 1024));
        try
        {
            foreach (var row in rows) appender.AppendRow(row);
        }
        catch (TarnException)
        {
            // Not disposed on purpose: disposing would commit the rows appended so far; the buffers are simply dropped.
            return KafkaErrors.InvalidRecord;
        }
        await appender.DisposeAsync().ConfigureAwait(false);
        return KafkaErrors.None;
    }

    private static object?[]? ToRow(byte[]? value, IReadOnlyList<TarnColumn> columns)
    {
        if (value is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(value);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var row = new object?[columns.Count];
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    if (!string.Equals(columns[c].Name, prop.Name, StringComparison.OrdinalIgnoreCase)) continue;
                    row[c] = prop.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.String => prop.Value.GetString(),
                        JsonValueKind.Number => prop.Value.TryGetInt64(out var l) ? l : prop.Value.GetDouble(),
                        _ => prop.Value.GetRawText(),
                    };
                    break;
                }
            }
            return row;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes one RecordBatch with the rows of <paramref name="partition"/> from <paramref name="offset"/> on, at most
    /// about <paramref name="maxBytes"/> (at least one row). Returns false when there is nothing to return.
    /// </summary>
    public async Task<bool> ReadBatchAsync(string topic, int partition, long offset, long[] highWatermarks, int maxBytes, KafkaWriter target)
    {
        if (offset >= highWatermarks[partition]) return false;
        var start = (long[])highWatermarks.Clone();
        start[partition] = offset;
        var reader = _db.OpenStream(topic, StreamStart.AtOffsets(start));
        var columns = await ColumnsAsync(topic).ConfigureAwait(false);
        var batch = reader.TryRead();
        if (batch is null || batch.Bucket != partition || batch.Rows.RowCount == 0) return false;
        var rows = batch.Rows;
        var offsetColumn = rows.ColumnCount - 2;
        var names = new string[Math.Min(columns.Count, offsetColumn)];
        for (var c = 0; c < names.Length; c++) names[c] = columns[c].Name;

        var writer = new RecordBatchWriter(target);
        var begin = target.Length;
        var firstOffset = Convert.ToInt64(rows[offsetColumn].GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        writer.Begin(firstOffset, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var json = new ArrayBufferWriter<byte>(256);
        for (var r = 0; r < rows.RowCount; r++)
        {
            json.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(json))
            {
                w.WriteStartObject();
                for (var c = 0; c < names.Length; c++)
                {
                    w.WritePropertyName(names[c]);
                    WriteValue(w, rows[c].GetValue(r));
                }
                w.WriteEndObject();
            }
            var rowOffset = Convert.ToInt64(rows[offsetColumn].GetValue(r), System.Globalization.CultureInfo.InvariantCulture);
            writer.Add(rowOffset, default, hasKey: false, json.WrittenSpan);
            if (target.Length - begin >= maxBytes) break;
        }
        writer.End();
        return true;
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case short s: w.WriteNumberValue(s); break;
            case sbyte sb: w.WriteNumberValue(sb); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case string s: w.WriteStringValue(s); break;
            case byte[] bytes: w.WriteBase64StringValue(bytes); break;
            case DateTime dt: w.WriteStringValue(dt); break;
            case DateTimeOffset dto: w.WriteStringValue(dto); break;
            default: w.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""); break;
        }
    }
}
