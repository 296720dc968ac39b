using Tarn.Catalog.Model;
using Tarn.Connectors.Sinks;
using Tarn.Execution;
using Tarn.Execution.Streaming;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Kafka;

/// <summary>Opens kafka and upsert-kafka tables for writing, for <see cref="ConnectorSinks"/>.</summary>
internal static class KafkaSinks
{
    /// <summary>Checks that the table can be written: one topic, known sink options, writable formats.</summary>
    public static (KafkaTable Table, KafkaSinkOptions Options) Validate(TableDef table)
    {
        var kafka = KafkaTable.From(table);
        var options = KafkaSinkOptions.From(kafka);
        KafkaRecordEncoder.Validate(kafka);
        return (kafka, options);
    }

    /// <summary>What a streaming job may send: every change through a changelog value format, upserts by key for upsert-kafka, else inserts.</summary>
    public static SinkChanges Accepts(TableDef table)
    {
        if (KafkaTable.IsUpsertKafka(table)) return SinkChanges.UpsertByPrimaryKey;
        var format = table.Options.TryGetValue("value.format", out var v) ? v
            : table.Options.TryGetValue("format", out var f) ? f
            : table.Options.TryGetValue("format.type", out var t) ? t : null;
        return format is not null && Formats.RowFormats.IsChangelog(format) ? SinkChanges.All : SinkChanges.InsertOnly;
    }

    public static IConnectorSink OpenJobSink(TableDef table, SinkContext context)
    {
        var (kafka, options) = Validate(table);
        if (options.Guarantee != KafkaDeliveryGuarantee.ExactlyOnce) return new KafkaProducerSink(kafka, options);
        return new KafkaTransactionalSink(kafka, options, context, kafka.SinkLayout().Types);
    }

    /// <summary>
    /// A batch INSERT: produces every row and waits for all acknowledgements (a delivery error fails the statement).
    /// Records are produced outside a transaction whatever the delivery guarantee; a read_committed consumer sees them too.
    /// </summary>
    public static long Write(TableDef table, IBatchOperator source, ExecutionContext context)
    {
        var (kafka, options) = Validate(table);
        using var sink = new KafkaProducerSink(kafka, options with { Guarantee = KafkaDeliveryGuarantee.AtLeastOnce });
        long rows = 0;
        while (source.Next() is { } batch)
        {
            context.ThrowIfCanceled();
            sink.Write(new ChangeBatch(batch));
            rows += batch.RowCount;
        }
        sink.PreCommit(0);
        return rows;
    }
}
