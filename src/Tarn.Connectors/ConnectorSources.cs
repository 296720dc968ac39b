using Tarn.Catalog.Model;
using Tarn.Connectors.DataGen;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Generators;
using Tarn.Connectors.Kafka;
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
        if (KafkaTable.IsAny(scan.Table)) return KafkaConnector.OpenBatch(scan, context);
        ConnectorMetadata.RejectMetadataColumns(scan);
        if (SqliteTable.Is(scan.Table)) return OpenSqliteBatch(scan, null, context);
        if (NexmarkTable.Is(scan.Table)) return OpenNexmarkBatch(scan, context);
        if (DataGenTable.Is(scan.Table)) return OpenDataGenBatch(scan, context);
        if (!FileSystemTable.Is(scan.Table)) return null;
        CheckFileSystemScan(scan);
        return OpenFileSystemBatch(scan, context);
    }

    /// <summary>What a filesystem table cannot be read with (always true otherwise).</summary>
    private static bool CheckFileSystemScan(LogicalConnectorScan scan)
    {
        ConnectorMetadata.RejectMetadataColumns(scan);
        if (ColumnLeaves.HasRows(scan.Table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem table '{scan.Path}' has ROW columns, which this version cannot read from files at {scan.Position}", scan.Position);
        return true;
    }

    public IStreamSource? OpenStream(LogicalConnectorScan scan, ExecutionContext context)
    {
        if (KafkaTable.IsAny(scan.Table)) return KafkaConnector.OpenStream(scan, context);
        ConnectorMetadata.RejectMetadataColumns(scan);
        if (DataGenTable.Is(scan.Table))
        {
            var datagen = DataGenTable.From(scan.Table);
            return new GeneratorStreamSource(datagen.Generator(scan.ColumnIndexes), datagen.Pacing, "datagen");
        }
        if (!NexmarkTable.Is(scan.Table)) return null;
        var table = NexmarkTable.From(scan.Table);
        return new GeneratorStreamSource(table.Generator(scan.ColumnIndexes), table.Pacing, "nexmark");
    }

    /// <summary>A batch query reads all rows of a bounded datagen table at full speed (rows-per-second paces streams only).</summary>
    private static GeneratorScanOperator OpenDataGenBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        var table = DataGenTable.From(scan.Table);
        var limit = table.Limit ?? throw new TarnException(SqlStates.FeatureNotSupported,
            $"datagen table '{scan.Path}' is unbounded; a batch query needs 'number-of-rows' or a sequence field at {scan.Position}", scan.Position);
        var generator = table.Generator(scan.ColumnIndexes);
        return new GeneratorScanOperator(() => generator, limit, context); // stateless: batches may share it
    }

    /// <summary>A batch query reads all events of a bounded nexmark table; an unbounded one can only be followed as a stream.</summary>
    private static GeneratorScanOperator OpenNexmarkBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        var table = NexmarkTable.From(scan.Table);
        var limit = table.Options.Limit ?? throw new TarnException(SqlStates.FeatureNotSupported,
            $"nexmark table '{scan.Path}' is unbounded ('events.num' is 0 or absent); a batch query needs 'events.num' (or 'stop-at') at {scan.Position}", scan.Position);
        return new GeneratorScanOperator(() => table.Generator(scan.ColumnIndexes), limit, context);
    }
}
