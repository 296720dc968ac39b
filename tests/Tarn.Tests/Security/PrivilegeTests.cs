using System.Security.Cryptography;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Catalog.Security;

namespace Tarn.Tests.Security;

/// <summary>Sessions with a principal: every table a statement reads or writes is checked against the user's grants.</summary>
public sealed class PrivilegeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-priv-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly TarnDatabase _db;

    public PrivilegeTests()
    {
        _db = TarnDatabase.Open(_dir);
        _db.Execute("CREATE TABLE t (id INT, name STRING)");
        _db.Execute("CREATE TABLE secret (id INT, code STRING)");
        _db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        _db.Execute("INSERT INTO secret VALUES (1, 'x')");
        _db.Execute("CREATE VIEW t_view AS SELECT id FROM secret");
        _db.Execute("CREATE USER alice PASSWORD 'pw'");
        _db.Execute("CREATE USER root PASSWORD 'pw' SUPERUSER");
        _db.Execute("GRANT SELECT ON t TO alice");
    }

    public void Dispose()
    {
        _db.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static async Task<string> DeniedAsync(TarnSession session, string sql)
    {
        var e = await Assert.ThrowsAsync<TarnException>(() => session.ExecuteAsync(sql));
        Assert.Equal(SqlStates.InsufficientPrivilege, e.SqlState);
        return e.Message;
    }

    [Fact]
    public async Task A_user_reads_only_granted_tables_however_the_query_reaches_them()
    {
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        Assert.Equal(2L, (await alice.ExecuteAsync("SELECT count(*) FROM t")).Rows.Single()[0]);
        await DeniedAsync(alice, "SELECT * FROM secret");
        await DeniedAsync(alice, "SELECT * FROM t JOIN secret ON t.id = secret.id");
        await DeniedAsync(alice, "SELECT * FROM t WHERE id IN (SELECT id FROM secret)");
        await DeniedAsync(alice, "WITH s AS (SELECT * FROM secret) SELECT * FROM s");
        await DeniedAsync(alice, "SELECT (SELECT max(code) FROM secret)");
        await DeniedAsync(alice, "EXPLAIN SELECT * FROM secret");
        await DeniedAsync(alice, "SELECT * FROM t_view"); // no SELECT on the view
        // A temporary view is the session's own query: its tables are checked when it is made and where it is used.
        await DeniedAsync(alice, "CREATE TEMPORARY VIEW mine AS SELECT * FROM secret");
        await alice.ExecuteAsync("CREATE TEMPORARY VIEW mine AS SELECT * FROM t");
        Assert.Equal(2, (await alice.ExecuteAsync("SELECT * FROM mine")).Rows.Count());
        await _db.ExecuteAsync("REVOKE SELECT ON t FROM alice");
        await DeniedAsync(alice, "SELECT * FROM mine");
    }

    [Fact]
    public async Task A_view_grant_reads_through_the_view_with_its_owners_rights()
    {
        await _db.ExecuteAsync("GRANT SELECT ON t_view TO alice");
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        Assert.Equal(1, (await alice.ExecuteAsync("SELECT id FROM t_view")).Rows.Single()[0]);
        await DeniedAsync(alice, "SELECT * FROM secret");
    }

    [Fact]
    [Trait("Spec", "CAT-009")] // one grant per (user, object), holding the union of its privileges
    public async Task Insert_update_delete_and_ddl_need_their_privileges()
    {
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        await DeniedAsync(alice, "INSERT INTO t VALUES (3, 'c')");
        await DeniedAsync(alice, "INSERT INTO t SELECT * FROM secret");
        await DeniedAsync(alice, "DELETE FROM t");
        await DeniedAsync(alice, "UPDATE t SET name = 'z'");
        await DeniedAsync(alice, "TRUNCATE TABLE t");
        await DeniedAsync(alice, "CREATE TABLE x (i INT)");
        await DeniedAsync(alice, "DROP TABLE secret");
        await DeniedAsync(alice, "CREATE USER eve PASSWORD 'x'");
        await DeniedAsync(alice, "GRANT SELECT ON secret TO alice");
        await DeniedAsync(alice, "ALTER USER alice SUPERUSER");
        await DeniedAsync(alice, "SHOW GRANTS FOR root");

        await _db.ExecuteAsync("GRANT INSERT ON t TO alice");
        await alice.ExecuteAsync("INSERT INTO t VALUES (3, 'c')");
        Assert.Equal(3L, (await _db.ExecuteAsync("SELECT count(*) FROM t")).Rows.Single()[0]);
        await DeniedAsync(alice, "INSERT INTO t SELECT id, code FROM secret"); // INSERT on t, but no SELECT on secret

        await _db.ExecuteAsync("REVOKE SELECT ON t FROM alice");
        await DeniedAsync(alice, "SELECT * FROM t"); // takes effect for the open session at once
        await alice.ExecuteAsync("ALTER USER alice PASSWORD 'changed'"); // own password
        Assert.Single((await alice.ExecuteAsync("SHOW GRANTS")).Rows);
    }

    [Fact]
    public async Task Cached_plans_are_not_shared_between_principals()
    {
        // The owner's cached plan for the same text must not let alice skip the check.
        for (var i = 0; i < 3; i++) await _db.ExecuteAsync("SELECT code FROM secret WHERE id = ?", 1);
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        var e = await Assert.ThrowsAsync<TarnException>(() => alice.ExecuteAsync("SELECT code FROM secret WHERE id = ?", 1));
        Assert.Equal(SqlStates.InsufficientPrivilege, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "CAT-009")]
    public async Task Superusers_and_the_owner_bypass_grants_and_dropped_users_lose_everything()
    {
        using var root = _db.CreateSession(new TarnPrincipal("root"));
        await root.ExecuteAsync("CREATE TABLE made_by_root (i INT)");
        Assert.Single((await root.ExecuteAsync("SELECT * FROM secret")).Rows);
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        Assert.True(alice.HasTablePrivilege("t", TablePrivileges.Select));
        Assert.False(alice.HasTablePrivilege("t", TablePrivileges.Insert));
        Assert.True(root.HasTablePrivilege("secret", TablePrivileges.All));
        await _db.ExecuteAsync("DROP USER alice");
        await DeniedAsync(alice, "SELECT * FROM t");
        Assert.False(alice.HasTablePrivilege("t", TablePrivileges.Select));
    }

    [Fact]
    public async Task Streaming_jobs_are_checked_when_submitted()
    {
        using var alice = _db.CreateSession(new TarnPrincipal("alice"));
        await _db.ExecuteAsync("GRANT INSERT ON t TO alice");
        await alice.ExecuteAsync("SET 'execution.runtime-mode' = 'streaming'");
        await DeniedAsync(alice, "INSERT INTO t SELECT id, code FROM secret");
    }

    [Fact]
    public void The_catalog_keeps_only_the_scram_verifier_and_it_survives_a_restart()
    {
        _db.Dispose();
        using (var reopened = TarnDatabase.Open(_dir))
        {
            Assert.True(reopened.HasUsers);
            var verifier = reopened.FindScramVerifier("alice")!;
            Assert.Equal(ScramSha256.DefaultIterations, verifier.Iterations);
            Assert.Equal(verifier.StoredKey, ScramSha256.CreateVerifier("pw", verifier.Salt, verifier.Iterations).StoredKey);
            Assert.NotNull(reopened.AuthenticatePassword("alice", "pw"));
            Assert.Null(reopened.AuthenticatePassword("alice", "wrong"));
            Assert.Null(reopened.AuthenticatePassword("nobody", "pw"));
            Assert.Null(reopened.FindScramVerifier("nobody"));
        }
        // The password's bytes appear nowhere in the database files.
        var needle = Encoding.UTF8.GetBytes("pw'");
        foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(needle));
    }

    /// <summary>RFC 7677 section 3: user "user", password "pencil", 4096 iterations.</summary>
    [Fact]
    public void Scram_matches_the_rfc_7677_test_vector()
    {
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        var verifier = ScramSha256.CreateVerifier("pencil", salt, 4096);
        const string clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
        const string serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        const string clientFinalWithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var authMessage = Encoding.UTF8.GetBytes(clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);
        var proof = ScramSha256.ClientProof("pencil", salt, 4096, authMessage);
        Assert.Equal("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Convert.ToBase64String(proof));
        Assert.True(ScramSha256.VerifyProof(verifier, authMessage, proof));
        Assert.Equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Convert.ToBase64String(ScramSha256.ServerSignature(verifier, authMessage)));
        proof[0] ^= 1;
        Assert.False(ScramSha256.VerifyProof(verifier, authMessage, proof));
        Assert.False(ScramSha256.VerifyProof(verifier, authMessage, RandomNumberGenerator.GetBytes(32)));
    }
}
