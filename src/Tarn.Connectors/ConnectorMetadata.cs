using Tarn.Catalog.Model;
using Tarn.Planner.Logical;

namespace Tarn.Connectors;

/// <summary>
/// Metadata columns (<c>METADATA FROM '...'</c>) of connector tables: the binder places them after the physical
/// columns of a scan; connectors without metadata (everything but kafka so far) reject them when opened.
/// </summary>
internal static class ConnectorMetadata
{
    public static void RejectMetadataColumns(LogicalConnectorScan scan)
    {
        var physical = ColumnLeaves.Physical(scan.Table).Count;
        for (var i = 0; i < scan.ColumnIndexes.Count; i++)
            if (scan.ColumnIndexes[i] >= physical)
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"connector '{scan.Table.Connector}' has no metadata; column '{scan.Columns[i].Name}' of table '{scan.Path}' cannot be read at {scan.Position}", scan.Position);
    }
}
