using Dapper;
using Tarn.Catalog;
using Tarn.Data;
using Tarn.Storage.Engine;

namespace Tarn.Tests.Api;

/// <summary>
/// Multi-statement transactions beyond what the sqllogictest files show: staged segment files of large writes, what
/// a rolled-back, abandoned or crashed transaction leaves on disk, reads of the BEGIN snapshot while other sessions
/// rewrite and flush the table, the plan cache across the transaction boundary, and the ADO.NET transaction.
/// </summary>
public sealed class TransactionTests : IDisposable
{
    /// <summary>More rows than <see cref="StorageOptions.DirectSegmentRows"/>: the write goes to segment files, not inline.</summary>
    private const int LargeRows = 40_000;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-tx-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        try { Directory.Delete(_dir + "-crash", true); } catch (IOException) { }
    }

    private static TarnOptions Quiet => new() { Storage = new StorageOptions { BackgroundWork = false } };

    private static long Count(TarnSession session, string table) => (long)session.ExecuteAsync($"SELECT count(*) FROM {table}").Result.GetValue(0, 0)!;

    private static string[] SegmentFiles(string dir) =>
        Directory.EnumerateFiles(Path.Combine(dir, StorageEngine.DataDirectoryName), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Inserts ids 0 .. <see cref="LargeRows"/>-1 (digits cross-joined).</summary>
    private static string LargeInsert(string table)
    {
        const string digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))";
        return $"INSERT INTO {table} SELECT a.x + 10 * b.x + 100 * c.x + 1000 * d.x + 10000 * e.x, 'row' "
               + $"FROM {digits} AS a(x), {digits} AS b(x), {digits} AS c(x), {digits} AS d(x), (VALUES (0), (1), (2), (3)) AS e(x)";
    }

    /// <summary>Every segment file in the directory belongs to a committed table version (nothing staged is left).</summary>
    private static void AssertOnlyCommittedFiles(TarnDatabase db, string dir)
    {
        var engine = db.DefaultSession.Core.Storage;
        var referenced = engine.Current.Tables.Values.SelectMany(t => t.Segments.Select(s => Path.GetFullPath(engine.SegmentPath(t.Layout, s)))).ToHashSet();
        Assert.All(SegmentFiles(dir), f => Assert.Contains(Path.GetFullPath(f), referenced));
    }

    [Fact]
    public async Task A_large_write_is_staged_in_files_that_rollback_deletes()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, s STRING)");
        db.Execute("INSERT INTO t VALUES (0, 'zero')");
        var before = SegmentFiles(_dir);
        var session = db.CreateSession();
        await session.ExecuteAsync("BEGIN");
        await session.ExecuteAsync(LargeInsert("t"));
        Assert.Equal(LargeRows + 1, Count(session, "t"));
        Assert.NotEqual(before, SegmentFiles(_dir)); // the rows are in staged segment files
        Assert.Equal(1, Count(db.DefaultSession, "t")); // which no other session reads
        await session.ExecuteAsync("ROLLBACK");
        Assert.Equal(before, SegmentFiles(_dir));
        Assert.Equal(1, Count(session, "t"));
        Assert.Equal(0, OpenDeletedFiles(_dir)); // the staged files were read, yet no reader keeps one alive
    }

    /// <summary>Deleted files under <paramref name="dir"/> this process still holds open (Linux; 0 elsewhere).</summary>
    private static int OpenDeletedFiles(string dir)
    {
        if (!Directory.Exists("/proc/self/fd")) return 0;
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith(Path.GetFullPath(dir), StringComparison.Ordinal) && target.EndsWith("(deleted)", StringComparison.Ordinal)) count++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return count;
    }

    [Fact]
    public async Task A_committed_large_transaction_survives_reopen_and_drops_the_files_a_later_statement_replaced()
    {
        using (var db = TarnDatabase.Open(_dir, Quiet))
        {
            db.Execute("CREATE TABLE t (id INT, s STRING)");
            var session = db.CreateSession();
            await session.ExecuteAsync("BEGIN");
            await session.ExecuteAsync(LargeInsert("t"));
            var staged = SegmentFiles(_dir);
            await session.ExecuteAsync("DELETE FROM t WHERE id % 2 = 0"); // copy-on-write: the first files are dropped
            await session.ExecuteAsync("COMMIT");
            Assert.Empty(staged.Intersect(SegmentFiles(_dir)));
            Assert.Equal(LargeRows / 2, Count(db.DefaultSession, "t"));
        }
        using (var db = TarnDatabase.Open(_dir, Quiet))
        {
            Assert.Equal(LargeRows / 2, Count(db.DefaultSession, "t"));
            Assert.Equal(0L, db.Execute("SELECT count(*) FROM t WHERE id % 2 = 0").GetValue(0, 0));
            AssertOnlyCommittedFiles(db, _dir);
        }
    }

    [Fact]
    public async Task An_open_transaction_is_rolled_back_when_the_database_closes()
    {
        using (var db = TarnDatabase.Open(_dir, Quiet))
        {
            db.Execute("CREATE TABLE t (id INT, s STRING)");
            db.Execute("INSERT INTO t VALUES (0, 'zero')");
            var other = db.CreateSession();
            await other.ExecuteAsync("BEGIN");
            await other.ExecuteAsync(LargeInsert("t"));
            await db.ExecuteAsync("BEGIN");
            await db.ExecuteAsync("INSERT INTO t VALUES (1, 'one')");
        }
        using (var db = TarnDatabase.Open(_dir, Quiet))
        {
            Assert.Equal(1, Count(db.DefaultSession, "t"));
            Assert.False(db.DefaultSession.InTransaction);
            AssertOnlyCommittedFiles(db, _dir);
        }
    }

    [Fact]
    public async Task A_crash_with_an_open_transaction_leaves_no_rows_and_no_files_after_reopen()
    {
        var crash = _dir + "-crash";
        using (var db = TarnDatabase.Open(_dir, Quiet))
        {
            db.Execute("CREATE TABLE t (id INT, s STRING)");
            db.Execute("INSERT INTO t VALUES (0, 'zero')");
            db.Checkpoint();
            var committed = SegmentFiles(_dir).Length;
            var session = db.CreateSession();
            await session.ExecuteAsync("BEGIN");
            await session.ExecuteAsync(LargeInsert("t"));
            Assert.True(SegmentFiles(_dir).Length > committed);
            // The directory as a crash would leave it: everything written so far, the transaction never ended.
            CopyDirectory(_dir, crash);
        }
        using (var db = TarnDatabase.Open(crash, Quiet))
        {
            Assert.Equal(1, Count(db.DefaultSession, "t"));
            db.Execute("INSERT INTO t VALUES (1, 'one')");
            Assert.Equal(2, Count(db.DefaultSession, "t"));
        }
        using (var db = TarnDatabase.Open(crash, Quiet)) AssertOnlyCommittedFiles(db, crash);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == StorageEngine.LockFileName) continue;
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    [Fact]
    public async Task The_snapshot_stays_readable_while_other_sessions_rewrite_and_flush_the_table()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, s STRING)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        var reader = db.CreateSession();
        await reader.ExecuteAsync("BEGIN");
        Assert.Equal(2, Count(reader, "t"));
        var storage = db.DefaultSession.Core.Storage;
        var tableId = db.DefaultSession.Core.Catalog.FindTable(new ObjectPath("default_catalog", "default_database", "t"))!.TableId;
        db.Execute("UPDATE t SET s = 'x'"); // copy-on-write: replaces every file and inline part
        db.Execute("INSERT INTO t VALUES (3, 'c')");
        storage.FlushTable(tableId);
        db.Checkpoint();
        var rows = (await reader.ExecuteAsync("SELECT id, s FROM t ORDER BY id")).Rows.Select(r => $"{r[0]}{r[1]}").ToList();
        Assert.Equal(["1a", "2b"], rows);
        await reader.ExecuteAsync("COMMIT"); // read-only: nothing to conflict with
        Assert.Equal(3, Count(reader, "t"));
    }

    [Fact]
    public async Task A_flush_of_the_table_during_the_transaction_does_not_conflict_with_its_rewrite()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT)");
        db.Execute("INSERT INTO t VALUES (1), (2), (3)");
        var tableId = db.DefaultSession.Core.Catalog.FindTable(new ObjectPath("default_catalog", "default_database", "t"))!.TableId;
        var session = db.CreateSession();
        await session.ExecuteAsync("BEGIN");
        await session.ExecuteAsync("DELETE FROM t WHERE id = 2");
        db.DefaultSession.Core.Storage.FlushTable(tableId); // the inline rows the rewrite removes move to a file
        await session.ExecuteAsync("COMMIT");
        var ids = db.Execute("SELECT id FROM t ORDER BY id").Rows.Select(r => (int)r[0]!).ToList();
        Assert.Equal([1, 3], ids);
    }

    [Fact]
    public async Task Cached_plans_do_not_leak_across_the_transaction_boundary()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE k (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO k VALUES (1, 'a')");
        var session = db.CreateSession();
        var lookup = session.Prepare("SELECT v FROM k WHERE id = ?");
        Assert.Equal("a", (await lookup.ExecuteAsync(1L)).GetValue(0, 0));
        await session.ExecuteAsync("BEGIN");
        await session.ExecuteAsync("UPDATE k SET v = 'b' WHERE id = 1");
        await session.ExecuteAsync("INSERT INTO k VALUES (2, 'c')");
        Assert.Equal("b", (await lookup.ExecuteAsync(1L)).GetValue(0, 0));
        Assert.Equal("c", (await lookup.ExecuteAsync(2L)).GetValue(0, 0));
        Assert.Equal("a", (await db.DefaultSession.Prepare("SELECT v FROM k WHERE id = ?").ExecuteAsync(1L)).GetValue(0, 0));
        await session.ExecuteAsync("ROLLBACK");
        Assert.Equal("a", (await lookup.ExecuteAsync(1L)).GetValue(0, 0));
        Assert.Empty((await lookup.ExecuteAsync(2L)).Rows);
    }

    [Fact]
    public async Task Disposing_a_session_rolls_its_transaction_back()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT)");
        using (var session = db.CreateSession())
        {
            await session.ExecuteAsync("BEGIN");
            await session.ExecuteAsync("INSERT INTO t VALUES (1)");
            Assert.True(session.InTransaction);
        }
        Assert.Equal(0, Count(db.DefaultSession, "t"));
    }

    [Fact]
    public async Task Ado_net_transactions_commit_and_roll_back()
    {
        await using var conn = new TarnConnection($"Data Source={_dir}");
        await conn.OpenAsync();
        await conn.ExecuteAsync("CREATE TABLE t (id INT)");
        using (var tx = conn.BeginTransaction())
        {
            await conn.ExecuteAsync("INSERT INTO t VALUES (1), (2)", transaction: tx);
            Assert.Equal(2L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM t", transaction: tx));
            tx.Rollback();
        }
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM t"));
        using (var tx = conn.BeginTransaction())
        {
            await conn.ExecuteAsync("INSERT INTO t VALUES (3)", transaction: tx);
            tx.Commit();
        }
        using (conn.BeginTransaction())
        {
            await conn.ExecuteAsync("INSERT INTO t VALUES (4)");
            // disposed without Commit: rolled back
        }
        Assert.Equal(3L, await conn.ExecuteScalarAsync<long>("SELECT sum(id) FROM t"));
        Assert.Throws<TarnException>(() => conn.BeginTransaction(System.Data.IsolationLevel.Serializable));
    }
}
