using CsCheck;
using Tarn.Execution.Lookup;
using Tarn.Internal;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The lookup index of a native dimension follows the table's commits incrementally (its changelog applied through
/// the dimension's projections and filters) and is rebuilt only when the changelog cannot say what changed.
/// </summary>
public sealed class NativeLookupIndexTests : StreamingTestBase
{
    private const string Dim = "CREATE TABLE dim (id BIGINT, name STRING, weight INT, label AS UPPER(name), PRIMARY KEY (id) NOT ENFORCED)";

    /// <summary>The source a job would build for the lookup join in <paramref name="insert"/>.</summary>
    private static NativeLookupSource SourceOf(TarnDatabase db, string insert)
    {
        var statement = (InsertStatement)SqlParser.ParseScript(insert).Single();
        var compiled = StatementRunner.CompileStreamingInsert(db.DefaultSession, statement, CancellationToken.None);
        LogicalLookupJoin? join = null;
        void Find(LogicalPlan p)
        {
            if (p is LogicalLookupJoin l) join = l;
            foreach (var input in p.Inputs) Find(input);
        }
        Find(compiled.Plan);
        Assert.NotNull(join);
        return new NativeLookupSource(db.Core.Storage, join.DimTable.TableId, join.Dim, join.DimKeys, compiled.Context);
    }

    private static string[] Lookup(NativeLookupSource source, params long[] keys)
    {
        var batch = new ColumnBatch([new PrimitiveVector<long>(DataType.BigInt, [.. keys], keys.Length)], keys.Length);
        var encoded = new byte[keys.Length][];
        var w = new ByteWriter();
        for (var i = 0; i < keys.Length; i++)
        {
            LookupKeyCodec.TryWrite(w, batch, [0], i);
            encoded[i] = w.ToArray();
        }
        var results = new LookupRow[keys.Length][];
        source.Lookup(batch, encoded, results);
        return [.. results.Select(rows => string.Join(",", rows.Select(r => string.Join(":", r.Batch.Columns.Select(c => c.GetValue(r.Row)?.ToString() ?? "NULL")))))];
    }

    [Fact]
    public void Commits_are_applied_from_the_changelog_and_an_overwrite_rebuilds()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE orders (id INT, k BIGINT, proctime AS PROCTIME())");
        db.Execute(Dim);
        db.Execute("CREATE TABLE sink (id INT, name STRING, label STRING)");
        db.Execute("INSERT INTO dim VALUES (1, 'one', 1), (2, 'two', 2)");
        Streaming(db);
        var source = SourceOf(db, "INSERT INTO sink SELECT o.id, d.name, d.label FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id");
        Batch(db);
        Assert.Equal(["1:one:1:ONE", "2:two:2:TWO", ""], Lookup(source, 1, 2, 3));
        Assert.Equal(1, source.Loads);

        db.Execute("UPDATE dim SET name = 'uno' WHERE id = 1");
        db.Execute("DELETE FROM dim WHERE id = 2");
        db.Execute("INSERT INTO dim VALUES (3, 'three', 3), (1, 'eins', 10)");
        Assert.Equal(["1:eins:10:EINS", "", "3:three:3:THREE"], Lookup(source, 1, 2, 3));
        Assert.Equal(1, source.Loads);
        Assert.Equal(1, source.IncrementalRefreshes);
        Assert.Equal(["1:eins:10:EINS"], Lookup(source, 1)); // nothing committed: no refresh
        Assert.Equal(1, source.IncrementalRefreshes);

        db.Execute("INSERT OVERWRITE dim VALUES (4, 'four', 4)");
        Assert.Equal(["", "", "4:four:4:FOUR"], Lookup(source, 1, 3, 4));
        Assert.Equal(2, source.Loads);
        db.Execute("INSERT INTO dim VALUES (5, 'five', 5)");
        Assert.Equal(["4:four:4:FOUR", "5:five:5:FIVE"], Lookup(source, 4, 5));
        Assert.Equal(2, source.Loads);
    }

    [Fact]
    public void Jobs_join_each_order_with_the_dimension_as_changed_so_far()
    {
        // Ops: 0 upsert a dim key, 1 delete a dim key, 2 insert an order (then wait for the job, as processing time needs).
        var op = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 5], Gen.Int[0, 9]);
        Gen.Select(op.Array[1, 25], Gen.Bool).Sample((ops, filtered) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE orders (id INT, k BIGINT, proctime AS PROCTIME())");
            db.Execute(Dim);
            db.Execute("CREATE TABLE sink (id INT, name STRING, label STRING)");
            var where = filtered ? " AND d.weight >= 3" : "";
            Streaming(db);
            db.Execute($"INSERT INTO sink SELECT o.id, d.name, d.label FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id{where}");
            Batch(db);
            var model = new Dictionary<long, (string Name, int Weight)>();
            var expected = new List<string>();
            var orderId = 0;
            foreach (var (kind, key, value) in ops)
            {
                switch (kind)
                {
                    case 0:
                        db.Execute($"INSERT INTO dim VALUES ({key}, 'n{value}', {value})");
                        model[key] = ($"n{value}", value);
                        break;
                    case 1:
                        db.Execute($"DELETE FROM dim WHERE id = {key}");
                        model.Remove(key);
                        break;
                    default:
                        db.Execute($"INSERT INTO orders VALUES ({orderId}, {key})");
                        db.WaitForJobsAsync().GetAwaiter().GetResult();
                        expected.Add(model.TryGetValue(key, out var row) && (!filtered || row.Weight >= 3)
                            ? $"{orderId}|{row.Name}|{row.Name.ToUpperInvariant()}"
                            : $"{orderId}|NULL|NULL");
                        orderId++;
                        break;
                }
            }
            db.WaitForJobsAsync().GetAwaiter().GetResult();
            Assert.Equal(string.Join("\n", expected.Order(StringComparer.Ordinal)), Sorted(db.Execute("SELECT * FROM sink")));
        }, iter: 6);
    }
}
