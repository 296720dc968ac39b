using System.Globalization;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Storage.Log;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// Declaring subscription cursors: the subscription's consumer is first moved up to its retention (its position is
/// where SINCE BEGIN() starts, and what it holds back from compaction), then the cursor is positioned.
/// </summary>
internal static partial class StatementRunner
{
    internal static async Task<TarnSubscriptionCursor> DeclareSubscriptionCursorAsync(TarnSession session, string name, TarnSubscriptionStart start, CancellationToken cancellation)
    {
        var catalog = session.Core.Catalog;
        var path = TarnDatabase.ResolveTable(session, name);
        var subscription = catalog.FindSubscription(path) ?? throw new TarnException(SqlStates.UndefinedObject, $"subscription '{path}' does not exist");
        var (tablePath, table) = catalog.SubscribedTable(subscription) ?? throw new TarnException(SqlStates.UndefinedTable, $"the table of subscription '{path}' was dropped");
        AuthorizerFor(session)?.Invoke(tablePath, TablePrivileges.Select, default);
        var now = NowMicros();
        await ApplyRetentionAsync(session.Core, subscription, now).ConfigureAwait(false);

        var stored = table.Columns.Where(c => c.IsPhysical).ToList();
        var columns = stored.Select(c => new TarnColumn(c.Name, c.Type)).ToList();
        var ids = stored.Select(c => c.Id).ToList();
        IReadOnlyList<ColumnBatch> snapshot = [];
        StreamStart from;
        switch (start.Kind)
        {
            case TarnSubscriptionStartKind.Now:
                from = StreamStart.Latest;
                break;
            case TarnSubscriptionStartKind.Begin:
                from = StreamStart.ForConsumer(subscription.ConsumerName, StreamStart.Latest);
                break;
            case TarnSubscriptionStartKind.Timestamp:
                if (start.UnixMillis * 1000 < now - subscription.RetentionMillis * 1000)
                    throw new TarnException(SqlStates.SnapshotTooOld,
                        $"subscription '{path}' keeps changes for {subscription.RetentionMillis} ms; {start.UnixMillis} is older than that");
                from = StreamStart.AtTimestamp(Math.Max(start.UnixMillis, subscription.CreatedMicros / 1000) * 1000);
                break;
            case TarnSubscriptionStartKind.Full:
            {
                // The table as of its newest snapshot, then its log from that snapshot's end: nothing missed, nothing twice.
                var version = session.Core.Storage.GetTable(table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{tablePath}' was dropped");
                var snapshotId = version.LastSnapshotId;
                from = StreamStart.FromSnapshot(snapshotId + 1);
                if (snapshotId > 0)
                {
                    var sql = new StringBuilder("SELECT ");
                    for (var i = 0; i < stored.Count; i++) sql.Append(i == 0 ? "" : ", ").Append(Quote(stored[i].Name));
                    sql.Append(" FROM ").Append(Quote(tablePath.Catalog)).Append('.').Append(Quote(tablePath.Database)).Append('.').Append(Quote(tablePath.Name))
                        .Append(" /*+ OPTIONS('scan.snapshot-id'='").Append(snapshotId.ToString(CultureInfo.InvariantCulture)).Append("') */");
                    var result = await session.ExecuteAsync(sql.ToString(), TarnParameters.None, cancellation).ConfigureAwait(false);
                    snapshot = result.Batches;
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(start));
        }
        return new TarnSubscriptionCursor(session.Core, table.TableId, columns, ids, from, snapshot);
    }

    private static string Quote(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>
    /// Moves the subscription's consumer forward to the end of the newest snapshot committed before now minus the
    /// retention (never back), so the table's log is held for the subscription only as long as it asked.
    /// </summary>
    internal static async Task ApplyRetentionAsync(DatabaseCore core, SubscriptionDef subscription, long nowMicros)
    {
        var table = core.Storage.GetTable(subscription.TableId);
        if (table is null || !table.Consumers.TryGetValue(subscription.ConsumerName, out var position)) return;
        var cutoff = nowMicros - subscription.RetentionMillis * 1000;
        SnapshotInfo? newest = null;
        foreach (var s in table.Snapshots)
        {
            if (s.TimestampMicros > cutoff) break;
            newest = s;
        }
        if (newest is null) return;
        var next = position.ToArray();
        var moved = false;
        for (var b = 0; b < next.Length && b < newest.EndOffsets.Length; b++)
        {
            if (newest.EndOffsets[b] <= next[b]) continue;
            next[b] = newest.EndOffsets[b];
            moved = true;
        }
        if (!moved) return;
        try
        {
            await core.Storage.CommitAsync([new ConsumerOp(subscription.TableId, subscription.ConsumerName, next)]).ConfigureAwait(false);
        }
        catch (TarnException e) when (e.SqlState is SqlStates.UndefinedTable)
        {
            // dropped meanwhile: the cursor's own checks report it
        }
    }
}
