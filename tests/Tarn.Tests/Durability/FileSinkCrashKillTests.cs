using System.Diagnostics;
using System.Globalization;

namespace Tarn.Tests.Durability;

/// <summary>
/// Exactly-once files under SIGKILL: streaming jobs copy a growing table into filesystem tables (one rolling its files
/// at every commit, one on a short rollover interval checked while idle) in a child process that is killed at random
/// moments — while staging, appending, writing roll manifests, renaming. After the last restart the published files
/// must hold every source row exactly once.
/// </summary>
public class FileSinkCrashKillTests
{
    private const int Kills = 4;

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Filesystem_sinks_killed_at_random_moments_publish_every_row_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-fskill-" + Guid.NewGuid().ToString("N")[..10]);
        var worker = Path.Combine(AppContext.BaseDirectory, "Tarn.CrashWorker.dll");
        Assert.True(File.Exists(worker), $"missing {worker}");
        var random = new Random(777);
        long nextSeq = 0;
        try
        {
            using (var db = TarnDatabase.Open(Path.Combine(dir, "db")))
            {
                db.Execute("CREATE TABLE src (seq BIGINT, k INT, v BIGINT)");
                db.Execute($"CREATE TABLE each_commit (seq BIGINT, v BIGINT, k INT) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(dir, "each")}', "
                    + "'format' = 'csv', 'sink.rolling-policy.rollover-interval' = '0 s', 'sink.partition-commit.policy.kind' = 'success-file')");
                db.Execute($"CREATE TABLE rolling (seq BIGINT, v BIGINT, k INT) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(dir, "rolling")}', "
                    + "'format' = 'json', 'sink.rolling-policy.rollover-interval' = '150 ms', 'sink.rolling-policy.check-interval' = '50 ms')");
                db.Execute("SET 'execution.runtime-mode' = 'streaming'");
                db.Execute("SET 'execution.checkpointing.interval' = '20 ms'");
                db.Execute("INSERT INTO each_commit SELECT seq, v, k FROM src");
                db.Execute("INSERT INTO rolling SELECT seq, v, k FROM src");
            }
            for (var round = 0; round < Kills; round++)
            {
                var lastAck = JobWorkerKiller.RunAndKill(worker, Path.Combine(dir, "db"), nextSeq, random, 50, 500, round);
                using var db = TarnDatabase.Open(Path.Combine(dir, "db"));
                var max = db.Execute("SELECT COALESCE(MAX(seq), -1) FROM src").GetValue(0, 0);
                nextSeq = Math.Max(lastAck, Convert.ToInt64(max, CultureInfo.InvariantCulture) + 1);
            }

            using (var db = TarnDatabase.Open(Path.Combine(dir, "db")))
            {
                await db.WaitForJobsAsync();
                var jobs = db.Execute("SHOW JOBS").Rows.ToList();
                Assert.All(jobs, j => Assert.True((string?)j[2] == "RUNNING", $"job {j[0]} is {j[2]}: {j[4]}"));
                var expected = Sorted(db.Execute("SELECT seq, v, k FROM src"));
                Assert.True(Convert.ToInt64(db.Execute("SELECT COUNT(*) FROM src").GetValue(0, 0), CultureInfo.InvariantCulture) > Kills * 50);
                // Rolling every commit: all caught-up rows are published.
                Assert.Empty(db.Execute("SELECT seq, COUNT(*) FROM each_commit GROUP BY seq HAVING COUNT(*) > 1").Rows);
                Assert.Equal(expected, Sorted(db.Execute("SELECT seq, v, k FROM each_commit")));
                // A rollover interval: the last files roll at the next periodic check of the idle job.
                var total = db.Execute("SELECT COUNT(*) FROM src").GetValue(0, 0);
                var deadline = Stopwatch.StartNew();
                while (!Equals(db.Execute("SELECT COUNT(*) FROM rolling").GetValue(0, 0), total) && deadline.Elapsed < TimeSpan.FromSeconds(30))
                    await Task.Delay(50);
                Assert.Empty(db.Execute("SELECT seq, COUNT(*) FROM rolling GROUP BY seq HAVING COUNT(*) > 1").Rows);
                Assert.Equal(expected, Sorted(db.Execute("SELECT seq, v, k FROM rolling")));
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
