using Tarn.Catalog.Model;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Nexmark;
using Tarn.Connectors.Sqlite;
using Tarn.Execution;
using Tarn.Execution.Lookup;
using Tarn.Execution.Sources;
using Tarn.Execution.Streaming;
using Tarn.Planner.Logical;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>The batch readers of the connectors this version can read (see <see cref="ConnectorRegistry"/>).</summary>
public sealed partial class ConnectorSources : IConnectorSources, IConnectorLookupSources, IConnectorFilterPushdown
{
    public static readonly ConnectorSources Instance = new();

    public IBatchOperator? OpenBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        if (SqliteTable.Is(scan.Table)) return OpenSqliteBatch(scan, null, context);
        if (NexmarkTable.Is(scan.Table)) return OpenNexmarkBatch(scan, context);
        if (!string.Equals(scan.Table.Connector, "filesystem", StringComparison.OrdinalIgnoreCase)) return null;
        if (ColumnLeaves.HasRows(scan.Table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem table '{scan.Path}' has ROW columns, which CSV files cannot hold at {scan.Position}", scan.Position);
        var fs = FileSystemTable.From(scan.Table);
        var physical = scan.Table.Columns.Where(c => c.IsPhysical).Select(c => c.Name).ToList();
        var outputOfField = new int[physical.Count];
        Array.Fill(outputOfField, -1);
        for (var i = 0; i < scan.ColumnIndexes.Count; i++) outputOfField[scan.ColumnIndexes[i]] = i;
        return new CsvScanOperator(fs.ListFiles(), fs.Csv, physical, outputOfField, scan.Columns.Select(c => c.Type).ToList(), context);
    }

    public IStreamSource? OpenStream(LogicalConnectorScan scan, ExecutionContext context)
    {
        if (!NexmarkTable.Is(scan.Table)) return null;
        return new NexmarkStreamSource(NexmarkTable.From(scan.Table).Generator(scan.ColumnIndexes));
    }

    /// <summary>A batch query reads all events of a bounded nexmark table; an unbounded one can only be followed as a stream.</summary>
    private static NexmarkScanOperator OpenNexmarkBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        var table = NexmarkTable.From(scan.Table);
        var limit = table.Options.Limit ?? throw new TarnException(SqlStates.FeatureNotSupported,
            $"nexmark table '{scan.Path}' is unbounded ('events.num' is 0 or absent); a batch query needs 'events.num' (or 'stop-at') at {scan.Position}", scan.Position);
        return new NexmarkScanOperator(() => table.Generator(scan.ColumnIndexes), limit, context);
    }
}
