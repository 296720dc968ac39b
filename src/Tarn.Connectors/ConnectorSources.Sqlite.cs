using Tarn.Catalog.Model;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Sqlite;
using Tarn.Execution;
using Tarn.Execution.Lookup;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors;

/// <summary>
/// SQLite tables (<c>'connector' = 'sqlite'</c> or <c>'jdbc'</c> with a <c>jdbc:sqlite:</c> URL): batch scans with pushed
/// filters, and lookup joins; filesystem tables serve lookup joins too.
/// </summary>
public sealed partial class ConnectorSources
{
    public IBatchOperator? OpenBatch(LogicalConnectorScan scan, BoundExpression filter, ExecutionContext context) =>
        SqliteTable.Is(scan.Table) ? OpenSqliteBatch(scan, filter, context)
        : FileSystemTable.Is(scan.Table) && scan.Table.PartitionKeys.Count > 0 && CheckFileSystemScan(scan) ? OpenFileSystemBatch(scan, context, filter)
        : OpenBatch(scan, context);

    public ILookupSource? OpenLookup(TableDef table, LogicalPlan dim, IReadOnlyList<int> keyColumns, ExecutionContext context)
    {
        var what = SqliteTable.Is(table) ? "SQLite" : FileSystemTable.Is(table) ? "filesystem" : null;
        if (what is null) return null;
        // Computed columns (and conditions moved into the dimension's side) run over the rows the connector returns.
        if (ProjectedLookupSource.Split(dim, keyColumns) is not ({ } chain, var bottom, { } keys))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"a lookup join on {what} table '{table.Name}' must look rows up by stored columns, not computed ones");
        if (bottom is not LogicalConnectorScan scan)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"a lookup join on {what} table '{table.Name}' cannot run its dimension plan ({bottom.Describe()}) per lookup");
        ILookupSource source = SqliteTable.Is(table)
            ? new SqliteLookupSource(SqliteTable.From(table), table, PhysicalNames(scan), [.. scan.Columns.Select(c => c.Type)], keys, context.SessionTimeZone)
            : new FileSystemLookupSource(() => OpenBatch(scan, context)!, [.. scan.Columns.Select(c => c.Type)], keys);
        return chain.Count == 0 ? source : new ProjectedLookupSource(source, chain, keyColumns, context);
    }

    private static SqliteScanOperator OpenSqliteBatch(LogicalConnectorScan scan, BoundExpression? filter, ExecutionContext context)
    {
        var sqlite = SqliteTable.From(scan.Table);
        return new SqliteScanOperator(sqlite, scan.Table, PhysicalNames(scan), [.. scan.Columns.Select(c => c.Type)], filter, context);
    }

    /// <summary>The stored column read into each output column of <paramref name="scan"/>.</summary>
    private static List<string> PhysicalNames(LogicalConnectorScan scan)
    {
        var physical = scan.Table.Columns.Where(c => c.IsPhysical).Select(c => c.Name).ToList();
        return [.. scan.ColumnIndexes.Select(i => physical[i])];
    }
}
