using Tarn.Execution.Lowering;
using Tarn.Planner.Binding;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// INSERT OVERWRITE (storage-spec DB-032): one commit removes the replaced rows' files and inline parts and appends
/// the new rows. An unpartitioned table is replaced whole; a partitioned one loses the partition a full static
/// PARTITION clause names, plus every partition the query writes (dynamic partition overwrite, Flink/Paimon's default);
/// other partitions are untouched.
/// </summary>
internal static partial class StatementRunner
{
    private const int OverwriteAttempts = 16;

    private static async Task<TarnResult> RunOverwriteAsync(TarnSession session, InsertStatement statement, BoundInsert bound, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        var tableId = bound.Table.TableId;
        var plan = LogicalOptimizer.Optimize(bound.Source);
        var context = NewContext(session, cancellation);
        var table = ReadVersion(session, tableId);
        var layout = table.Layout;
        var unchanged = UnchangedSince(table);
        var router = new RowRouter(layout);
        var partitionKeys = new List<PartitionKey>();
        var partitionIndex = new Dictionary<PartitionKey, int>();
        using var builder = new AppendBuilder(storage, table);
        ColumnBatch? first = null;
        await Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, context);
            using var op = planner.Lower(plan);
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                first ??= batch;
                builder.Add(batch);
                if (layout.IsPartitioned) router.RoutePartitions(batch, new int[batch.RowCount], partitionKeys, partitionIndex);
            }
        }, cancellation).ConfigureAwait(false);

        // A full static PARTITION clause replaces that partition even when the query writes no row into it.
        if (layout.IsPartitioned && statement.Partition.Count == layout.PartitionColumnIds.Count && partitionKeys.Count == 0)
            partitionKeys.Add(StaticPartition(session, bound, layout, cancellation));

        var inserted = builder.RowCount;
        if (layout.IsPartitioned && session.Transaction is not null)
        {
            var replaced = new HashSet<PartitionKey>(partitionKeys);
            await Task.Run(() => CopyOtherPartitions(session, bound.Path, table, replaced, builder, cancellation), cancellation).ConfigureAwait(false);
        }
        await storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
        var appendOps = builder.Finish();
        if (session.Transaction is { } transaction)
        {
            try
            {
                transaction.StageReplacement(table, appendOps, builder);
            }
            catch
            {
                builder.Abandon();
                throw;
            }
            return TarnResult.Ok(StatementKind.Insert, $"{inserted} row{(inserted == 1 ? "" : "s")} inserted", inserted);
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // Partition overwrite removes whole files, so rows still inline (which mix partitions) go to files first.
                if (layout.IsPartitioned) storage.FlushTable(tableId);
                var current = storage.GetTable(tableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the table was dropped");
                var replace = Removal(current, layout.IsPartitioned ? new HashSet<PartitionKey>(partitionKeys) : null);
                var ops = new List<LogOp>(appendOps.Count + 1);
                if (replace is not null) ops.Add(replace);
                ops.AddRange(appendOps);
                if (ops.Count == 0) break;
                try
                {
                    await storage.CommitAsync(ops, unchanged).ConfigureAwait(false);
                    break;
                }
                catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && attempt < OverwriteAttempts && storage.GetTable(tableId) is { } t && t.NextOffsets.SequenceEqual(table.NextOffsets))
                {
                    // A flush or compaction replaced files we meant to remove: look at the table again.
                }
            }
        }
        catch
        {
            builder.Abandon();
            throw;
        }
        var rows = builder.RowCount;
        return TarnResult.Ok(StatementKind.Insert, $"{rows} row{(rows == 1 ? "" : "s")} inserted", rows);
    }

    /// <summary>The replace that removes every file and inline part of the table, or of the given partitions; null if nothing to remove.</summary>
    private static ReplaceOp? Removal(TableVersion table, HashSet<PartitionKey>? partitions)
    {
        var segments = new List<long>();
        foreach (var s in table.Segments)
            if (partitions is null || partitions.Contains(s.Partition)) segments.Add(s.SegmentId);
        var inline = new List<InlineRange>();
        if (partitions is null)
            foreach (var p in table.Inline) inline.Add(new InlineRange(p.Bucket, p.BaseOffset));
        if (segments.Count == 0 && inline.Count == 0) return null;
        return new ReplaceOp(table.TableId, [], segments, inline);
    }

    /// <summary>The partition key a full static PARTITION clause names, in canonical text (evaluated like the INSERT would).</summary>
    private static PartitionKey StaticPartition(TarnSession session, BoundInsert bound, TableLayout layout, CancellationToken cancellation)
    {
        // The bound source fixes the partition columns to constants: evaluate it on no input rows is impossible, so
        // evaluate its projection of the partition columns over a single-row VALUES instead.
        var project = (Tarn.Planner.Logical.LogicalProject)bound.Source;
        var indexes = layout.PartitionColumnIndexes;
        var exprs = indexes.Select(i => project.Expressions[i]).ToList();
        var one = new Tarn.Planner.Logical.LogicalValues([[]], []);
        var values = new Tarn.Planner.Logical.LogicalProject(one, exprs, indexes.Select(i => project.Output[i]).ToList());
        var context = NewContext(session, cancellation);
        using var planner = new BatchPlanner(session.Core.Storage, context);
        using var op = planner.Lower(values);
        var batch = op.Next() ?? throw new TarnException(SqlStates.InternalError, "the static partition values produced no row");
        var text = new string?[indexes.Length];
        for (var i = 0; i < indexes.Length; i++) text[i] = CanonicalText.Format(batch.Columns[i], 0);
        return new PartitionKey(text);
    }
}
