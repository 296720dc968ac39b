using Tarn.Execution;
using Tarn.Execution.Streaming;
using Tarn.Planner.Logical;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Kafka;

/// <summary>Opens kafka tables for <see cref="ConnectorSources"/>: streams always, batch reads only when bounded.</summary>
internal static class KafkaConnector
{
    public static IStreamSource OpenStream(LogicalConnectorScan scan, ExecutionContext context) =>
        new KafkaStreamSource(KafkaTable.From(scan.Table), scan.ColumnIndexes, context.SessionTimeZone, context.BatchSize);

    public static IBatchOperator OpenBatch(LogicalConnectorScan scan, ExecutionContext context)
    {
        var table = KafkaTable.From(scan.Table);
        if (table.IsChangelog)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"kafka table '{scan.Path}' reads the changelog format '{table.Options.ValueFormat}', which only a streaming query can apply at {scan.Position}", scan.Position);
        if (!table.Options.IsBounded)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"kafka table '{scan.Path}' is unbounded; a batch query needs 'scan.bounded.mode' (latest-offset, group-offsets, timestamp or specific-offsets), or run it as a stream (SET 'execution.runtime-mode' = 'streaming') at {scan.Position}", scan.Position);
        return new KafkaScanOperator(new KafkaStreamSource(table, scan.ColumnIndexes, context.SessionTimeZone, context.BatchSize), context);
    }
}
