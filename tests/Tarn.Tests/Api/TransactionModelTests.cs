using System.Globalization;
using CsCheck;
using Tarn.Storage.Engine;

namespace Tarn.Tests.Api;

/// <summary>
/// Two sessions run random BEGIN / COMMIT / ROLLBACK / INSERT / UPDATE / DELETE / TRUNCATE on a primary-key table and a
/// copy-on-write table; a model of snapshot isolation (each transaction works on a copy of the committed rows taken
/// at BEGIN; the first committer wins) predicts every query result and every commit's success, and after reopening
/// the database holds exactly the committed rows.
/// </summary>
public sealed class TransactionModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-txmodel-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Rows of both tables: k (id primary key, v) and p (id, v) without a key.</summary>
    private sealed class Rows
    {
        public Dictionary<int, int> K { get; init; } = [];
        public List<(int Id, int V)> P { get; init; } = [];
        public Rows Copy() => new() { K = new Dictionary<int, int>(K), P = [.. P] };
    }

    /// <summary>
    /// How often each table was changed by a commit: <c>Definite</c> counts commits that certainly changed its stored
    /// rows, <c>Possible</c> also those that may have (so a 40001 is allowed but not required).
    /// </summary>
    private sealed class Versions
    {
        public int[] Definite { get; } = new int[2];
        public int[] Possible { get; } = new int[2];
        public void Changed(int table, bool certainly)
        {
            Possible[table]++;
            if (certainly) Definite[table]++;
        }
    }

    private sealed class Transaction(Rows view, int[] definite, int[] possible)
    {
        public Rows View { get; } = view;
        public int[] BaseDefinite { get; } = definite;
        public int[] BasePossible { get; } = possible;
        public bool[] Written { get; } = new bool[2];
    }

    private static string? Error(TarnSession session, string sql, params object?[] args)
    {
        try
        {
            session.ExecuteAsync(sql, args).GetAwaiter().GetResult();
            return null;
        }
        catch (TarnException e)
        {
            return e.SqlState;
        }
    }

    private static long Affected(TarnSession session, string sql, params object?[] args) => session.ExecuteAsync(sql, args).GetAwaiter().GetResult().RowsAffected;

    private static string Show(TarnSession session)
    {
        var k = session.ExecuteAsync("SELECT id, v FROM k ORDER BY id").GetAwaiter().GetResult().Rows.Select(r => $"{r[0]}={r[1]}");
        var p = session.ExecuteAsync("SELECT id, v FROM p ORDER BY id, v").GetAwaiter().GetResult().Rows.Select(r => $"{r[0]}={r[1]}");
        return "k: " + string.Join(",", k) + " p: " + string.Join(",", p);
    }

    private static string Show(Rows rows) =>
        "k: " + string.Join(",", rows.K.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"))
        + " p: " + string.Join(",", rows.P.OrderBy(r => r.Id).ThenBy(r => r.V).Select(r => $"{r.Id}={r.V}"));

    [Fact]
    public void Random_transactions_of_two_sessions_follow_the_snapshot_isolation_model()
    {
        var op = Gen.Select(Gen.Int[0, 1], Gen.Int[0, 11], Gen.Int[0, 4], Gen.Int[0, 99]);
        op.Array[1, 40].Sample(ops =>
        {
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            var committed = new Rows();
            var versions = new Versions();
            var open = new Transaction?[2];
            using (var db = TarnDatabase.Open(dir, new TarnOptions { Storage = new StorageOptions { BackgroundWork = false } }))
            {
                db.Execute("CREATE TABLE k (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2')");
                db.Execute("CREATE TABLE p (id INT, v INT)");
                var sessions = new[] { db.CreateSession(), db.CreateSession() };
                var step = 0;
                foreach (var (who, kind, key, value) in ops)
                {
                    step++;
                    var session = sessions[who];
                    var tx = open[who];
                    var view = tx?.View ?? committed;
                    var context = $"step {step}: session {who} kind {kind} key {key} value {value} (steps: {string.Join(" ", ops.Select(o => $"{o.Item1}/{o.Item2}/{o.Item3}/{o.Item4}"))})";
                    switch (kind)
                    {
                        case 0:
                            Assert.Equal(tx is null ? null : "25001", Error(session, "BEGIN"));
                            open[who] ??= new Transaction(committed.Copy(), (int[])versions.Definite.Clone(), (int[])versions.Possible.Clone());
                            break;
                        case 1:
                        {
                            var error = Error(session, "COMMIT");
                            if (tx is null)
                            {
                                Assert.Equal("25P01", error);
                                break;
                            }
                            open[who] = null;
                            bool definite = false, possible = false;
                            for (var t = 0; t < 2; t++)
                            {
                                if (!tx.Written[t]) continue;
                                definite |= versions.Definite[t] != tx.BaseDefinite[t];
                                possible |= versions.Possible[t] != tx.BasePossible[t];
                            }
                            if (error is not null)
                            {
                                Assert.True(error == "40001" && possible, $"{context}: COMMIT failed with {error} without a conflicting commit");
                                break;
                            }
                            Assert.False(definite, $"{context}: COMMIT succeeded although another commit changed a table it wrote");
                            if (tx.Written[0])
                            {
                                committed.K.Clear();
                                foreach (var (id, v) in tx.View.K) committed.K[id] = v;
                                versions.Changed(0, true);
                            }
                            if (tx.Written[1])
                            {
                                var changes = committed.P.Count > 0 || tx.View.P.Count > 0;
                                committed.P.Clear();
                                committed.P.AddRange(tx.View.P);
                                versions.Changed(1, changes);
                            }
                            break;
                        }
                        case 2:
                            Assert.Equal(tx is null ? "25P01" : null, Error(session, "ROLLBACK"));
                            open[who] = null;
                            break;
                        case 3 or 4:
                            Affected(session, "INSERT INTO k VALUES (?, ?)", key, value);
                            view.K[key] = value;
                            Wrote(tx, versions, 0, true);
                            break;
                        case 5 or 6:
                            Affected(session, "INSERT INTO p VALUES (?, ?)", key, value);
                            view.P.Add((key, value));
                            Wrote(tx, versions, 1, true);
                            break;
                        case 7:
                        {
                            var hitK = Affected(session, "UPDATE k SET v = v + 1 WHERE id = ?", key);
                            Assert.Equal(view.K.ContainsKey(key) ? 1 : 0, hitK);
                            if (hitK > 0)
                            {
                                view.K[key]++;
                                Wrote(tx, versions, 0, true);
                            }
                            var hitP = Affected(session, "UPDATE p SET v = v + 1 WHERE id = ?", key);
                            Assert.Equal(view.P.Count(r => r.Id == key), hitP);
                            if (hitP > 0)
                            {
                                for (var i = 0; i < view.P.Count; i++)
                                    if (view.P[i].Id == key) view.P[i] = (key, view.P[i].V + 1);
                                Wrote(tx, versions, 1, true);
                            }
                            break;
                        }
                        case 8:
                        {
                            var hitK = Affected(session, "DELETE FROM k WHERE id = ?", key);
                            Assert.Equal(view.K.Remove(key) ? 1 : 0, hitK);
                            if (hitK > 0) Wrote(tx, versions, 0, true);
                            var hitP = Affected(session, "DELETE FROM p WHERE id = ?", key);
                            Assert.Equal(view.P.RemoveAll(r => r.Id == key), hitP);
                            if (hitP > 0) Wrote(tx, versions, 1, true);
                            break;
                        }
                        case 9:
                        {
                            var had = view.P.Count > 0;
                            Assert.Equal(view.P.Count, Affected(session, "TRUNCATE p"));
                            view.P.Clear();
                            // Inside a transaction TRUNCATE always takes part in the conflict check; alone it commits only if there were rows.
                            if (tx is not null) tx.Written[1] = true;
                            else if (had) versions.Changed(1, true);
                            break;
                        }
                        default:
                            Assert.True(Show(view) == Show(session), $"{context}: expected {Show(view)}, got {Show(session)}");
                            break;
                    }
                }
                foreach (var s in sessions) s.Dispose();
            }
            using (var db = TarnDatabase.Open(dir))
                Assert.Equal(Show(committed), Show(db.DefaultSession));
        }, iter: 25);
    }

    /// <summary>A write: inside a transaction it takes part in the conflict check at COMMIT; alone it is a commit.</summary>
    private static void Wrote(Transaction? tx, Versions versions, int table, bool certainly)
    {
        if (tx is not null) tx.Written[table] = true;
        else versions.Changed(table, certainly);
    }
}
