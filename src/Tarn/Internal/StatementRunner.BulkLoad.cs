using Tarn.Catalog.Model;
using Tarn.Storage.Changelog;
using Tarn.Storage.Tables;

namespace Tarn.Internal;

/// <summary>The commit side of <see cref="TarnBulkLoad"/>: the same paths an INSERT takes, fed with ready column batches.</summary>
internal static partial class StatementRunner
{
    internal static TableVersion BulkReadVersion(TarnSession session, long tableId) => ReadVersion(session, tableId);

    internal static UpsertWriter NewBulkUpsertWriter(TableDef table, TableVersion read) => new(read.Layout, MergeOptionsOf(table, read.Layout));

    internal static async Task CommitBulkAppendAsync(TarnSession session, TableVersion read, AppendBuilder builder, CancellationToken cancellation)
    {
        await session.Core.Storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
        var ops = builder.Finish();
        await CommitAppendAsync(session, read, ops, builder, null).ConfigureAwait(false);
    }

    internal static async Task CommitBulkUpsertsAsync(TarnSession session, TableDef table, TableVersion layoutVersion, UpsertWriter writer, CancellationToken cancellation)
    {
        using var gate = await LockForUpsertAsync(session, table.TableId, cancellation).ConfigureAwait(false);
        var read = ReadVersion(session, table.TableId);
        if (!ReferenceEquals(read.Layout, layoutVersion.Layout)) throw new TarnException(SqlStates.SerializationFailure, "the table was altered while the load ran; retry it");
        await CommitUpsertAsync(session, table.TableId, writer, read, retry: true, cancellation).ConfigureAwait(false);
    }
}
