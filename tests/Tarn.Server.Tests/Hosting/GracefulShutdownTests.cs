using Npgsql;

namespace Tarn.Server.Tests.Hosting;

/// <summary>
/// SIGTERM against a real server process while clients write and a streaming job copies their rows: the process exits
/// 0, every acknowledged row is in the database, and the job resumes from its last commit without duplicates.
/// </summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-sigterm-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sigterm_drains_checkpoints_and_exits_0_without_losing_acknowledged_rows()
    {
        // The job is recorded before the server starts: the server runs the database's jobs as it opens it.
        await using (var db = await TarnDatabase.OpenAsync(_dir))
        {
            await db.ExecuteAsync("CREATE TABLE t1 (id BIGINT, client INT)");
            await db.ExecuteAsync("CREATE TABLE t2 (id BIGINT, client INT)");
            await db.ExecuteAsync("SET 'execution.runtime-mode' = 'streaming'");
            await db.ExecuteAsync("INSERT INTO t2 SELECT id, client FROM t1");
        }

        using var server = await ServerProcess.StartAsync(_dir, "--pg", "127.0.0.1:0", "--shutdown-grace", "20s", "--jobs-grace", "60s");
        var connection = $"Host=127.0.0.1;Port={server.Port("pgwire")};Username=tarn;Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Timeout=15;Command Timeout=60";
        const int clients = 4;
        var acknowledged = new List<long>[clients];
        var attempted = new List<long>[clients];
        var enoughWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var total = 0;
        var writers = new Task[clients];
        for (var c = 0; c < clients; c++)
        {
            var client = c;
            acknowledged[c] = [];
            attempted[c] = [];
            writers[c] = Task.Run(async () =>
            {
                try
                {
                    await using var pg = new NpgsqlConnection(connection);
                    await pg.OpenAsync();
                    await using var insert = new NpgsqlCommand("INSERT INTO t1 VALUES ($1, $2), ($3, $2)", pg);
                    insert.Parameters.Add(new NpgsqlParameter { Value = 0L });
                    insert.Parameters.Add(new NpgsqlParameter { Value = client });
                    insert.Parameters.Add(new NpgsqlParameter { Value = 0L });
                    for (long i = 0; ; i++)
                    {
                        var a = client * 1_000_000L + (2 * i);
                        insert.Parameters[0].Value = a;
                        insert.Parameters[2].Value = a + 1;
                        attempted[client].AddRange([a, a + 1]);
                        await insert.ExecuteNonQueryAsync(); // returns once the rows are durably committed
                        acknowledged[client].AddRange([a, a + 1]);
                        if (Interlocked.Add(ref total, 2) >= 200) enoughWritten.TrySetResult();
                    }
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    // the server closed the connection: the write loop ends here
                }
            });
        }
        await enoughWritten.Task.WaitAsync(TimeSpan.FromMinutes(2));

        server.Terminate();
        var exitCode = await server.WaitForExitAsync();
        await Task.WhenAll(writers);

        Assert.True(exitCode == 0, $"exit code {exitCode}; log:\n{server.Log}");
        var log = server.Log;
        foreach (var phase in new[] { "stop_accepting", "drained", "connections_closed", "jobs_caught_up", "flushed", "closed" })
            Assert.Contains("event=shutdown phase=" + phase, log);
        Assert.Contains("requests_aborted=0", log); // the writes in flight finished; later ones were refused

        await using (var db = await TarnDatabase.OpenAsync(_dir))
        {
            var t1 = (await db.ExecuteAsync("SELECT id FROM t1")).Rows.Select(r => (long)r[0]!).ToHashSet();
            var acked = acknowledged.SelectMany(a => a).ToList();
            Assert.True(acked.Count >= 200);
            Assert.All(acked, id => Assert.Contains(id, t1)); // nothing acknowledged is lost
            Assert.Subset(attempted.SelectMany(a => a).ToHashSet(), t1); // nothing invented

            // The jobs caught up before the exit: t2 already holds exactly t1, once each.
            var t2 = (await db.ExecuteAsync("SELECT id FROM t2")).Rows.Select(r => (long)r[0]!).ToList();
            Assert.Equal(t1.Count, t2.Count);
            Assert.Equal(t1, t2.ToHashSet());

            // The job resumed with the database and goes on from its checkpoint: new rows arrive once.
            await db.ExecuteAsync("INSERT INTO t1 VALUES (-1, -1), (-2, -1)");
            await db.WaitForJobsAsync();
            var after = (await db.ExecuteAsync("SELECT id FROM t2")).Rows.Select(r => (long)r[0]!).ToList();
            Assert.Equal(t1.Count + 2, after.Count);
            Assert.Equal(after.Count, after.Distinct().Count());
            Assert.Contains(-1L, after);
            Assert.Equal("RUNNING", (await db.ExecuteAsync("SELECT status FROM tarn_jobs")).GetValue(0, 0));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
