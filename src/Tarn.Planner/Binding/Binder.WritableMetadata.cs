using Tarn.Catalog.Model;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A metadata column an INSERT writes (Flink's writable metadata): a persisted (not VIRTUAL) <c>timestamp</c>
    /// column of a kafka or upsert-kafka table sets the record's timestamp. Other metadata is read-only and skipped.
    /// </summary>
    internal static bool IsWritableMetadata(TableDef table, ColumnDef column) =>
        column is { IsMetadata: true, IsVirtual: false }
        && (column.MetadataKey ?? column.Name) == "timestamp"
        && (string.Equals(table.Connector, "kafka", StringComparison.OrdinalIgnoreCase) || string.Equals(table.Connector, "upsert-kafka", StringComparison.OrdinalIgnoreCase));
}
