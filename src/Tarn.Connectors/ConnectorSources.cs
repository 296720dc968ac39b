using Tarn.Connectors.FileSystem;
using Tarn.Execution;
using Tarn.Execution.Sources;
using Tarn.Planner.Logical;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>The batch readers of the connectors this version can read (see <see cref="ConnectorRegistry"/>).</summary>
public sealed class ConnectorSources : IConnectorSources
{
    public static readonly ConnectorSources Instance = new();

    public IBatchOperator? OpenBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        if (!string.Equals(scan.Table.Connector, "filesystem", StringComparison.OrdinalIgnoreCase)) return null;
        var fs = FileSystemTable.From(scan.Table);
        var physical = scan.Table.Columns.Where(c => c.IsPhysical).Select(c => c.Name).ToList();
        var outputOfField = new int[physical.Count];
        Array.Fill(outputOfField, -1);
        for (var i = 0; i < scan.ColumnIndexes.Count; i++) outputOfField[scan.ColumnIndexes[i]] = i;
        return new CsvScanOperator(fs.ListFiles(), fs.Csv, physical, outputOfField, scan.Columns.Select(c => c.Type).ToList(), context);
    }
}
