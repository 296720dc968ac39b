using System.Text;
using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Execution.Lowering;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// UPDATE that assigns a primary-key column (PostgreSQL and DuckDB allow it): each updated row is a delete of its old
/// key (-D) and an insert of its new one (+I), every delete before every insert so that rows may trade keys. The
/// constraint is checked for the statement as a whole (as the SQL standard says, unlike PostgreSQL's row-by-row
/// check): two updated rows must not get the same key, and a new key must not be held by a row the statement leaves
/// in place; either raises 23505 and nothing is written.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>Runs <paramref name="plan"/> (old row, then new row) as a key-changing update; returns the updated row count.</summary>
    private static async Task<long> UpdateKeysAsync(TarnSession session, ObjectPath path, TableDef table, LogicalPlan plan, int n, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        var keyIndexes = table.PrimaryKey.Select(k => physical.FindIndex(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase))).ToArray();
        var optimized = LogicalOptimizer.Optimize(plan);
        var context = NewContext(session, cancellation);
        var read = ReadVersion(session, table.TableId);
        var unchanged = UnchangedSince(read);
        using var builder = new AppendBuilder(storage, read);
        var oldKeys = new HashSet<string>(StringComparer.Ordinal);
        var newKeys = new HashSet<string>(StringComparer.Ordinal);
        var inserts = new List<ColumnBatch>();
        long rows = 0;
        await Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, context);
            using var op = planner.Lower(optimized);
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                rows += batch.RowCount;
                var before = new ColumnBatch(batch.Columns[..n], batch.RowCount);
                var after = new ColumnBatch(batch.Columns[n..], batch.RowCount);
                for (var r = 0; r < batch.RowCount; r++)
                {
                    oldKeys.Add(KeyText(before, keyIndexes, r));
                    if (!newKeys.Add(KeyText(after, keyIndexes, r))) throw DuplicateKey(path, table, after, keyIndexes, r);
                }
                builder.Add(before, RowKind.Delete);
                inserts.Add(after);
            }
        }, cancellation).ConfigureAwait(false);
        if (rows == 0) return 0;

        // A new key must not be held by a row this statement does not move away from it.
        var keyColumns = string.Join(", ", keyIndexes.Select(i => QuoteName(physical[i].Name)));
        var existing = LogicalOptimizer.Optimize(BindDmlQuery(session, TarnParameters.None, $"SELECT {keyColumns} FROM {QuotedPath(path)}"));
        var all = Enumerable.Range(0, keyIndexes.Length).ToArray();
        await Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, NewContext(session, cancellation));
            using var op = planner.Lower(existing);
            while (op.Next() is { } batch)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    var key = KeyText(batch, all, r);
                    if (newKeys.Contains(key) && !oldKeys.Contains(key)) throw DuplicateKey(path, table, batch, all, r);
                }
            }
        }, cancellation).ConfigureAwait(false);

        foreach (var batch in inserts) builder.Add(batch, RowKind.Insert);
        await storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
        var ops = builder.Finish();
        await CommitAppendAsync(session, read, ops, builder, unchanged).ConfigureAwait(false);
        return rows;
    }

    /// <summary>The key of row <paramref name="row"/> as one string (canonical text of each key column).</summary>
    private static string KeyText(ColumnBatch batch, int[] keyIndexes, int row)
    {
        if (keyIndexes.Length == 1) return CanonicalText.Format(batch.Columns[keyIndexes[0]], row) ?? "\u0000";
        var text = new StringBuilder();
        foreach (var i in keyIndexes)
        {
            var value = CanonicalText.Format(batch.Columns[i], row);
            text.Append(value is null ? "\u0000" : value.Replace("\u0001", "\u0001\u0001", StringComparison.Ordinal)).Append('\u0001').Append('|');
        }
        return text.ToString();
    }

    private static TarnException DuplicateKey(ObjectPath path, TableDef table, ColumnBatch batch, int[] keyIndexes, int row)
    {
        var values = string.Join(", ", keyIndexes.Select(i => CanonicalText.Format(batch.Columns[i], row) ?? "NULL"));
        return new TarnException(SqlStates.UniqueViolation,
            $"duplicate key value violates the primary key of '{path}': ({string.Join(", ", table.PrimaryKey)})=({values}) already exists");
    }
}
