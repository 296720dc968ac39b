using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tarn.Tests.Durability;

/// <summary>
/// Exactly-once into SQLite under SIGKILL: an append-only copy (no primary key: a duplicated epoch would show as
/// duplicate rows) and a group aggregate (upserts by key) write a SQLite file from jobs running in a child process
/// (<c>Tarn.CrashWorker job</c>) that keeps feeding their source and is killed at random moments — while staging,
/// between the job's commit and the SQLite transaction, inside it. After the last restart the SQLite tables must
/// equal the batch answer over everything the source holds: no epoch lost, none applied twice.
/// </summary>
public class SqliteSinkCrashKillTests
{
    private const int Kills = 5;
    private const string Aggregate = "SELECT k, COUNT(*), SUM(v), MAX(seq) FROM src GROUP BY k";

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "NULL"))).Order(StringComparer.Ordinal));

    private static string SqliteRows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        return string.Join("\n", rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Spec", "JOB-002")]
    public async Task Sqlite_sinks_killed_at_random_moments_end_with_exactly_the_batch_answer()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-sqlcrash-" + Guid.NewGuid().ToString("N")[..10]);
        var file = Path.Combine(dir, "ext", "out.db");
        var worker = Path.Combine(AppContext.BaseDirectory, "Tarn.CrashWorker.dll");
        Assert.True(System.IO.File.Exists(worker), $"missing {worker}");
        var random = new Random(777);
        long nextSeq = 0;
        try
        {
            using (var db = TarnDatabase.Open(Path.Combine(dir, "db")))
            {
                db.Execute("CREATE TABLE src (seq BIGINT, k INT, v BIGINT)");
                db.Execute($"CREATE TABLE copy (seq BIGINT, k INT, v BIGINT) WITH ('connector' = 'sqlite', 'path' = '{file}', 'sqlite.create-if-missing' = 'true')");
                db.Execute($"CREATE TABLE agg (k INT, n BIGINT, total BIGINT, last_seq BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:{file}', 'table-name' = 'agg', 'sqlite.create-if-missing' = 'true')");
                db.Execute("SET 'execution.runtime-mode' = 'streaming'");
                db.Execute("SET 'execution.checkpointing.interval' = '20 ms'");
                db.Execute("INSERT INTO copy SELECT seq, k, v FROM src");
                db.Execute("INSERT INTO agg " + Aggregate);
            }
            var applied = 0L;
            for (var round = 0; round < Kills; round++)
            {
                var lastAck = JobWorkerKiller.RunAndKill(worker, Path.Combine(dir, "db"), nextSeq, random, 50, 500, round);
                using var db = TarnDatabase.Open(Path.Combine(dir, "db"));
                var max = db.Execute("SELECT COALESCE(MAX(seq), -1) FROM src").GetValue(0, 0);
                nextSeq = Math.Max(lastAck, Convert.ToInt64(max, CultureInfo.InvariantCulture) + 1);
                applied = Math.Max(applied, long.Parse(SqliteRows(file, "SELECT COUNT(*) FROM copy"), CultureInfo.InvariantCulture));
            }

            using (var db = TarnDatabase.Open(Path.Combine(dir, "db")))
            {
                Assert.True(applied > 0, "the jobs wrote nothing into SQLite before the kills");
                await db.WaitForJobsAsync();
                var jobs = db.Execute("SHOW JOBS").Rows.ToList();
                Assert.All(jobs, j => Assert.True((string?)j[2] == "RUNNING", $"job {j[0]} is {j[2]}: {j[4]}"));
                Assert.Equal("", SqliteRows(file, "SELECT seq, COUNT(*) FROM copy GROUP BY seq HAVING COUNT(*) > 1"));
                Assert.Equal(Sorted(db.Execute("SELECT seq, k, v FROM src")), SqliteRows(file, "SELECT seq, k, v FROM copy"));
                Assert.Equal(Sorted(db.Execute(Aggregate)), SqliteRows(file, "SELECT k, n, total, last_seq FROM agg"));
                Assert.True(Convert.ToInt64(db.Execute("SELECT COUNT(*) FROM src").GetValue(0, 0), CultureInfo.InvariantCulture) > Kills * 50);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
