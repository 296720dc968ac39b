using Tarn.Catalog.Model;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// The changelog mode of a connector table read as a stream, from its options alone (lowering does not know the
/// connector implementations): a table whose (value) format is a changelog format — debezium-json, canal-json,
/// maxwell-json, ogg-json — emits inserts, updates (-U/+U) and deletes; every other connector table only inserts.
/// </summary>
public static class ConnectorChangelog
{
    private static readonly string[] ChangelogFormats = ["debezium-json", "canal-json", "maxwell-json", "ogg-json", "debezium-avro-confluent"];

    public static ChangelogMode ModeOf(TableDef table)
    {
        if (IsUpsert(table)) return ChangelogMode.All; // normalized by the primary key (StreamPlanner.Upsert.cs)
        var format = table.Options.TryGetValue("value.format", out var v) ? v
            : table.Options.TryGetValue("format", out var f) ? f
            : table.Options.TryGetValue("format.type", out var t) ? t : null;
        if (format is null) return ChangelogMode.InsertOnly;
        foreach (var name in ChangelogFormats)
            if (string.Equals(name, format, StringComparison.OrdinalIgnoreCase)) return ChangelogMode.All;
        return ChangelogMode.InsertOnly;
    }

    /// <summary>An upsert source (<c>upsert-kafka</c>): each record is the new row of its primary key, a tombstone deletes it.</summary>
    public static bool IsUpsert(TableDef table) => string.Equals(table.Connector, "upsert-kafka", StringComparison.OrdinalIgnoreCase);
}
