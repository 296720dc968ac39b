using System.Text.Json;
using Tarn.Types;

namespace Tarn.Server.Kafka;

/// <summary>
/// How a topic's records map to its table's columns, learnt once per table definition (cached by
/// <see cref="KafkaTopics"/>, rebuilt after DDL):
/// <list type="bullet">
/// <item><b>Schemaless</b>: the table has a binary column <c>value</c> (what CreateTopics makes:
/// <c>key BYTES, value BYTES, headers BYTES, timestamp TIMESTAMP_LTZ(3)</c>). Key, value and headers are stored as raw
/// bytes (headers in their record-wire form) and fetched byte-identical; the record timestamp goes to
/// <c>timestamp</c> when present. Any other column is NULL.</item>
/// <item><b>JSON</b>: any other table. A record value is a JSON object whose fields map to the columns by name
/// (case-insensitive, missing fields NULL); fetched records carry the row as such an object. The event-time column
/// (the table's WATERMARK), when the value does not set it, takes the record timestamp, and fetched records carry
/// it as their timestamp; rows without one report their commit time (<see cref="CommitTimes"/>).</item>
/// </list>
/// With a PRIMARY KEY the record key sets the key columns (a JSON object, or the raw bytes / UTF-8 text for a single
/// key column), writes are upserts by the table's merge engine, and a null value deletes the key (tombstone).
/// </summary>
internal sealed class KafkaTopicLayout
{
    public KafkaTopicLayout(TarnTableWriter writer)
    {
        Writer = writer;
        var schema = writer.Schema;
        Names = new string[schema.Count];
        Types = new DataType[schema.Count];
        JsonNames = new JsonEncodedText[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            Names[c] = schema[c].Name;
            Types[c] = schema[c].Type;
            JsonNames[c] = JsonEncodedText.Encode(Names[c]);
        }
        ValueColumn = Find("value", t => t.IsBinary);
        if (ValueColumn >= 0)
        {
            KeyColumn = Find("key", t => t.IsBinary);
            HeadersColumn = Find("headers", t => t.IsBinary);
            TimestampColumn = Find("timestamp", t => t.IsTimestamp || t.Kind == TypeKind.BigInt);
        }
        else if (writer.Table.Watermark is { } watermark)
        {
            // a JSON topic's event-time column (the table's WATERMARK) takes the record timestamp when the value
            // has no such field, and gives it back on fetch
            TimestampColumn = Find(watermark.Column, t => t.IsTimestamp || t.Kind == TypeKind.BigInt);
        }
        KeyColumns = writer.PrimaryKeyIndexes;
        ChoosesOwnBucket = writer.BucketKeyIndexes.Length > 0 || KeyColumns.Length > 0;
        JsonDecoder = JsonRowDecoder.For(this);
    }

    private int Find(string name, Func<DataType, bool> accepts)
    {
        for (var c = 0; c < Names.Length; c++)
            if (string.Equals(Names[c], name, StringComparison.OrdinalIgnoreCase) && accepts(Types[c])) return c;
        return -1;
    }

    public TarnTableWriter Writer { get; }
    public string[] Names { get; }
    public DataType[] Types { get; }

    /// <summary>The column names as JSON property names, escaped once (fetches of JSON topics write them per record).</summary>
    public JsonEncodedText[] JsonNames { get; }
    public int ColumnCount => Names.Length;

    public bool IsSchemaless => ValueColumn >= 0;
    public int ValueColumn { get; }
    public int KeyColumn { get; } = -1;
    public int HeadersColumn { get; } = -1;
    public int TimestampColumn { get; } = -1;

    /// <summary>Primary-key column indexes (empty: no key; records are appended).</summary>
    public int[] KeyColumns { get; }

    public bool IsKeyed => KeyColumns.Length > 0;

    /// <summary>Rows go to the bucket their key hashes to (Tarn's rule), not to the partition the client chose.</summary>
    public bool ChoosesOwnBucket { get; }

    /// <summary>The Utf8JsonReader fast path for this topic's JSON values (null: every record takes the general path).</summary>
    public JsonRowDecoder? JsonDecoder { get; }

    public int ColumnIndex(string name)
    {
        for (var c = 0; c < Names.Length; c++)
            if (string.Equals(Names[c], name, StringComparison.OrdinalIgnoreCase)) return c;
        return -1;
    }
}
