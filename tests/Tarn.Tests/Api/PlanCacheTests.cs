using System.Globalization;
using CsCheck;
using Tarn.Internal;

namespace Tarn.Tests.Api;

/// <summary>
/// The plan cache and the primary-key lookup path: a repeated parameterized text must give what binding it afresh
/// gives (the reference here is the script path, which never uses the cache), across parameter values and types,
/// commits, DDL and deletes.
/// </summary>
public sealed class PlanCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-plancache-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static string Run(TarnSession session, string sql, params object?[] parameters)
    {
        try
        {
            return Format(session.ExecuteAsync(sql, parameters).GetAwaiter().GetResult());
        }
        catch (TarnException e)
        {
            return "error " + e.SqlState;
        }
    }

    private static TarnResult Exec(TarnSession session, string sql, params object?[] parameters) =>
        session.ExecuteAsync(sql, parameters).GetAwaiter().GetResult();

    private static TarnResult ExecNamed(TarnSession session, string sql, TarnParameters parameters) =>
        session.ExecuteAsync(sql, parameters).GetAwaiter().GetResult();

    /// <summary>The same statement through the script path, which binds every time.</summary>
    private static string Reference(TarnSession session, string sql, params object?[] parameters)
    {
        try
        {
            var results = StatementRunner.ExecuteScriptAsync(session, sql, CancellationToken.None, new TarnParameters(parameters, null)).ToBlockingEnumerable().ToList();
            return Format(results[^1].Result);
        }
        catch (TarnException e)
        {
            return "error " + e.SqlState;
        }
    }

    private static string Format(TarnResult result) =>
        string.Join(";", result.Rows.Select(r => string.Join(",", r.Select(v => v is null ? "NULL" : Convert.ToString(v, CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal));

    private static void Same(TarnSession session, string sql, params object?[] parameters) =>
        Assert.Equal(Reference(session, sql, parameters), Run(session, sql, parameters));

    [Fact]
    public void A_repeated_text_is_planned_once_and_takes_new_values()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '4')");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        var session = db.CreateSession();
        var plans = session.Core.Plans;
        Assert.Equal("a", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        var count = plans.Count;
        Assert.Equal("b", Run(session, "SELECT v FROM t WHERE id = ?", 2L));
        Assert.Equal("c", Run(session, "SELECT v FROM t WHERE id = ?", 3L));
        Assert.Equal("", Run(session, "SELECT v FROM t WHERE id = ?", 4L));
        Assert.Equal(count, plans.Count);
        // other parameter types are other plans, with the same answers as binding afresh
        Assert.Equal("b", Run(session, "SELECT v FROM t WHERE id = ?", 2));
        Assert.Equal("b", Run(session, "SELECT v FROM t WHERE id = ?", (short)2));
        Assert.Equal("", Run(session, "SELECT v FROM t WHERE id = ?", (object?)null));
        Same(session, "SELECT v FROM t WHERE id = ?", "2");
        Same(session, "SELECT v FROM t WHERE id = ?", 2.0);
        Same(session, "SELECT v FROM t WHERE id = ?", 2.5m);
        Same(session, "SELECT v FROM t WHERE id = ?", "x");
    }

    [Fact]
    public void Commits_and_ddl_between_two_runs_are_seen()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2')");
        db.Execute("CREATE TABLE p (id BIGINT, v STRING)");
        var session = db.CreateSession();
        Assert.Equal("", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        Assert.Equal("0", Run(session, "SELECT count(*) FROM p WHERE id > ?", 0L));
        db.Execute("INSERT INTO t VALUES (1, 'a')");
        db.Execute("INSERT INTO p VALUES (1, 'a'), (2, 'b')");
        Assert.Equal("a", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        Assert.Equal("2", Run(session, "SELECT count(*) FROM p WHERE id > ?", 0L));
        Assert.Equal("1", Run(session, "SELECT count(*) FROM p WHERE id > ?", 1L));
        Exec(session, "UPDATE t SET v = ? WHERE id = ?", "a2", 1L);
        Assert.Equal("a2", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        Exec(session, "DELETE FROM t WHERE id = ?", 1L);
        Assert.Equal("", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        db.Execute("INSERT INTO t VALUES (1, 'a3')");
        db.Checkpoint();
        Assert.Equal("a3", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        Assert.Equal("1,a3", Run(session, "SELECT * FROM t WHERE id = ?", 1L));
        db.Execute("ALTER TABLE t ADD w INT");
        Assert.Equal("1,a3,NULL", Run(session, "SELECT * FROM t WHERE id = ?", 1L));
        db.Execute("DROP TABLE t");
        Assert.Equal("error 42P01", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        db.Execute("CREATE TABLE t (id STRING, v INT, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO t VALUES ('1', 7)");
        Assert.Equal("7", Run(session, "SELECT v FROM t WHERE id = ?", "1"));
        Same(session, "SELECT v FROM t WHERE id = ?", 1L);
    }

    [Fact]
    public void Statements_whose_binding_uses_a_value_are_bound_every_time()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, d DATE, v STRING)");
        db.Execute("INSERT INTO t VALUES (1, DATE '2024-01-01', 'a'), (2, DATE '2024-01-02', 'b'), (3, DATE '2024-01-03', 'c')");
        var session = db.CreateSession();
        Assert.Equal("1", Run(session, "SELECT id FROM t ORDER BY id LIMIT ?", 1));
        Assert.Equal("1;2;3", Run(session, "SELECT id FROM t ORDER BY id LIMIT ?", 3));
        Same(session, "SELECT id FROM t WHERE d = ?", "2024-01-02");
        Same(session, "SELECT id FROM t WHERE d = ?", "2024-01-03");
        Same(session, "SELECT listagg(v, ?) FROM t", "-");
        Same(session, "SELECT listagg(v, ?) FROM t", "+");
        // equal values may let the binder merge expressions; unequal ones must not reuse that plan
        Same(session, "SELECT id + ? FROM t GROUP BY id + ?", 1L, 1L);
        Same(session, "SELECT id + ? FROM t GROUP BY id + ?", 1L, 2L);
        Same(session, "SELECT id FROM t WHERE id = ? OR id = ?", 1L, 1L);
        Same(session, "SELECT id FROM t WHERE id = ? OR id = ?", 1L, 3L);
        // named parameters take the normal path
        var named = new TarnParameters(null, new Dictionary<string, object?> { ["k"] = 2L });
        Assert.Equal("b", Format(ExecNamed(session, "SELECT v FROM t WHERE id = :k", named)));
    }

    [Fact]
    public void Time_travel_and_session_state_are_part_of_the_plan()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2')");
        db.Execute("INSERT INTO t VALUES (1, 'old')");
        db.Execute("INSERT INTO t VALUES (1, 'new')");
        var session = db.CreateSession();
        Assert.Equal("old", Run(session, "SELECT v FROM t /*+ OPTIONS('scan.snapshot-id' = '1') */ WHERE id = ?", 1L));
        Assert.Equal("new", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
        Same(session, "SELECT v FROM t FOR SYSTEM_TIME AS OF ? WHERE id = 1", 1L);
        db.Execute("CREATE DATABASE other");
        db.Execute("CREATE TABLE other.t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO other.t VALUES (1, 'elsewhere')");
        Exec(session, "USE other");
        Assert.Equal("elsewhere", Run(session, "SELECT v FROM t WHERE id = ?", 1L));
    }

    [Fact]
    public void Session_options_that_shape_binding_are_part_of_the_key()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE n (a INT)");
        db.Execute("INSERT INTO n VALUES (2), (NULL), (1)");
        var session = db.CreateSession();
        string Ordered() => string.Join(",", Exec(session, "SELECT a FROM n WHERE a IS NULL OR a > ? ORDER BY a", 0).Rows.Select(r => r[0]?.ToString() ?? "NULL"));
        Assert.Equal("NULL,1,2", Ordered());
        Exec(session, "SET 'default_null_order' = 'nulls_last'");
        Assert.Equal("1,2,NULL", Ordered());
        Exec(session, "RESET 'default_null_order'");
        Assert.Equal("NULL,1,2", Ordered());

        // A temporary view shadows the permanent one for this session only, and the cached plan must follow.
        db.Execute("CREATE VIEW v AS SELECT 'permanent' AS w");
        Assert.Equal("permanent", Run(session, "SELECT w FROM v WHERE ? = 1", 1));
        Exec(session, "CREATE TEMPORARY VIEW v AS SELECT 'temporary' AS w");
        Assert.Equal("temporary", Run(session, "SELECT w FROM v WHERE ? = 1", 1));
        Assert.Equal("permanent", Run(db.CreateSession(), "SELECT w FROM v WHERE ? = 1", 1));
        Exec(session, "DROP TEMPORARY VIEW v");
        Assert.Equal("permanent", Run(session, "SELECT w FROM v WHERE ? = 1", 1));
    }

    [Fact]
    public async Task A_prepared_statement_runs_with_new_values()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '4')");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        var session = db.CreateSession();
        var lookup = session.Prepare("SELECT v FROM t WHERE id = ?");
        Assert.Equal("a", Format(await lookup.ExecuteAsync(1L)));
        Assert.Equal("b", Format(await lookup.ExecuteAsync(2L)));
        db.Execute("INSERT INTO t VALUES (2, 'b2')");
        Assert.Equal("b2", Format(await lookup.ExecuteAsync(2L)));
        Assert.Equal("error 42601", Catch(() => session.Prepare("SELEC v FROM t")));
        Assert.Equal("error 42601", Catch(() => session.Prepare("SELECT 1; SELECT 2")));
        await Assert.ThrowsAsync<TarnException>(() => lookup.ExecuteAsync());
    }

    private static string Catch(Action action)
    {
        try
        {
            action();
            return "ok";
        }
        catch (TarnException e)
        {
            return "error " + e.SqlState;
        }
    }

    [Fact]
    public void Explain_shows_the_primary_key_lookup()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '4')");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        var plan = string.Join("\n", db.Execute("EXPLAIN SELECT v FROM t WHERE id = 2").Rows.Select(r => r[0]));
        Assert.Contains("primary-key lookup", plan, StringComparison.Ordinal);
        var scan = string.Join("\n", db.Execute("EXPLAIN SELECT v FROM t WHERE v = 'b'").Rows.Select(r => r[0]));
        Assert.DoesNotContain("primary-key lookup", scan, StringComparison.Ordinal);
    }

    /// <summary>
    /// Random upserts, deletes and flushes on a primary-key table; after each step, parameterized lookups of every key
    /// (plain and with an extra conjunct) must match a dictionary model.
    /// </summary>
    [Fact]
    public void Lookups_follow_upserts_deletes_and_flushes()
    {
        var op = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 11], Gen.Int[0, 99]);
        op.Array[1, 25].Sample(ops =>
        {
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE t (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '3')");
            var session = db.CreateSession();
            var model = new Dictionary<int, int>();
            foreach (var (kind, key, value) in ops)
            {
                if (kind < 6)
                {
                    Exec(session, "INSERT INTO t VALUES (?, ?)", key, value);
                    model[key] = value;
                }
                else if (kind < 8)
                {
                    Exec(session, "DELETE FROM t WHERE id = ?", key);
                    model.Remove(key);
                }
                else if (kind == 8) db.Checkpoint();
                else
                {
                    Exec(session, "UPDATE t SET v = v + 1 WHERE id = ?", key);
                    if (model.TryGetValue(key, out var old)) model[key] = old + 1;
                }
                for (var k = 0; k < 12; k++)
                {
                    var expected = model.TryGetValue(k, out var v) ? v.ToString(CultureInfo.InvariantCulture) : "";
                    Assert.Equal(expected, Run(session, "SELECT v FROM t WHERE id = ?", k));
                    Assert.Equal(expected, Run(session, "SELECT v FROM t WHERE id = ?", (long)k));
                    Assert.Equal(model.TryGetValue(k, out v) && v >= 50 ? v.ToString(CultureInfo.InvariantCulture) : "",
                        Run(session, "SELECT v FROM t WHERE id = ? AND v >= ?", k, 50));
                }
            }
        }, iter: 12);
    }
}
