using Tarn.Connectors.FileSystem;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>Filesystem tables (csv, json, parquet; partitioned by directories) as batch sources.</summary>
public sealed partial class ConnectorSources
{
    /// <summary>A scan of the table's files; with a <paramref name="filter"/>, partition directories it excludes are skipped.</summary>
    private static FileSystemScanOperator OpenFileSystemBatch(LogicalConnectorScan scan, ExecutionContext context, BoundExpression? filter = null)
    {
        var fs = FileSystemTable.From(scan.Table);
        var physical = scan.Table.Columns.Where(c => c.IsPhysical).ToList();
        // the files hold the physical columns that are not partition keys, in declaration order
        var dataOfPhysical = new int[physical.Count];
        var dataNames = new List<string>();
        var dataTypes = new List<DataType>();
        for (var i = 0; i < physical.Count; i++)
        {
            var key = PartitionKeyIndex(fs, physical[i].Name);
            if (key >= 0) { dataOfPhysical[i] = ~key; continue; }
            dataOfPhysical[i] = dataNames.Count;
            dataNames.Add(physical[i].Name);
            dataTypes.Add(physical[i].Type);
        }
        var outputSource = new int[scan.ColumnIndexes.Count];
        for (var i = 0; i < outputSource.Length; i++) outputSource[i] = dataOfPhysical[scan.ColumnIndexes[i]];
        var outputTypes = scan.Columns.Select(c => c.Type).ToList();
        var files = fs.ListFiles();
        if (filter is not null && fs.PartitionKeys.Count > 0) files = PartitionPruner.Prune(fs, files, filter, outputSource, outputTypes, context);
        return new FileSystemScanOperator(fs, files, dataNames, dataTypes, outputSource, outputTypes, context);
    }

    private static int PartitionKeyIndex(FileSystemTable table, string column)
    {
        for (var k = 0; k < table.PartitionKeys.Count; k++)
            if (string.Equals(table.PartitionKeys[k], column, StringComparison.OrdinalIgnoreCase)) return k;
        return -1;
    }
}
