using Tarn.Catalog.Model;
using Tarn.Storage.Changelog;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    /// <summary>
    /// Like <see cref="CommitUpsertsAsync"/> with a kind per row (+I upsert, -D delete of the row's key) and extra
    /// operations committed in the same record (e.g. a log producer's state, so rows and state are durable together).
    /// The extra operations are committed even when the changes produce no row (a delete of a missing key).
    /// <paramref name="beforeCommit"/> gets, before each attempt, the next offset of every bucket the attempt builds on:
    /// the commit succeeds only if they are unchanged, so they are the offsets its first row per bucket gets.
    /// </summary>
    internal static async Task<Tarn.Storage.Engine.CommitResult> CommitChangesAsync(Tarn.Storage.Engine.StorageEngine storage, TableDef table, ColumnBatch rows, sbyte[] kinds, IReadOnlyList<LogOp> extraOps,
        Action<IReadOnlyList<long>>? beforeCommit = null)
    {
        using var gate = await LockForUpsertAsync(storage, table.TableId, CancellationToken.None).ConfigureAwait(false);
        var read = storage.GetTable(table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table.Name}' was dropped");
        var writer = new UpsertWriter(read.Layout, MergeOptionsOf(table, read.Layout));
        writer.Add(rows, kinds);
        for (var attempt = 1; ; attempt++)
        {
            using var builder = new AppendBuilder(storage, read);
            writer.WriteTo(storage, read, readAsGiven: false, builder);
            await storage.WaitForInlineSpaceAsync(CancellationToken.None).ConfigureAwait(false);
            var ops = new List<LogOp>(builder.Finish());
            ops.AddRange(extraOps);
            beforeCommit?.Invoke(read.NextOffsets);
            try
            {
                return await storage.CommitAsync(ops, UnchangedSince(read)).ConfigureAwait(false);
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
}
