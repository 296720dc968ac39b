using Tarn.Catalog.Model;
using Tarn.Connectors.FileSystem;
using Tarn.Execution;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>Writes the rows of an INSERT into a connector table (<c>filesystem</c> tables in csv, json or parquet, and <c>blackhole</c>).</summary>
public static class ConnectorSinks
{
    /// <summary>True when <paramref name="table"/>'s connector can be written in batch.</summary>
    public static bool CanWrite(TableDef table) =>
        string.Equals(table.Connector, "filesystem", StringComparison.OrdinalIgnoreCase) || IsBlackhole(table);

    public static bool IsBlackhole(TableDef table) => string.Equals(table.Connector, "blackhole", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Drains <paramref name="source"/> into the table; returns the number of rows written. With
    /// <paramref name="overwrite"/> (INSERT OVERWRITE) a filesystem table's earlier files are replaced: all of them, or
    /// for a partitioned table those of the partitions written.
    /// </summary>
    public static long Write(TableDef table, IBatchOperator source, ExecutionContext context, bool overwrite = false)
    {
        if (!CanWrite(table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{table.Name}' uses connector '{table.Connector}', which this version cannot write yet");
        if (IsBlackhole(table))
        {
            long rows = 0;
            while (source.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                rows += batch.RowCount;
            }
            return rows;
        }
        return FileSystemBatchSink.Write(table, source, context, overwrite);
    }
}
