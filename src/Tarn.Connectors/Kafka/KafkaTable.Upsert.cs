using Tarn.Catalog.Model;
using Tarn.Connectors.Formats;

namespace Tarn.Connectors.Kafka;

internal sealed partial class KafkaTable
{
    /// <summary>
    /// Flink's <c>upsert-kafka</c> rules, checked at CREATE TABLE: a PRIMARY KEY is required and is what the record key
    /// holds (so <c>key.fields</c> is not an option), <c>key.format</c> and <c>value.format</c> are required and plain
    /// (json, csv, raw), and a source always reads from the earliest offsets (the topic is the table's whole history).
    /// Returns the options as a kafka table with those settings.
    /// </summary>
    private static Dictionary<string, string> UpsertOptions(TableDef table)
    {
        string Owner() => $"upsert-kafka table '{table.Name}'";
        if (table.PrimaryKey.Count == 0)
            throw new TarnException(SqlStates.InvalidParameterValue, $"{Owner()} needs a PRIMARY KEY (...) NOT ENFORCED: the record key holds it");
        foreach (var key in (ReadOnlySpan<string>)["key.fields", "format", "scan.startup.mode", "scan.startup.specific-offsets", "scan.startup.timestamp-millis", "topic-pattern"])
            if (table.Options.ContainsKey(key))
                throw new TarnException(SqlStates.InvalidParameterValue, key switch
                {
                    "key.fields" => $"{Owner()}: the key fields are the PRIMARY KEY; remove 'key.fields'",
                    "format" => $"{Owner()}: give 'key.format' and 'value.format' instead of 'format'",
                    "topic-pattern" => $"{Owner()}: 'topic-pattern' is not supported; give 'topic'",
                    _ => $"{Owner()}: '{key}' is not an option of upsert-kafka, which always reads a topic from its earliest offsets",
                });
        foreach (var key in (ReadOnlySpan<string>)["key.format", "value.format"])
        {
            if (!table.Options.TryGetValue(key, out var format))
                throw new TarnException(SqlStates.InvalidParameterValue, $"{Owner()} needs '{key}'");
            if (RowFormats.IsChangelog(format))
                throw new TarnException(SqlStates.InvalidParameterValue, $"{Owner()}: '{key}' '{format}' is a changelog format; upsert-kafka uses json, csv or raw");
        }
        var options = new Dictionary<string, string>(table.Options, StringComparer.Ordinal)
        {
            ["key.fields"] = string.Join(';', table.PrimaryKey),
            ["scan.startup.mode"] = "earliest-offset",
        };
        return options;
    }

    /// <summary>The same table read with other options (a batch read of an upsert-kafka table stops at the latest offsets).</summary>
    public KafkaTable WithOptions(KafkaOptions options) => new(Table, options, Physical, Metadata, ValueFields, KeyFields);

    /// <summary>Physical positions of the primary key columns (the key fields of an upsert-kafka table).</summary>
    public IReadOnlyList<int> PrimaryKeyFields => KeyFields;
}
