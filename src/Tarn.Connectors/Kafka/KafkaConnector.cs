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
        if (table.IsUpsert) return OpenUpsertBatch(table, scan, context);
        if (table.IsChangelog)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"kafka table '{scan.Path}' reads the changelog format '{table.Options.ValueFormat}', which only a streaming query can apply at {scan.Position}", scan.Position);
        if (!table.Options.IsBounded)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"kafka table '{scan.Path}' is unbounded; a batch query needs 'scan.bounded.mode' (latest-offset, group-offsets, timestamp or specific-offsets), or run it as a stream (SET 'execution.runtime-mode' = 'streaming') at {scan.Position}", scan.Position);
        return new KafkaScanOperator(new KafkaStreamSource(table, scan.ColumnIndexes, context.SessionTimeZone, context.BatchSize), context);
    }

    /// <summary>
    /// An upsert-kafka table in batch: its current contents (see <see cref="UpsertKafkaScanOperator"/>), read up to
    /// the latest offsets unless <c>scan.bounded.mode</c> says otherwise.
    /// </summary>
    private static IBatchOperator OpenUpsertBatch(KafkaTable table, LogicalConnectorScan scan, ExecutionContext context)
    {
        if (!table.Options.IsBounded)
            table = table.WithOptions(table.Options with { Bounded = new KafkaOffsetSpec<KafkaBoundedMode>(KafkaBoundedMode.LatestOffset, null, new Dictionary<int, long>()) });
        var columns = new List<int>(scan.ColumnIndexes);
        var keyColumns = new int[table.PrimaryKeyFields.Count];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            var at = columns.IndexOf(table.PrimaryKeyFields[k]);
            if (at < 0)
            {
                at = columns.Count;
                columns.Add(table.PrimaryKeyFields[k]);
            }
            keyColumns[k] = at;
        }
        var source = new KafkaStreamSource(table, columns, context.SessionTimeZone, context.BatchSize);
        return new UpsertKafkaScanOperator(source, keyColumns, scan.ColumnIndexes.Count, context);
    }
}
