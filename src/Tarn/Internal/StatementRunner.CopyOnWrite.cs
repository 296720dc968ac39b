using Tarn.Catalog.Model;
using Tarn.Execution.Lowering;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// UPDATE, DELETE and TRUNCATE on tables without a primary key, copy-on-write (like Iceberg, Hive or Paimon append
/// tables): the statement reads the table's current snapshot, computes every row's new value (or drops it), and one
/// commit replaces all of the table's files and inline parts with the result. The commit fails with 40001 if any row
/// was appended after the read, so a concurrent write is never lost. Streaming readers see the commit as an overwrite.
/// </summary>
internal static partial class StatementRunner
{
    private const string HitColumn = "__tarn_hit";

    /// <summary>
    /// Binds <c>SELECT physical columns, hit [, CASE WHEN hit THEN value END ...] FROM (SELECT physical columns,
    /// condition IS TRUE AS hit FROM target AS alias) AS alias</c>: every row of the table, whether the statement
    /// touches it, and the assigned values where it does (evaluated only there).
    /// </summary>
    private static LogicalPlan BindAllRows(TarnSession session, TarnParameters parameters, DmlText text, TableDef table, IReadOnlyList<string> values)
    {
        var physical = table.Columns.Where(c => c.IsPhysical).Select(c => text.Alias + "." + QuoteName(c.Name)).ToList();
        var hit = text.Condition is null ? "TRUE" : $"({text.Condition}) IS TRUE";
        var inner = $"SELECT {string.Join(", ", physical)}, {hit} AS {HitColumn} FROM {text.Target}";
        var outer = physical.Append(text.Alias + "." + HitColumn).Concat(values.Select(v => $"CASE WHEN {text.Alias}.{HitColumn} THEN {v} END"));
        return BindDmlQuery(session, parameters, $"{text.With}SELECT {string.Join(", ", outer)} FROM ({inner}) AS {text.Alias}");
    }

    private static async Task<TarnResult> CopyOnWriteDeleteAsync(TarnSession session, TarnParameters parameters, TableDef table, DmlText text, CancellationToken cancellation)
    {
        var source = BindAllRows(session, parameters, text, table, []);
        var n = source.Output.Count - 1;
        var rows = await RewriteAsync(session, table.TableId, source, n, keepHits: false, cancellation).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Delete, $"{rows} row{(rows == 1 ? "" : "s")} deleted", rows);
    }

    private static async Task<TarnResult> CopyOnWriteUpdateAsync(TarnSession session, TarnParameters parameters, UpdateStatement statement, TableDef table, DmlText text,
        List<ColumnDef> physical, Dictionary<int, int> assigned, IReadOnlyList<string> values, CancellationToken cancellation)
    {
        var source = BindAllRows(session, parameters, text, table, values);
        var n = physical.Count;
        var hit = BoundExpressions.Column(n, source.Output[n].Type);
        var exprs = new List<BoundExpression>(n + 1);
        var outputs = new List<OutputColumn>(n + 1);
        for (var c = 0; c < n; c++)
        {
            var old = BoundExpressions.Column(c, source.Output[c].Type);
            BoundExpression e = old;
            if (assigned.TryGetValue(c, out var a))
            {
                var value = AssignedValue(BoundExpressions.Column(n + 1 + a, source.Output[n + 1 + a].Type), physical[c], statement.Assignments[a].Position);
                e = BoundExpressions.Case([new BoundWhen(hit, value)], BoundExpressions.Cast(old, value.Type.WithNullable(true), CastMode.Assignment));
                e = BoundExpressions.Cast(e, physical[c].Type.WithNullable(true), CastMode.Assignment);
            }
            exprs.Add(e);
            outputs.Add(new OutputColumn(physical[c].Name, physical[c].Type));
        }
        exprs.Add(hit);
        outputs.Add(new OutputColumn(HitColumn, source.Output[n].Type));
        var plan = new LogicalProject(source, exprs, outputs);
        var rows = await RewriteAsync(session, table.TableId, plan, n, keepHits: true, cancellation).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Update, $"{rows} row{(rows == 1 ? "" : "s")} updated", rows);
    }

    private static async Task<TarnResult> RunTruncateAsync(TarnSession session, TruncateStatement statement, CancellationToken cancellation)
    {
        RejectStreaming(session, statement);
        var (path, table) = ResolveDmlTarget(session, statement.Table, statement, "TRUNCATE");
        var read = ReadVersion(session, table.TableId);
        var count = await Task.Run(() => CountRows(session, path, cancellation), cancellation).ConfigureAwait(false);
        await ReplaceRowsAsync(session, read, [], null, cancellation).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Delete, $"{count} row{(count == 1 ? "" : "s")} deleted", count);
    }

    /// <summary>The table's row count (what TRUNCATE reports as deleted).</summary>
    private static long CountRows(TarnSession session, Tarn.Catalog.ObjectPath path, CancellationToken cancellation)
    {
        var plan = LogicalOptimizer.Optimize(BindDmlQuery(session, TarnParameters.None, $"SELECT count(*) FROM {QuotedPath(path)}"));
        using var planner = new BatchPlanner(session.Core.Storage, NewContext(session, cancellation));
        using var op = planner.Lower(plan);
        long count = 0;
        while (op.Next() is { } batch)
            if (batch.RowCount > 0 && batch.Columns[0].GetValue(0) is { } v) count = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
        return count;
    }

    /// <summary>
    /// Runs <paramref name="source"/> (the table's columns 0..<paramref name="n"/>-1, then a BOOLEAN hit column) and
    /// replaces the table with its rows, leaving out the hit rows unless <paramref name="keepHits"/>. Returns the
    /// number of hit rows; commits nothing when there are none.
    /// </summary>
    private static async Task<long> RewriteAsync(TarnSession session, long tableId, LogicalPlan source, int n, bool keepHits, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        var plan = LogicalOptimizer.Optimize(source);
        var context = NewContext(session, cancellation);
        var read = ReadVersion(session, tableId);
        using var builder = new AppendBuilder(storage, read);
        long hits = 0;
        await Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, context);
            using var op = planner.Lower(plan);
            var keep = new List<int>();
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                keep.Clear();
                var hitColumn = batch.Columns[n];
                for (var r = 0; r < batch.RowCount; r++)
                {
                    var isHit = hitColumn is PrimitiveVector<bool> flags ? !flags.IsNull(r) && flags.Values[r] : hitColumn.GetValue(r) is true;
                    if (isHit) hits++;
                    if (keepHits || !isHit) keep.Add(r);
                }
                var rows = new ColumnBatch(batch.Columns[..n], batch.RowCount);
                if (keep.Count == batch.RowCount) builder.Add(rows);
                else if (keep.Count > 0)
                {
                    var selection = keep.ToArray();
                    var columns = new ColumnVector[n];
                    for (var c = 0; c < n; c++) columns[c] = rows.Columns[c].Gather(selection);
                    builder.Add(new ColumnBatch(columns, selection.Length));
                }
            }
        }, cancellation).ConfigureAwait(false);
        if (hits == 0)
        {
            builder.Abandon();
            return 0;
        }
        await storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
        var appendOps = builder.Finish();
        await ReplaceRowsAsync(session, read, appendOps, builder, cancellation).ConfigureAwait(false);
        return hits;
    }

    /// <summary>
    /// Commits, atomically, the removal of every file and inline part of the table plus <paramref name="appendOps"/>,
    /// provided no row was appended since <paramref name="read"/> (else 40001). A flush or compaction in between only
    /// reshapes the same rows, so the removal is recomputed and retried.
    /// </summary>
    internal static async Task CommitReplacementAsync(TarnSession session, TableVersion read, IReadOnlyList<LogOp> appendOps, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        var unchanged = UnchangedSince(read);
        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            var current = storage.GetTable(read.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the table was dropped");
            var ops = new List<LogOp>(appendOps.Count + 1);
            if (Removal(current, null) is { } remove) ops.Add(remove);
            ops.AddRange(appendOps);
            if (ops.Count == 0) return;
            try
            {
                await storage.CommitAsync(ops, unchanged).ConfigureAwait(false);
                return;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && attempt < OverwriteAttempts
                && storage.GetTable(read.TableId) is { } t && t.NextOffsets.SequenceEqual(read.NextOffsets))
            {
                // Only the files changed (flush or compaction): look at the table again.
            }
        }
    }
}
