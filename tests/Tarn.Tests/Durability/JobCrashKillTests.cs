using System.Globalization;

namespace Tarn.Tests.Durability;

/// <summary>
/// Exactly-once under SIGKILL: two streaming jobs (an insert-only copy and a group aggregate) run in a child process
/// that keeps feeding their source and is killed at random moments — during processing, during state checkpoints,
/// during commits. After every kill the database reopens and the jobs resume; at the end their sinks must equal the
/// batch answer over everything the source holds: nothing lost, nothing duplicated.
/// </summary>
public class JobCrashKillTests
{
    private const int Kills = 20;
    private const string Aggregate = "SELECT k, COUNT(*), SUM(v), MAX(seq), COUNT(DISTINCT v) FROM src GROUP BY k";
    private const string Pairs = "SELECT a.seq, b.v FROM src a JOIN src b ON a.seq = b.seq + 1";

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    [Fact]
    [Trait("Spec", "LOG-008")]
    [Trait("Spec", "JOB-002")]
    [Trait("Spec", "JOB-004")]
    public async Task Jobs_killed_at_random_moments_end_with_exactly_the_batch_answer()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-jobcrash-" + Guid.NewGuid().ToString("N")[..10]);
        var worker = Path.Combine(AppContext.BaseDirectory, "Tarn.CrashWorker.dll");
        Assert.True(File.Exists(worker), $"missing {worker}");
        var random = new Random(4242);
        long nextSeq = 0;
        var replayingRestarts = 0;
        try
        {
            using (var db = TarnDatabase.Open(dir))
            {
                db.Execute("CREATE TABLE src (seq BIGINT, k INT, v BIGINT)");
                db.Execute("CREATE TABLE copy (seq BIGINT, k INT, v BIGINT)");
                db.Execute("CREATE TABLE agg (k INT, n BIGINT, total BIGINT, last_seq BIGINT, distinct_v BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
                db.Execute("SET 'execution.runtime-mode' = 'streaming'");
                db.Execute("SET 'execution.checkpointing.interval' = '20 ms'");
                db.Execute("INSERT INTO copy SELECT seq, k, v FROM src");
                db.Execute("INSERT INTO agg " + Aggregate);
                // The same aggregate and a stateful insert-only join into an append table, with state checkpoints
                // decoupled from epochs (JOB-004): most kills land after epochs that committed output but no
                // checkpoint, so the restart replays them and must not emit their output again.
                db.Execute("CREATE TABLE agg_replay (k INT, n BIGINT, total BIGINT, last_seq BIGINT, distinct_v BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
                db.Execute("CREATE TABLE pairs (seq BIGINT, v BIGINT)");
                db.Execute("SET 'state.checkpoint-interval' = '150 ms'");
                db.Execute("INSERT INTO agg_replay " + Aggregate);
                db.Execute("INSERT INTO pairs " + Pairs);
            }
            for (var round = 0; round < Kills; round++)
            {
                var lastAck = JobWorkerKiller.RunAndKill(worker, dir, nextSeq, random, 0, 400, round);
                // Rows after the last acknowledgement may or may not have committed: continue numbering after both.
                using var db = TarnDatabase.Open(dir);
                // Did this kill leave committed epochs after the last state checkpoint (a restart that replays)?
                foreach (var progress in db.Core.Storage.Current.Jobs.Values)
                    if (Tarn.Streaming.JobRecord.Decode(progress.Span) is { CheckpointPositions: not null } r && r.CheckpointEpoch < r.Epoch) replayingRestarts++;
                var max = db.Execute("SELECT COALESCE(MAX(seq), -1) FROM src").GetValue(0, 0);
                nextSeq = Math.Max(lastAck, Convert.ToInt64(max, CultureInfo.InvariantCulture) + 1);
            }

            using (var db = TarnDatabase.Open(dir))
            {
                // The killed processes ran the jobs: their sinks already hold output committed before some kill.
                var before = db.Execute("SELECT COUNT(*) FROM copy").GetValue(0, 0);
                Assert.True(Convert.ToInt64(before, CultureInfo.InvariantCulture) > 0, "the jobs committed nothing before the kills");
                await db.WaitForJobsAsync();
                var jobs = db.Execute("SHOW JOBS").Rows.ToList();
                Assert.All(jobs, j => Assert.True((string?)j[2] == "RUNNING", $"job {j[0]} is {j[2]}: {j[4]}"));
                var duplicates = db.Execute("SELECT seq, COUNT(*) FROM copy GROUP BY seq HAVING COUNT(*) > 1").Rows.Count();
                Assert.Equal(0, duplicates);
                Assert.Equal(Sorted(db.Execute("SELECT seq, k, v FROM src")), Sorted(db.Execute("SELECT * FROM copy")));
                Assert.Equal(Sorted(db.Execute(Aggregate)), Sorted(db.Execute("SELECT * FROM agg")));
                Assert.Equal(Sorted(db.Execute(Aggregate)), Sorted(db.Execute("SELECT * FROM agg_replay")));
                Assert.Empty(db.Execute("SELECT seq, COUNT(*) FROM pairs GROUP BY seq HAVING COUNT(*) > 1").Rows);
                Assert.Equal(Sorted(db.Execute(Pairs)), Sorted(db.Execute("SELECT * FROM pairs")));
                Assert.True(replayingRestarts > 0, "no kill landed between a state checkpoint and a later epoch");
                Assert.True(Convert.ToInt64(db.Execute("SELECT COUNT(*) FROM src").GetValue(0, 0), CultureInfo.InvariantCulture) > Kills * 50);
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
