using Tarn.Execution.Lowering;
using Tarn.Planner.Optimizer;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// INSERT OVERWRITE of a partitioned table inside a transaction: the staged version mixes partitions in its inline
/// parts, so the replaced partitions cannot be removed file by file as the committed path does. Instead the rows of
/// every other partition are copied next to the new rows and the whole table is replaced (copy-on-write); the result
/// is the same rows, written once more.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>Adds to <paramref name="builder"/> the rows of <paramref name="table"/> (as the transaction reads it) outside <paramref name="replaced"/>.</summary>
    private static void CopyOtherPartitions(TarnSession session, Catalog.ObjectPath path, TableVersion table, HashSet<PartitionKey> replaced,
        AppendBuilder builder, CancellationToken cancellation)
    {
        var layout = table.Layout;
        var columns = string.Join(", ", layout.Schema.Columns.Select(c => QuoteName(c.Name)));
        var plan = LogicalOptimizer.Optimize(BindDmlQuery(session, TarnParameters.None, $"SELECT {columns} FROM {QuotedPath(path)}"));
        var context = NewContext(session, cancellation);
        var router = new RowRouter(layout);
        var keys = new List<PartitionKey>();
        var index = new Dictionary<PartitionKey, int>();
        using var planner = new BatchPlanner(session.Core.Storage, context);
        using var op = planner.Lower(plan);
        var keep = new List<int>();
        while (op.Next() is { } batch)
        {
            context.ThrowIfCanceled();
            var ids = new int[batch.RowCount];
            router.RoutePartitions(batch, ids, keys, index);
            keep.Clear();
            for (var r = 0; r < batch.RowCount; r++)
                if (!replaced.Contains(keys[ids[r]])) keep.Add(r);
            if (keep.Count == batch.RowCount) builder.Add(batch);
            else if (keep.Count > 0)
            {
                var selection = keep.ToArray();
                var gathered = new ColumnVector[batch.ColumnCount];
                for (var c = 0; c < gathered.Length; c++) gathered[c] = batch.Columns[c].Gather(selection);
                builder.Add(new ColumnBatch(gathered, selection.Length));
            }
        }
    }
}
