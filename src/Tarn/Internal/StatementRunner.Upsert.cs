using Tarn.Catalog.Model;
using Tarn.Execution.Lowering;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Storage.Changelog;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// Writes to primary-key tables through <see cref="UpsertWriter"/>: INSERT (upserts), UPDATE of non-key columns and
/// DELETE hand their rows to the writer, which looks up each key's current row and stores the full changelog
/// (+I / -U old, +U new / -D old) merged by the table's merge engine (storage-spec DB-054..DB-058). The commit fails
/// with 40001 if the table changed between the lookup and the commit; an INSERT (which depends on nothing it read)
/// then computes its changelog again against the new version, a few times, before giving up.
/// </summary>
internal static partial class StatementRunner
{
    private const int UpsertAttempts = 16;

    /// <summary>
    /// One writer lock per table and database: upserts of one process into one table take turns from lookup to commit,
    /// so they never invalidate each other's lookups (which would make concurrent writers retry each other out).
    /// Writers that do not take it (appender, transactions, other processes) are still caught by the commit check.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tarn.Storage.Engine.StorageEngine,
        System.Collections.Concurrent.ConcurrentDictionary<long, SemaphoreSlim>> UpsertLocks = new();

    /// <summary>Takes the table's upsert lock (outside transactions); dispose the result to release it.</summary>
    private static Task<IDisposable?> LockForUpsertAsync(TarnSession session, long tableId, CancellationToken cancellation) =>
        session.Transaction is not null ? Task.FromResult<IDisposable?>(null) : LockForUpsertAsync(session.Core.Storage, tableId, cancellation);

    /// <summary>Takes a table's upsert lock synchronously (a streaming job's thread, around an epoch commit).</summary>
    internal static IDisposable LockForUpsert(Tarn.Storage.Engine.StorageEngine storage, long tableId)
    {
        var gate = UpsertLocks.GetValue(storage, _ => new()).GetOrAdd(tableId, _ => new SemaphoreSlim(1, 1));
        gate.Wait();
        return new Releaser(gate);
    }

    private static async Task<IDisposable?> LockForUpsertAsync(Tarn.Storage.Engine.StorageEngine storage, long tableId, CancellationToken cancellation)
    {
        var gate = UpsertLocks.GetValue(storage, _ => new()).GetOrAdd(tableId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    /// <summary>The merge options of a native primary-key table (validated at CREATE TABLE).</summary>
    private static MergeOptions MergeOptionsOf(TableDef table, TableLayout layout) => MergeOptions.Parse(layout, table.Options);

    /// <summary>INSERT into a primary-key table: every row is an upsert (+I) of its key. Returns the input row count.</summary>
    private static async Task<long> UpsertInsertAsync(TarnSession session, TableDef table, LogicalPlan source, CancellationToken cancellation)
    {
        var layout = ReadVersion(session, table.TableId).Layout;
        var writer = new UpsertWriter(layout, MergeOptionsOf(table, layout));
        await FeedAsync(session, source, writer, cancellation, (w, batch) => w.Add(batch, RowKind.Insert)).ConfigureAwait(false);
        if (writer.InputRows == 0) return 0;
        using var gate = await LockForUpsertAsync(session, table.TableId, cancellation).ConfigureAwait(false);
        var read = ReadVersion(session, table.TableId);
        if (!ReferenceEquals(read.Layout, layout)) throw new TarnException(SqlStates.SerializationFailure, "the table was altered while the statement ran; retry the statement");
        await CommitUpsertAsync(session, table.TableId, writer, read, retry: true, cancellation).ConfigureAwait(false);
        return writer.InputRows;
    }

    /// <summary>
    /// UPDATE (non-key columns) or DELETE of a primary-key table: <paramref name="add"/> feeds the writer from each
    /// batch of <paramref name="source"/>. The rows were selected from the version read here, so a concurrent change
    /// fails the statement (40001) instead of being merged into. Returns the source's row count.
    /// </summary>
    private static async Task<long> UpsertChangesAsync(TarnSession session, TableDef table, LogicalPlan source, CancellationToken cancellation,
        Action<UpsertWriter, ColumnBatch> add)
    {
        using var gate = await LockForUpsertAsync(session, table.TableId, cancellation).ConfigureAwait(false);
        var read = ReadVersion(session, table.TableId);
        var writer = new UpsertWriter(read.Layout, MergeOptionsOf(table, read.Layout));
        await FeedAsync(session, source, writer, cancellation, add).ConfigureAwait(false);
        if (writer.InputRows == 0) return 0;
        await CommitUpsertAsync(session, table.TableId, writer, read, retry: false, cancellation).ConfigureAwait(false);
        return writer.InputRows;
    }

    private static Task FeedAsync(TarnSession session, LogicalPlan source, UpsertWriter writer, CancellationToken cancellation, Action<UpsertWriter, ColumnBatch> add)
    {
        var storage = session.Core.Storage;
        var plan = LogicalOptimizer.Optimize(source);
        var context = NewContext(session, cancellation);
        return Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, context);
            using var op = planner.Lower(plan);
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                add(writer, batch);
            }
        }, cancellation);
    }

    /// <summary>Computes the writer's changelog against the table and commits it (or stages it in the transaction).</summary>
    private static async Task CommitUpsertAsync(TarnSession session, long tableId, UpsertWriter writer, TableVersion read, bool retry, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        for (var attempt = 1; ; attempt++)
        {
            var inTransaction = session.Transaction is not null;
            using var builder = new AppendBuilder(storage, read);
            var unchanged = UnchangedSince(read);
            var version = read;
            var counts = await Task.Run(() => writer.WriteTo(storage, version, readAsGiven: inTransaction, builder), cancellation).ConfigureAwait(false);
            if (counts.Rows == 0) return;
            await storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
            var ops = builder.Finish();
            try
            {
                await CommitAppendAsync(session, read, ops, builder, unchanged).ConfigureAwait(false);
                return;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && retry && !inTransaction && attempt < UpsertAttempts)
            {
                // Another commit changed the table after the lookup: look the keys up again in the new version.
                await Task.Delay(Random.Shared.Next(1, 2 << Math.Min(attempt, 6)), cancellation).ConfigureAwait(false);
                var now = ReadVersion(session, tableId);
                if (!ReferenceEquals(now.Layout, read.Layout)) throw;
                read = now;
            }
        }
    }

    /// <summary>
    /// Commits <paramref name="rows"/> (upserts, +I) to a primary-key table outside any transaction, as its full
    /// changelog: what the bulk appender does with primary-key tables.
    /// </summary>
    internal static async Task CommitUpsertsAsync(Tarn.Storage.Engine.StorageEngine storage, TableDef table, ColumnBatch rows)
    {
        using var gate = await LockForUpsertAsync(storage, table.TableId, CancellationToken.None).ConfigureAwait(false);
        var read = storage.GetTable(table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table.Name}' was dropped");
        var writer = new UpsertWriter(read.Layout, MergeOptionsOf(table, read.Layout));
        writer.Add(rows, RowKind.Insert);
        for (var attempt = 1; ; attempt++)
        {
            using var builder = new AppendBuilder(storage, read);
            var counts = writer.WriteTo(storage, read, readAsGiven: false, builder);
            if (counts.Rows == 0) return;
            await storage.WaitForInlineSpaceAsync(CancellationToken.None).ConfigureAwait(false);
            var ops = builder.Finish();
            try
            {
                await storage.CommitAsync(ops, UnchangedSince(read)).ConfigureAwait(false);
                return;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && attempt < UpsertAttempts
                && storage.GetTable(table.TableId) is { } now && ReferenceEquals(now.Layout, read.Layout))
            {
                builder.Abandon();
                read = now;
            }
            catch
            {
                builder.Abandon();
                throw;
            }
        }
    }

    /// <summary>UPDATE and DELETE statements on tables whose merge engine cannot express them fail before reading anything.</summary>
    private static void CheckMergeEngineAllows(TableDef table, string verb, bool changesKey, SourcePosition position)
    {
        if (table.PrimaryKey.Count == 0) return;
        var options = MergeOptions.Parse(CatalogLayout(table), table.Options);
        var reason = (verb, options.Engine) switch
        {
            ("UPDATE", MergeEngine.Aggregation or MergeEngine.FirstRow) => $"UPDATE is not supported on a table with 'merge-engine' = '{EngineName(options.Engine)}'",
            ("UPDATE", MergeEngine.PartialUpdate) when changesKey => "UPDATE of a primary-key column is not supported on a partial-update table",
            ("DELETE", MergeEngine.Aggregation) when !options.RemoveRecordOnDelete =>
                "DELETE on an aggregation table needs 'aggregation.remove-record-on-delete' = 'true' (a -D row would otherwise be retracted from the aggregates)",
            _ => null,
        };
        if (reason is not null) throw new TarnException(SqlStates.FeatureNotSupported, $"{reason} at {position}", position);
    }

    private static string EngineName(MergeEngine engine) => engine switch
    {
        MergeEngine.PartialUpdate => "partial-update",
        MergeEngine.Aggregation => "aggregation",
        MergeEngine.FirstRow => "first-row",
        _ => "deduplicate",
    };

    private static TableLayout CatalogLayout(TableDef table) => Catalog.CatalogManager.LayoutOf(table);

    /// <summary>Validates the merge options of a new or altered native table, pointing at the offending option.</summary>
    private static void ValidateMergeOptions(TableDef table, NodeList<Property> properties, SourcePosition fallback)
    {
        if (table.Connector is not null && !string.Equals(table.Connector, "tarn", StringComparison.OrdinalIgnoreCase)) return;
        try
        {
            MergeOptions.Parse(CatalogLayout(table), table.Options);
        }
        catch (MergeOptionException e)
        {
            var position = fallback;
            foreach (var p in properties)
                if (p.Key == e.Key) position = p.Position;
            throw new TarnException(e.SqlState, $"{e.Message} at {position}", position);
        }
    }
}
