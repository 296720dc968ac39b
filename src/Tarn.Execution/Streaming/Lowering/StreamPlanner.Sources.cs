using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.Sources;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// A native table as a stream input. A primary-key table's log carries upserts as bare +I rows, so its rows pass a
    /// <see cref="StreamChangelogNormalize"/> keyed by the primary key (read even when the query does not use it) that
    /// turns them into -U/+U pairs: without it a filter, join or aggregate would keep the replaced row.
    /// </summary>
    private void AddTableInput(LogicalScan scan, IChangeConsumer output)
    {
        var columnIds = new List<int>(scan.ColumnIds);
        var types = new List<DataType>(scan.Columns.Count);
        foreach (var c in scan.Columns) types.Add(c.Type);
        var entry = output;
        var primaryKey = scan.Table.PrimaryKey;
        if (primaryKey.Count > 0)
        {
            var keyColumns = new int[primaryKey.Count];
            for (var i = 0; i < keyColumns.Length; i++)
            {
                var column = scan.Table.FindColumn(primaryKey[i])
                    ?? throw new InvalidOperationException($"primary key column '{primaryKey[i]}' of '{scan.Path}' is not in the table");
                var index = columnIds.IndexOf(column.Id);
                if (index < 0)
                {
                    index = columnIds.Count;
                    columnIds.Add(column.Id);
                    types.Add(column.Type);
                }
                keyColumns[i] = index;
            }
            entry = new StreamChangelogNormalize(keyColumns, scan.ColumnIds.Count, state.ForNextOperator(), output);
        }
        // Flink's 'values' test tables are bounded: a job reads the rows present when it starts, then finishes.
        var bounded = string.Equals(scan.Table.Connector, "values", StringComparison.OrdinalIgnoreCase);
        _inputs.Add(new StreamInput(new TableStreamSource(storage, scan.Table.TableId, columnIds, types, TableStart, bounded), entry, $"table {scan.Path}"));
    }
}
