namespace Tarn.Connectors;

/// <summary>What Tarn knows about a connector named in a table's WITH options.</summary>
public sealed record ConnectorInfo(string Name, bool Available, string Description);

/// <summary>
/// The connectors a table definition may name (<c>'connector' = '...'</c>, or the legacy <c>'connector.type'</c>).
/// A table with an unknown connector is rejected at CREATE TABLE; a known one that this version cannot run yet is
/// accepted into the catalog (so Flink scripts load unchanged) and fails with a clear error when read or written.
/// </summary>
public static class ConnectorRegistry
{
    private static readonly ConnectorInfo[] Known =
    [
        new("tarn", true, "a native Tarn table (the default when no connector is given)"),
        new("kafka", true, "external Kafka topics (source: json, csv, raw, debezium-json, canal-json)"),
        new("upsert-kafka", false, "external Kafka topics with upsert semantics"),
        new("jdbc", true, "JDBC tables: jdbc:sqlite: URLs (batch reads and lookup joins)"),
        new("sqlite", true, "tables of a SQLite database file (batch reads and lookup joins)"),
        new("values", true, "Flink's test connector: a table stored natively, filled by INSERT"),
        new("filesystem", true, "csv, json (lines) and parquet files, optionally partitioned by directories (batch reads and INSERT)"),
        new("datagen", true, "random or sequence data (seeded; bounded by 'number-of-rows' or a sequence, or unbounded)"),
        new("nexmark", true, "the Nexmark benchmark generator (seeded; bounded by 'events.num' or unbounded)"),
        new("print", true, "prints each change as +I[...] lines to standard output (or standard error)"),
        new("blackhole", true, "discards rows (for benchmarks)"),
        new("hive", false, "Hive tables (use native Tarn tables instead)"),
    ];

    public static IReadOnlyList<ConnectorInfo> All => Known;

    public static ConnectorInfo? Find(string name)
    {
        foreach (var c in Known)
            if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) return c;
        return null;
    }

    /// <summary>Checks a CREATE TABLE's connector option; throws 42704 for an unknown connector.</summary>
    public static ConnectorInfo Validate(string? connector)
    {
        if (connector is null) return Known[0];
        return Find(connector) ?? throw new TarnException(SqlStates.UndefinedObject,
            $"unknown connector '{connector}'; known connectors: {string.Join(", ", Known.Select(k => k.Name))}");
    }

    /// <summary>Checks what a connector can check of a new table at CREATE TABLE (its options and columns).</summary>
    public static void ValidateTable(Catalog.Model.TableDef table)
    {
        if (Sqlite.SqliteTable.Is(table)) Sqlite.SqliteTable.Validate(table);
        if (Nexmark.NexmarkTable.Is(table)) Nexmark.NexmarkTable.From(table);
        if (DataGen.DataGenTable.Is(table)) DataGen.DataGenTable.From(table);
        if (Kafka.KafkaTable.Is(table)) Kafka.KafkaTable.From(table);
        if (FileSystem.FileSystemTable.Is(table)) FileSystem.FileSystemTable.Validate(table);
    }
}
