namespace Tarn.Tests.Api;

/// <summary>
/// Hash joins under a sort (not under an aggregate) probe on all workers and their batches are gathered unordered; the
/// sorted answers must equal the single-threaded plan's, over tables of several row groups.
/// </summary>
public sealed class ParallelSortedJoinTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-psj-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Sorted_join_results_do_not_depend_on_parallelism()
    {
        const int rows = 200_000; // several 65,536-row groups, so several morsels
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE facts (id BIGINT, k BIGINT, v BIGINT)");
        db.Execute("CREATE TABLE dims (k BIGINT, name STRING)");
        using (var appender = db.CreateAppender("facts"))
        {
            for (var i = 0; i < rows; i++)
            {
                appender.Append((long)i);
                if (i % 97 == 0) appender.AppendNull(); else appender.Append((long)(i * 7919 % 1000));
                appender.Append((long)(i % 13));
                appender.EndRow();
            }
        }
        db.Checkpoint();
        using (var appender = db.CreateAppender("dims"))
        {
            for (var k = 0; k < 1000; k += 3)
            {
                appender.Append((long)k).Append("d" + k);
                appender.EndRow();
            }
        }
        db.Checkpoint();
        string[] queries =
        [
            "SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k WHERE f.v > 3 ORDER BY f.id",
            "SELECT f.id, d.name FROM facts f LEFT JOIN dims d ON f.k = d.k ORDER BY f.v DESC, f.id LIMIT 500",
            "SELECT f.id FROM facts f WHERE f.k IN (SELECT k FROM dims WHERE name LIKE 'd1%') ORDER BY f.id DESC LIMIT 2000",
            "SELECT f.id, f.k FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE d.k = f.k) ORDER BY f.id",
        ];
        var session = db.CreateSession();
        foreach (var sql in queries)
        {
            await session.ExecuteAsync("SET 'parallelism' = '1'");
            var single = (await session.ExecuteAsync(sql)).Rows.Select(r => string.Join("|", r)).ToList();
            await session.ExecuteAsync("SET 'parallelism' = '4'");
            var parallel = (await session.ExecuteAsync(sql)).Rows.Select(r => string.Join("|", r)).ToList();
            Assert.True(single.Count > 0, sql);
            Assert.Equal(single, parallel);
        }
    }
}
