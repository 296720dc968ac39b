using Tarn.Catalog.Model;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Kafka;
using Tarn.Connectors.Sinks;
using Tarn.Connectors.Sqlite;
using Tarn.Execution;
using Tarn.Storage.Tables;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>What a connector sink can consume from a streaming query.</summary>
public enum SinkChanges
{
    /// <summary>Inserts only (an append-only target: a Kafka topic, files).</summary>
    InsertOnly,

    /// <summary>Upserts and deletes by the table's primary key, inserts only without one (a database table).</summary>
    UpsertByPrimaryKey,

    /// <summary>Any change, written as it is (print, blackhole).</summary>
    All,
}

/// <summary>
/// Writes rows into connector tables: the rows of a batch INSERT (<see cref="Write"/>; <c>filesystem</c> tables in csv,
/// json or parquet, print, blackhole), and a streaming job's
/// changes (<see cref="OpenJobSink"/>, see <see cref="IConnectorSink"/>).
/// </summary>
public static class ConnectorSinks
{
    /// <summary>True when <paramref name="table"/>'s connector can be written in batch.</summary>
    public static bool CanWrite(TableDef table) =>
        FileSystemTable.Is(table) || IsBlackhole(table) || PrintSink.Is(table) || SqliteTable.Is(table) || KafkaTable.IsAny(table);

    /// <summary>True when a streaming job can write <paramref name="table"/>.</summary>
    public static bool CanStream(TableDef table) => IsBlackhole(table) || PrintSink.Is(table) || SqliteTable.Is(table) || KafkaTable.IsAny(table) || FileSystemTable.Is(table);

    public static bool IsBlackhole(TableDef table) => string.Equals(table.Connector, "blackhole", StringComparison.OrdinalIgnoreCase);

    /// <summary>The changes a streaming job may send to the table's connector.</summary>
    public static SinkChanges Accepts(TableDef table) =>
        IsBlackhole(table) || PrintSink.Is(table) ? SinkChanges.All
        : SqliteTable.Is(table) ? SinkChanges.UpsertByPrimaryKey
        : KafkaTable.IsAny(table) ? KafkaSinks.Accepts(table)
        : SinkChanges.InsertOnly;

    /// <summary>Checks, when a job is submitted and when it starts, that the sink's target exists and fits the table.</summary>
    public static void ValidateJobSink(TableDef table)
    {
        if (!CanStream(table))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"a streaming job cannot write to table '{table.Name}' (connector '{table.Connector}') yet");
        if (SqliteTable.Is(table)) SqliteSink.Validate(table);
        if (KafkaTable.IsAny(table)) KafkaSinks.Validate(table);
    }

    /// <summary>Opens the connector side of a job's sink, recovering staged epochs up to <see cref="SinkContext.CommittedEpoch"/>.</summary>
    public static IConnectorSink OpenJobSink(TableDef table, SinkContext context)
    {
        ValidateJobSink(table);
        if (PrintSink.Is(table)) return new PrintSink(table);
        if (SqliteTable.Is(table)) return new SqliteSink(table, context);
        if (KafkaTable.IsAny(table)) return KafkaSinks.OpenJobSink(table, context);
        if (FileSystemTable.Is(table)) return new FileSystemStreamingSink(table, context);
        return new BlackholeConnectorSink();
    }

    /// <summary>
    /// Drains <paramref name="source"/> into the table; returns the number of rows written. With
    /// <paramref name="overwrite"/> (INSERT OVERWRITE) a filesystem table's earlier files are replaced: all of them, or
    /// for a partitioned table those of the partitions written.
    /// </summary>
    public static long Write(TableDef table, IBatchOperator source, ExecutionContext context, bool overwrite = false)
    {
        if (!CanWrite(table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{table.Name}' uses connector '{table.Connector}', which this version cannot write yet");
        if (overwrite && !FileSystemTable.Is(table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"INSERT OVERWRITE is not supported for table '{table.Name}' (connector '{table.Connector}'); Flink supports it for filesystem tables only");
        if (IsBlackhole(table)) return Drain(source, context, null);
        if (KafkaTable.IsAny(table)) return KafkaSinks.Write(table, source, context);
        if (PrintSink.Is(table))
        {
            var print = new PrintSink(table);
            var rows = Drain(source, context, print);
            print.Print();
            return rows;
        }
        if (SqliteTable.Is(table)) return SqliteSink.Write(table, source, context);
        return FileSystemBatchSink.Write(table, source, context, overwrite);
    }

    private static long Drain(IBatchOperator source, ExecutionContext context, PrintSink? print)
    {
        long rows = 0;
        while (source.Next() is { } batch)
        {
            context.ThrowIfCanceled();
            if (print is not null)
                for (var r = 0; r < batch.RowCount; r++) print.Append(batch, r, RowKind.Insert);
            rows += batch.RowCount;
        }
        return rows;
    }

    /// <summary>Counts and discards.</summary>
    private sealed class BlackholeConnectorSink : IConnectorSink
    {
        public long PendingRows { get; private set; }
        public void Write(Execution.Streaming.ChangeBatch batch) => PendingRows += batch.RowCount;
        public void PreCommit(long epoch) { }
        public void Commit(long epoch) => PendingRows = 0;
        public void Discard() => PendingRows = 0;
        public void Dispose() { }
    }
}
