using System.Globalization;
using CsCheck;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;

namespace Tarn.Tests.Api;

/// <summary>
/// The full changelog of primary-key tables (storage-spec DB-054..DB-058): what a streaming reader sees for upserts,
/// updates and deletes under each merge engine, and a model test that folds the changelog back into the table.
/// </summary>
public sealed class PrimaryKeyChangelogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-pkc-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>
    /// No background flush or compaction: compaction folds the changes of an interval into one per key (DB-052), and
    /// these tests read the changelog exactly as it was written.
    /// </summary>
    private static readonly TarnOptions Quiet = new() { Storage = new StorageOptions { BackgroundWork = false } };

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The changelog of table <paramref name="table"/> from the start, as "kind(col,col,...)" strings (per bucket, in offset order).</summary>
    private static List<string> Changelog(TarnDatabase db, string table)
    {
        var reader = db.OpenStream(table, StreamStart.Earliest);
        var result = new List<string>();
        while (reader.TryRead() is { } batch)
        {
            var userColumns = batch.Rows.ColumnCount - 2; // then $offset and the bucket
            for (var r = 0; r < batch.Rows.RowCount; r++)
            {
                var values = new string[userColumns];
                for (var c = 0; c < userColumns; c++) values[c] = Format(batch.Rows.Columns[c].GetValue(r));
                result.Add($"{batch.KindOf(r).ToShortString()}({string.Join(",", values)})");
            }
        }
        return result;
    }

    private static string Format(object? value) => value switch
    {
        null => "NULL",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    [Fact]
    [Trait("Spec", "DB-054")]
    public void Upserts_store_the_previous_row_and_chain_within_a_statement()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        db.Execute("INSERT INTO t VALUES (1, 'a2'), (3, 'c'), (3, 'c2'), (1, 'a3')");
        db.Execute("DELETE FROM t WHERE id = 3");
        db.Execute("DELETE FROM t WHERE id = 42");
        db.Execute("UPDATE t SET v = 'b2' WHERE id = 2");
        db.Execute("INSERT INTO t VALUES (4, 'd'), (4, 'd2')");
        Assert.Equal(
            ["+I(1,a)", "+I(2,b)", "-U(1,a)", "+U(1,a3)", "+I(3,c2)", "-D(3,c2)", "-U(2,b)", "+U(2,b2)", "+I(4,d2)"],
            Changelog(db, "t"));
        Assert.Equal(3L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }

    [Fact]
    [Trait("Spec", "DB-054")]
    public void Row_deduplicate_drops_updates_that_change_nothing()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE d (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('changelog-producer.row-deduplicate' = 'true')");
        db.Execute("CREATE TABLE k (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        foreach (var t in new[] { "d", "k" })
        {
            db.Execute($"INSERT INTO {t} VALUES (1, 'a')");
            db.Execute($"INSERT INTO {t} VALUES (1, 'a')");
            db.Execute($"UPDATE {t} SET v = 'a' WHERE id = 1");
            db.Execute($"INSERT INTO {t} VALUES (1, 'b')");
        }
        Assert.Equal(["+I(1,a)", "-U(1,a)", "+U(1,b)"], Changelog(db, "d"));
        Assert.Equal(["+I(1,a)", "-U(1,a)", "+U(1,a)", "-U(1,a)", "+U(1,a)", "-U(1,a)", "+U(1,b)"], Changelog(db, "k"));
    }

    [Fact]
    [Trait("Spec", "DB-056")]
    public void Partial_update_emits_the_merged_rows()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE p (id INT, a INT, b STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('merge-engine' = 'partial-update', 'partial-update.remove-record-on-delete' = 'true')");
        db.Execute("INSERT INTO p VALUES (1, 10, NULL)");
        db.Execute("INSERT INTO p VALUES (1, NULL, 'x')");
        db.Execute("INSERT INTO p VALUES (1, 11, NULL)");
        db.Execute("DELETE FROM p WHERE id = 1");
        Assert.Equal(["+I(1,10,NULL)", "-U(1,10,NULL)", "+U(1,10,x)", "-U(1,10,x)", "+U(1,11,x)", "-D(1,11,x)"], Changelog(db, "p"));
    }

    [Fact]
    [Trait("Spec", "DB-057")]
    public void Aggregation_emits_the_aggregated_rows()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("""
            CREATE TABLE s (id INT, total BIGINT, hi INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('merge-engine' = 'aggregation',
              'fields.total.aggregate-function' = 'sum', 'fields.hi.aggregate-function' = 'max', 'changelog-producer.row-deduplicate' = 'true')
            """);
        db.Execute("INSERT INTO s VALUES (1, 5, 3), (1, 2, 1)");
        db.Execute("INSERT INTO s VALUES (1, 10, 9)");
        db.Execute("INSERT INTO s VALUES (1, 0, 2)"); // nothing changes: no changelog with row-deduplicate
        Assert.Equal(["+I(1,7,3)", "-U(1,7,3)", "+U(1,17,9)"], Changelog(db, "s"));
        Assert.Equal("17,9", string.Join(",", db.Execute("SELECT total, hi FROM s").Rows.Single().Select(Format)));
    }

    [Fact]
    [Trait("Spec", "DB-058")]
    public void First_row_emits_only_inserts_of_new_keys()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE f (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('merge-engine' = 'first-row', 'bucket' = '1')");
        db.Execute("INSERT INTO f VALUES (1, 'a'), (1, 'b')");
        db.Execute("INSERT INTO f VALUES (1, 'c'), (2, 'd')");
        Assert.Equal(["+I(1,a)", "+I(2,d)"], Changelog(db, "f"));
    }

    [Fact]
    [Trait("Spec", "DB-055")]
    public void Late_rows_by_sequence_field_emit_nothing()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE q (id INT, v STRING, ts BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('sequence.field' = 'ts')");
        db.Execute("INSERT INTO q VALUES (1, 'a', 5)");
        db.Execute("INSERT INTO q VALUES (1, 'late', 4)");
        db.Execute("INSERT INTO q VALUES (1, 'b', 5)");
        Assert.Equal(["+I(1,a,5)", "-U(1,a,5)", "+U(1,b,5)"], Changelog(db, "q"));
    }

    [Fact]
    public void Upserts_in_a_transaction_see_its_own_writes()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO t VALUES (1, 'a')");
        db.Execute("BEGIN");
        db.Execute("INSERT INTO t VALUES (1, 'b'), (2, 'x')");
        db.Execute("INSERT INTO t VALUES (1, 'c')");
        db.Execute("DELETE FROM t WHERE id = 2");
        db.Execute("COMMIT");
        Assert.Equal(["+I(1,a)", "-U(1,a)", "+U(1,b)", "+I(2,x)", "-U(1,b)", "+U(1,c)", "-D(2,x)"], Changelog(db, "t"));
    }

    [Fact]
    public async Task A_transaction_whose_upsert_table_changed_meanwhile_fails_to_commit()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO t VALUES (1, 'a')");
        var other = db.CreateSession();
        db.Execute("BEGIN");
        db.Execute("INSERT INTO t VALUES (1, 'b')");
        await other.ExecuteAsync("INSERT INTO t VALUES (1, 'z')");
        var e = Assert.Throws<TarnException>(() => db.Execute("COMMIT"));
        Assert.Equal(SqlStates.SerializationFailure, e.SqlState);
        Assert.Equal(["+I(1,a)", "-U(1,a)", "+U(1,z)"], Changelog(db, "t"));
    }

    [Fact]
    public async Task Concurrent_upserts_are_retried_against_the_newer_version()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, n INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2')");
        var sessions = Enumerable.Range(0, 4).Select(_ => db.CreateSession()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, sessions.Length).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++) await sessions[s].ExecuteAsync($"INSERT INTO t VALUES ({i % 5}, {s * 100 + i})");
        })));
        // Every key's changelog is consistent: each -U carries the row the previous change left.
        var current = new Dictionary<string, string>();
        foreach (var change in Changelog(db, "t"))
        {
            var kind = change[..2];
            var row = change[3..^1];
            var key = row.Split(',')[0];
            if (kind is "+I" or "+U")
            {
                Assert.False(current.ContainsKey(key), $"{change} while the key holds {current.GetValueOrDefault(key)}");
                current[key] = row;
            }
            else
            {
                Assert.Equal(current[key], row);
                current.Remove(key);
            }
        }
        Assert.Equal(5, current.Count);
        Assert.Equal(5L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }

    [Fact]
    [Trait("Spec", "DB-054")]
    public void The_appender_stores_the_full_changelog_of_a_primary_key_table()
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        db.Execute("CREATE TABLE t (id INT, n INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('merge-engine' = 'aggregation', 'fields.n.aggregate-function' = 'sum')");
        using (var appender = db.CreateAppender("t", chunkRows: 3))
        {
            for (var i = 0; i < 7; i++) appender.AppendRow(i % 2, i);
        }
        // Chunks: (0,0) (1,1) (0,2) | (1,3) (0,4) (1,5) | (0,6)
        Assert.Equal(["+I(0,2)", "+I(1,1)", "-U(1,1)", "+U(1,9)", "-U(0,2)", "+U(0,6)", "-U(0,6)", "+U(0,12)"], Changelog(db, "t"));
        Assert.Equal("0,12|1,9", string.Join("|", db.Execute("SELECT * FROM t ORDER BY id").Rows.Select(r => string.Join(",", r.Select(Format)))));
    }

    [Theory]
    [InlineData("'merge-engine' = 'aggregation', 'fields.n.aggregate-function' = 'median'", "22023", "median")]
    [InlineData("'merge-engine' = 'nope'", "22023", "nope")]
    [InlineData("'merge-engine' = 'aggregation', 'fields.zz.aggregate-function' = 'sum'", "42703", "zz")]
    [InlineData("'merge-engine' = 'aggregation', 'fields.s.aggregate-function' = 'sum'", "42804", "'s'")]
    public void Bad_merge_options_are_rejected_at_the_option(string options, string sqlState, string mentioned)
    {
        using var db = TarnDatabase.Open(_dir, Quiet);
        var e = Assert.Throws<TarnException>(() => db.Execute($"CREATE TABLE t (id INT, n INT, s STRING, PRIMARY KEY (id) NOT ENFORCED)\nWITH ('bucket' = '1',\n  {options})"));
        Assert.Equal(sqlState, e.SqlState);
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Position?.Line);
        Assert.Equal(0, db.Execute("SHOW TABLES").RowCount);
    }

    public static TheoryData<string> Engines => ["deduplicate", "text-key", "sequence", "partial-update", "aggregation", "first-row"];

    /// <summary>
    /// Random multi-row upserts, deletes and checkpoints on a table with the given merge engine. Afterwards (a) the
    /// batch content equals a model map, and (b) folding the streamed changelog (+I/+U put into an absent key, -U/-D
    /// remove and must carry exactly the current row) gives the same map.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    [Trait("Spec", "DB-054")]
    public void The_changelog_folds_into_the_table(string engine)
    {
        var options = engine switch
        {
            "sequence" => "'sequence.field' = 's'",
            "partial-update" => "'merge-engine' = 'partial-update', 'partial-update.remove-record-on-delete' = 'true'",
            "aggregation" => "'merge-engine' = 'aggregation', 'fields.a.aggregate-function' = 'sum', 'fields.b.aggregate-function' = 'max', 'aggregation.remove-record-on-delete' = 'true'",
            "first-row" => "'merge-engine' = 'first-row', 'ignore-delete' = 'true'",
            _ => "'bucket' = '1'",
        };
        var row = Gen.Select(Gen.Int[0, 6], Gen.Int[-5, 20], Gen.Int[0, 4], Gen.Int[0, 9]);
        var op = Gen.Select(Gen.Int[0, 9], row.Array[1, 3]);
        op.Array[1, 20].Sample(ops =>
        {
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir, Quiet);
            var keyType = engine == "text-key" ? "STRING" : "INT";
            db.Execute($"CREATE TABLE t (id {keyType}, a INT, b STRING, s INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2', {options})".Replace(", 'bucket' = '1'", "", StringComparison.Ordinal));
            var model = new Dictionary<int, (int? A, string? B, int S)>();
            foreach (var (kind, rows) in ops)
            {
                if (kind < 7)
                {
                    var values = new List<string>();
                    foreach (var (id, a, b, s) in rows)
                    {
                        int? av = a < 0 ? null : a;
                        string? bv = b == 0 ? null : "v" + b;
                        values.Add($"({(keyType == "INT" ? id : $"'{id}'")}, {(av is null ? "NULL" : av.Value.ToString(CultureInfo.InvariantCulture))}, {(bv is null ? "NULL" : $"'{bv}'")}, {s})");
                        Apply(engine, model, id, av, bv, s);
                    }
                    db.Execute("INSERT INTO t VALUES " + string.Join(", ", values));
                }
                else if (kind < 9)
                {
                    var id = rows[0].Item1;
                    db.Execute(keyType == "INT" ? $"DELETE FROM t WHERE id = {id}" : $"DELETE FROM t WHERE id = '{id}'");
                    if (engine != "first-row") model.Remove(id);
                }
                else db.Checkpoint();
            }
            var expected = model.OrderBy(p => p.Key).Select(p => $"{p.Key},{p.Value.A?.ToString(CultureInfo.InvariantCulture) ?? "NULL"},{p.Value.B ?? "NULL"},{p.Value.S}").ToList();
            var actual = db.Execute("SELECT * FROM t ORDER BY id").Rows.Select(r => string.Join(",", r.Select(Format))).ToList();
            Assert.Equal(expected, actual);

            var folded = new SortedDictionary<int, string>();
            foreach (var change in Changelog(db, "t"))
            {
                var kind = change[..2];
                var text = change[3..^1];
                var key = int.Parse(text.Split(',')[0], CultureInfo.InvariantCulture);
                if (kind is "+I" or "+U")
                {
                    Assert.False(folded.ContainsKey(key), $"{change} while the key holds ({folded.GetValueOrDefault(key)})");
                    folded[key] = text;
                }
                else
                {
                    Assert.True(folded.TryGetValue(key, out var held), $"{change} for a key that holds nothing");
                    Assert.Equal(held, text);
                    folded.Remove(key);
                }
            }
            Assert.Equal(expected, folded.Values.ToList());
        }, iter: 15);
    }

    private static void Apply(string engine, Dictionary<int, (int? A, string? B, int S)> model, int id, int? a, string? b, int s)
    {
        var exists = model.TryGetValue(id, out var cur);
        switch (engine)
        {
            case "sequence":
                if (!exists || s >= cur.S) model[id] = (a, b, s);
                break;
            case "partial-update":
                model[id] = exists ? (a ?? cur.A, b ?? cur.B, s) : (a, b, s);
                break;
            case "aggregation":
                if (!exists) model[id] = (a, b, s);
                else
                {
                    var sum = a is null ? cur.A : cur.A is null ? a : cur.A + a;
                    var max = b is null ? cur.B : cur.B is null || string.CompareOrdinal(b, cur.B) > 0 ? b : cur.B;
                    model[id] = (sum, max, s);
                }
                break;
            case "first-row":
                if (!exists) model[id] = (a, b, s);
                break;
            default:
                model[id] = (a, b, s);
                break;
        }
    }
}
