namespace Tarn.Tests.Streaming;

/// <summary>TarnSession.SubscribeAsync: a streaming SELECT that keeps running and yields its changes as commits arrive.</summary>
public sealed class SubscriptionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-sub-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Cancels a subscription that hangs (a failing test), so the test fails instead of blocking the run.</summary>
    private static CancellationTokenSource HangGuard()
    {
        var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        return cts;
    }

    private static string Text(TarnChange change) =>
        change.Op + " " + string.Join("|", change.Values.Select(v => v?.ToString() ?? "NULL"));

    /// <summary>Reads batches until <paramref name="done"/> holds for the changes read by this call; fails if the enumeration ends first.</summary>
    private static async Task<List<string>> ReadUntil(IAsyncEnumerator<TarnChangeBatch> changes, Func<List<string>, bool> done, TarnLiveTable? table = null)
    {
        var seen = new List<string>();
        while (!done(seen))
        {
            Assert.True(await changes.MoveNextAsync(), "the subscription ended before the expected changes: " + string.Join(", ", seen));
            table?.Apply(changes.Current);
            seen.AddRange(changes.Current.Changes.Select(Text));
        }
        return seen;
    }

    private static string Rows(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Rows_inserted_by_another_session_arrive_as_inserts()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE src (id BIGINT, name STRING)");
        db.Execute("INSERT INTO src VALUES (1, 'a')");
        using var guard = HangGuard();
        var subscription = db.DefaultSession.SubscribeAsync("SELECT id, upper(name) AS name FROM src WHERE id > 0", guard.Token);
        Assert.Equal(["id", "name"], subscription.Columns.Select(c => c.Name));
        await using var changes = subscription.GetAsyncEnumerator();

        Assert.Equal(["+I 1|A"], await ReadUntil(changes, s => s.Count >= 1));

        var other = db.CreateSession();
        await other.ExecuteAsync("INSERT INTO src VALUES (2, 'b'), (-3, 'filtered'), (4, NULL)");
        Assert.Equal(["+I 2|B", "+I 4|NULL"], await ReadUntil(changes, s => s.Count >= 2));

        await other.ExecuteAsync("INSERT INTO src VALUES (5, 'e')");
        Assert.Equal(["+I 5|E"], await ReadUntil(changes, s => s.Count >= 1));
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task Updating_a_primary_key_row_retracts_and_updates_the_aggregate()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE orders (id BIGINT, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO orders VALUES (1, 'x', 5), (2, 'x', 7), (3, 'y', 1)");
        const string query = "SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer";
        using var guard = HangGuard();
        var subscription = db.DefaultSession.SubscribeAsync(query, guard.Token);
        var table = new TarnLiveTable(subscription.Columns);
        await using var changes = subscription.GetAsyncEnumerator();
        await ReadUntil(changes, _ => Rows(table.ToResult()) == "x|12\ny|1", table);

        var other = db.CreateSession();
        await other.ExecuteAsync("UPDATE orders SET amount = 1 WHERE id = 2");
        var update = await ReadUntil(changes, s => s.Contains("+U x|6"), table);
        Assert.Equal(["-U x|12", "+U x|6"], update);

        await other.ExecuteAsync("DELETE FROM orders WHERE id = 3");
        Assert.Equal(["-D y|1"], await ReadUntil(changes, s => s.Count >= 1, table));
        Assert.Equal("x|6", Rows(table.ToResult()));
        Assert.Equal(1, table.RowCount);
        Assert.Equal(Rows(await db.ExecuteAsync(query)), Rows(table.ToResult()));
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_and_deletes_the_temporary_state()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (k STRING, v INT)");
        db.Execute("INSERT INTO t VALUES ('a', 1), ('a', 2)");
        var temp = Path.Combine(db.Path, "tmp");
        string[] StateDirectories() => Directory.Exists(temp) ? Directory.GetDirectories(temp, "stream-*") : [];

        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMinutes(2)); // hang guard; the test cancels long before
        var subscription = db.DefaultSession.SubscribeAsync("SELECT k, COUNT(*) AS n FROM t GROUP BY k", cancel.Token);
        var seen = new List<string>();
        var enumeration = Task.Run(async () =>
        {
            await foreach (var batch in subscription)
            {
                lock (seen) seen.AddRange(batch.Changes.Select(Text));
                if (batch.IsCaughtUp && StateDirectories().Length == 1) lock (seen) seen.Add("state exists");
                if (batch.IsCaughtUp) await cancel.CancelAsync();
            }
        });
        await enumeration; // ends without an exception once cancelled

        Assert.Equal(["+I a|2", "state exists"], seen);
        Assert.Empty(StateDirectories());
    }

    [Fact]
    public async Task Closing_the_database_ends_a_waiting_subscription_with_an_error()
    {
        var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (x INT)");
        db.Execute("INSERT INTO t VALUES (1)");
        using var guard = HangGuard();
        var changes = db.DefaultSession.SubscribeAsync("SELECT x FROM t", guard.Token).GetAsyncEnumerator();
        await ReadUntil(changes, s => s.Count >= 1);
        var next = changes.MoveNextAsync().AsTask(); // waits for a commit that never comes
        db.Dispose();
        var error = await Assert.ThrowsAsync<TarnException>(() => next);
        Assert.Equal(SqlStates.ObjectNotInPrerequisiteState, error.SqlState);
        Assert.False(guard.IsCancellationRequested);
        await changes.DisposeAsync();
    }

    [Fact]
    public async Task A_query_over_bounded_input_ends_by_itself_and_other_statements_are_rejected()
    {
        using var db = TarnDatabase.Open(_dir);
        var all = new List<string>();
        await foreach (var batch in db.DefaultSession.SubscribeAsync("SELECT x, COUNT(*) AS n FROM (VALUES (1), (1), (2)) AS v(x) GROUP BY x"))
            all.AddRange(batch.Changes.Select(Text));
        var table = new TarnLiveTable([]);
        Assert.Equal(0, table.RowCount);
        Assert.Contains("+I 2|1", all);

        db.Execute("CREATE TABLE t (x INT)");
        var error = Assert.Throws<TarnException>(() => db.DefaultSession.SubscribeAsync("INSERT INTO t VALUES (1)"));
        Assert.Equal(SqlStates.FeatureNotSupported, error.SqlState);
        Assert.Throws<TarnException>(() => db.DefaultSession.SubscribeAsync("SELECT nope FROM t"));
    }
}
