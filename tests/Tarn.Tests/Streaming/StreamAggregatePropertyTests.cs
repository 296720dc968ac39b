using System.Globalization;
using CsCheck;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Group aggregation over a changelog: random inserts, updates (of grouping and aggregated columns) and deletes on a
/// primary-key source, applied while a streaming job runs; the job's sink must equal the batch answer after every
/// step — retraction of SUM/COUNT/AVG, MIN/MAX falling back when the extreme is retracted, COUNT(DISTINCT), groups
/// that vanish and reappear.
/// </summary>
public sealed class StreamAggregatePropertyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-aggprop-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private const string Query =
        "SELECT g, COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v), MAX(s), MIN(s), COUNT(DISTINCT v), AVG(v), SUM(DISTINCT v) FROM t GROUP BY g";

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "NULL",
            double d => d.ToString("G9", CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture),
        }))).Order(StringComparer.Ordinal));

    [Fact]
    public void Streaming_group_aggregate_equals_batch_after_random_changes()
    {
        var op = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 15], Gen.Int[0, 3], Gen.Int[-5, 5]);
        op.Array[1, 30].Sample(ops =>
        {
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE t (id INT, g INT, v INT, s STRING, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE agg (g INT, n BIGINT, nv BIGINT, sv BIGINT, mn INT, mx INT, ms STRING, mins STRING, dv BIGINT, av DOUBLE, sd BIGINT, PRIMARY KEY (g) NOT ENFORCED)");
            db.Execute("SET 'execution.runtime-mode' = 'streaming'");
            db.Execute("INSERT INTO agg " + Query);
            db.Execute("SET 'execution.runtime-mode' = 'batch'");
            var present = new HashSet<int>();
            var step = 0;
            foreach (var (kind, id, g, v) in ops)
            {
                var value = v == 0 ? "NULL" : v.ToString(CultureInfo.InvariantCulture);
                var text = $"'s{(v + 7) % 4}'";
                if (!present.Contains(id) && kind < 7)
                {
                    db.Execute($"INSERT INTO t VALUES ({id}, {g}, {value}, {text})");
                    present.Add(id);
                }
                else if (kind < 4) db.Execute($"UPDATE t SET v = {value} WHERE id = {id}");
                else if (kind < 7) db.Execute($"UPDATE t SET g = {g}, s = {text} WHERE id = {id}");
                else
                {
                    db.Execute($"DELETE FROM t WHERE id = {id}");
                    present.Remove(id);
                }
                if (++step % 5 != 0 && step != ops.Length) continue;
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                Assert.Equal(Sorted(db.Execute(Query)), Sorted(db.Execute("SELECT * FROM agg")));
            }
        }, iter: 25);
    }
}
