using Tarn.Catalog;
using Tarn.Internal;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The embedded side of Materialize's SUBSCRIBE options (TarnSubscribeOptions) and of RisingWave's durable
/// subscriptions (TarnSession.DeclareSubscriptionCursorAsync, retention).
/// </summary>
public sealed class SubscriptionOptionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-subopt-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Without_snapshot_only_later_changes_come_and_progress_passes_every_commit()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE orders (id BIGINT, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO orders VALUES (1, 'x', 5), (2, 'x', 7), (3, 'y', 1)");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var subscription = db.DefaultSession.SubscribeAsync("SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer",
            new TarnSubscribeOptions { Snapshot = false, Progress = true }, guard.Token);
        await using var changes = subscription.GetAsyncEnumerator();

        Assert.True(await changes.MoveNextAsync());
        Assert.True(changes.Current.IsProgress); // as of
        var asOf = changes.Current.Timestamp;
        Assert.Equal(db.Core.Storage.Current.Seq, asOf);
        Assert.True(await changes.MoveNextAsync());
        Assert.True(changes.Current is { IsProgress: true, RowCount: 0 });
        Assert.Equal(asOf + 1, changes.Current.Timestamp); // the snapshot step: no rows, but past the start

        await db.ExecuteAsync("UPDATE orders SET amount = 10 WHERE id = 1");
        var committed = db.Core.Storage.Current.Seq;
        var seen = new List<string>();
        long frontier = asOf + 1;
        while (frontier <= committed)
        {
            Assert.True(await changes.MoveNextAsync());
            var batch = changes.Current;
            Assert.True(batch.Timestamp >= frontier);
            if (batch.IsProgress) frontier = batch.Timestamp;
            else seen.AddRange(batch.Changes.Select(c => c.Op + " " + string.Join("|", c.Values)));
        }
        // The state came from the rows that were there: the change retracts the old total.
        Assert.Equal(["-U x|12", "+U x|17"], seen);
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task Retention_moves_the_subscriptions_consumer_forward_and_begin_starts_there()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (x INT)");
        db.Execute("CREATE SUBSCRIPTION s FROM t WITH (retention = '1 h')");
        db.Execute("INSERT INTO t VALUES (1)");
        db.Execute("INSERT INTO t VALUES (2)");
        var catalog = db.Core.Catalog;
        var subscription = catalog.FindSubscription(new ObjectPath("default_catalog", "default_database", "s"))!;
        var table = db.Core.Storage.GetTable(subscription.TableId)!;
        Assert.Equal([0L], table.Consumers[subscription.ConsumerName].ToArray());

        // An hour after the first insert's commit, it falls out of the retention: the consumer moves past it.
        var first = table.Snapshots[^2];
        await StatementRunner.ApplyRetentionAsync(db.Core, subscription, first.TimestampMicros + 3_600_000_000L);
        Assert.Equal(first.EndOffsets, db.Core.Storage.GetTable(subscription.TableId)!.Consumers[subscription.ConsumerName].ToArray());
        // Never back.
        await StatementRunner.ApplyRetentionAsync(db.Core, subscription, 0);
        Assert.Equal(first.EndOffsets, db.Core.Storage.GetTable(subscription.TableId)!.Consumers[subscription.ConsumerName].ToArray());

        var cursor = await db.DefaultSession.DeclareSubscriptionCursorAsync("s", TarnSubscriptionStart.Begin);
        var rows = (await cursor.FetchAsync(0, TimeSpan.Zero)).Rows.ToList();
        Assert.Equal([2], rows.Select(r => (int)r[0]!));
        Assert.Equal(["x", "op", "rw_timestamp"], cursor.Columns.Select(c => c.Name));
        Assert.Equal("Insert", rows[0][1]);
        Assert.Equal(table.Snapshots[^1].TimestampMicros / 1000, rows[0][2]);
    }
}
