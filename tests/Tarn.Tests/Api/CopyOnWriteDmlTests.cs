using Tarn.Catalog;
using Tarn.Internal;

namespace Tarn.Tests.Api;

/// <summary>UPDATE, DELETE and TRUNCATE on tables without a primary key: one replacing commit, guarded against concurrent appends.</summary>
public sealed class CopyOnWriteDmlTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-cow-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void Update_delete_and_truncate_report_affected_rows()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, v STRING)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (3, 'c')");
        Assert.Equal(3, db.Execute("UPDATE t SET v = 'x' WHERE id >= 2").RowsAffected);
        Assert.Equal(0, db.Execute("UPDATE t SET v = 'x' WHERE id = 9").RowsAffected);
        Assert.Equal(2, db.Execute("DELETE FROM t WHERE id = 3").RowsAffected);
        Assert.Equal(2, db.Execute("TRUNCATE t").RowsAffected);
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }

    [Fact]
    public async Task A_rewrite_fails_with_40001_when_rows_were_appended_after_its_read()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT)");
        db.Execute("INSERT INTO t VALUES (1)");
        var session = db.CreateSession();
        var storage = session.Core.Storage;
        var tableId = session.Core.Catalog.FindTable(new ObjectPath("default_catalog", "default_database", "t"))!.TableId;
        var read = storage.GetTable(tableId)!;
        db.Execute("INSERT INTO t VALUES (2)");
        var e = await Assert.ThrowsAsync<TarnException>(() => StatementRunner.CommitReplacementAsync(session, read, [], CancellationToken.None));
        Assert.Equal(SqlStates.SerializationFailure, e.SqlState);
        Assert.Equal(2L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }

    [Fact]
    public async Task A_flush_between_read_and_commit_only_makes_the_rewrite_look_again()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT)");
        db.Execute("INSERT INTO t VALUES (1), (2)");
        var session = db.CreateSession();
        var storage = session.Core.Storage;
        var tableId = session.Core.Catalog.FindTable(new ObjectPath("default_catalog", "default_database", "t"))!.TableId;
        var read = storage.GetTable(tableId)!;
        storage.FlushTable(tableId);
        await StatementRunner.CommitReplacementAsync(session, read, [], CancellationToken.None);
        Assert.Equal(0L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }
}
