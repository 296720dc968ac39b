using System.Diagnostics;
using System.Globalization;
using Tarn.Vectors;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// <c>stream [--rows N] [--latency-rate R] [--latency-seconds S] [--latency-only] [--latency-job copy|group] [--state-checkpoint-interval D] [--state-memory SIZE [--state-keys K]]</c>: streaming jobs end to end.
/// Throughput: N rows are appended to a table first, then each job is submitted and timed until it has processed
/// and committed them all (<c>WaitForJobsAsync</c>); a job runs on one thread, so rows/s is also rows/s per core.
/// Latency: a writer commits R rows/s in 10 ms batches, each row carrying its send time; a copy job moves them to a
/// second table, and a stream reader on that table records, per row, the time from the writer's commit call to the
/// row being readable from the sink (append → job → sink commit → visible). Reports p50/p99/max.
/// <c>--latency-job group</c> measures a GROUP BY job into a primary-key table instead (each +I/+U carries its group's
/// newest send time), with <c>--state-checkpoint-interval</c> to decouple its state checkpoints from epochs (JOB-004).
/// <c>--state-memory</c>: see <see cref="StateSpillBenchmark"/> instead.
/// </summary>
internal static class StreamingBenchmark
{
    public static int Run(string[] args)
    {
        var rows = 5_000_000L;
        var rate = 100_000;
        var seconds = 10;
        string? stateMemory = null;
        var latencyJob = "copy";
        string? stateInterval = null;
        var stateKeys = 1_000_000L;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--latency-rate": rate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--latency-seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--latency-only": rows = 0; break;
                case "--state-memory": stateMemory = args[++i]; break;
                case "--latency-job": latencyJob = args[++i]; break;
                case "--state-checkpoint-interval": stateInterval = args[++i]; break;
                case "--state-keys": stateKeys = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var root = Path.Combine(Path.GetTempPath(), "tarn-streambench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            if (stateMemory is not null)
            {
                StateSpillBenchmark.Run(root, stateMemory, stateKeys, rows).GetAwaiter().GetResult();
                return 0;
            }
            if (rows > 0) Throughput(Path.Combine(root, "tp"), rows).GetAwaiter().GetResult();
            if (latencyJob is not ("copy" or "group"))
            {
                Console.Error.WriteLine("--latency-job is copy or group");
                return 2;
            }
            Latency(Path.Combine(root, "lat"), rate, seconds, latencyJob == "group", stateInterval).GetAwaiter().GetResult();
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        return 0;
    }

    private static readonly (string Name, string Sink, string Query)[] Jobs =
    [
        ("filter+project -> blackhole", "CREATE TABLE sink_a (k BIGINT, v2 BIGINT) WITH ('connector' = 'blackhole')",
            "INSERT INTO sink_a SELECT k, v * 2 FROM src WHERE v % 10 <> 0"),
        ("copy -> native table", "CREATE TABLE sink_b (k BIGINT, v BIGINT, ts BIGINT)",
            "INSERT INTO sink_b SELECT k, v, ts FROM src"),
        ("group by 1,000 keys -> pk table", "CREATE TABLE sink_c (g BIGINT, n BIGINT, s BIGINT, m BIGINT, PRIMARY KEY (g) NOT ENFORCED)",
            "INSERT INTO sink_c SELECT k % 1000, COUNT(*), SUM(v), MAX(v) FROM src GROUP BY k % 1000"),
        ("group by 1,000,000 keys -> pk table", "CREATE TABLE sink_d (g BIGINT, n BIGINT, s BIGINT, PRIMARY KEY (g) NOT ENFORCED)",
            "INSERT INTO sink_d SELECT k % 1000000, COUNT(*), SUM(v) FROM src GROUP BY k % 1000000"),
    ];

    private static async Task Throughput(string path, long rows)
    {
        using var db = TarnDatabase.Open(path);
        db.Execute("CREATE TABLE src (k BIGINT, v BIGINT, ts BIGINT)");
        using (var appender = db.CreateAppender("src"))
        {
            var random = new Random(1);
            for (long i = 0; i < rows; i++) appender.Append(random.NextInt64(10_000_000)).Append(i * 7 % 1000).Append(i).EndRow();
        }
        Console.WriteLine($"streaming throughput, {rows:N0} rows already in the source table, one job at a time (one thread each)");
        Console.WriteLine($"{"job",-40} {"seconds",8} {"rows/s",14}");
        foreach (var (name, sink, query) in Jobs)
        {
            db.Execute(sink);
            db.Execute("SET 'execution.runtime-mode' = 'streaming'");
            var clock = Stopwatch.StartNew();
            var id = (string)db.Execute(query).GetValue(0, 0)!;
            db.Execute("SET 'execution.runtime-mode' = 'batch'");
            await db.WaitForJobsAsync();
            var elapsed = clock.Elapsed.TotalSeconds;
            db.Execute($"STOP JOB '{id}'");
            Console.WriteLine($"{name,-40} {elapsed,8:F2} {rows / elapsed,14:N0}");
        }
    }

    private static async Task Latency(string path, int rate, int seconds, bool group, string? stateInterval)
    {
        using var db = TarnDatabase.Open(path);
        db.Execute("CREATE TABLE src (id BIGINT, sent BIGINT)");
        db.Execute(group ? "CREATE TABLE dst (g BIGINT, sent BIGINT, n BIGINT, PRIMARY KEY (g) NOT ENFORCED)" : "CREATE TABLE dst (id BIGINT, sent BIGINT)");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("SET 'execution.checkpointing.interval' = '10 ms'");
        if (stateInterval is not null) db.Execute($"SET 'state.checkpoint-interval' = '{stateInterval}'");
        // group: each output row (+I/+U) carries the newest send time of its group, so its latency is that of the newest input row
        db.Execute(group ? "INSERT INTO dst SELECT id % 1000, MAX(sent), COUNT(*) FROM src GROUP BY id % 1000" : "INSERT INTO dst SELECT id, sent FROM src");
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        var reader = db.OpenStream("dst", global::Tarn.Storage.Scans.StreamStart.Earliest, ["sent"]);
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();
        var total = (long)rate * seconds;
        var readerTask = Task.Run(async () =>
        {
            long seen = 0;
            while (group || seen < total)
            {
                global::Tarn.Storage.Scans.StreamBatch batch;
                try
                {
                    batch = await reader.ReadAsync(stop.Token);
                }
                catch (OperationCanceledException) when (group)
                {
                    return;
                }
                var now = clock.Elapsed.TotalMilliseconds;
                var sent = (PrimitiveVector<long>)batch.Rows.Columns[0];
                for (var r = 0; r < batch.Rows.RowCount; r++)
                    if (batch.Kinds is null || batch.Kinds[r] is 0 or 2) latencies.Add(now - sent.Values[r] / 1000.0);
                seen += batch.Rows.RowCount;
            }
        });
        const int tickMs = 10;
        var perTick = rate * tickMs / 1000;
        long id = 0;
        var writerCommits = new List<double>();
        using var gcReasons = Environment.GetEnvironmentVariable("TARN_GC_TRACE") == "1" ? new GcReasonListener() : null;
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var pauses = GC.GetTotalPauseDuration();
        var start = clock.Elapsed.TotalMilliseconds;
        for (var tick = 0; id < total; tick++)
        {
            var due = start + tick * tickMs;
            while (clock.Elapsed.TotalMilliseconds < due) await Task.Delay(1);
            var sentMicros = (long)(clock.Elapsed.TotalMilliseconds * 1000);
            await using (var appender = db.CreateAppender("src"))
                for (var i = 0; i < perTick && id < total; i++) appender.Append(id++).Append(sentMicros).EndRow();
            writerCommits.Add(clock.Elapsed.TotalMilliseconds - sentMicros / 1000.0);
        }
        if (group)
        {
            await db.WaitForJobsAsync();
            await Task.Delay(200);
            await stop.CancelAsync();
            await readerTask;
        }
        if (await Task.WhenAny(readerTask, Task.Delay(TimeSpan.FromSeconds(60))) != readerTask) await stop.CancelAsync();
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        Console.WriteLine();
        Console.WriteLine(group
            ? $"end-to-end latency at {rate:N0} rows/s for {seconds} s (append commit -> group by 1,000 keys{(stateInterval is null ? "" : $", state checkpoints every {stateInterval}")} -> visible in pk sink), {latencies.Count:N0} output rows:"
            : $"end-to-end latency at {rate:N0} rows/s for {seconds} s (append commit -> copy job -> visible in sink), {latencies.Count:N0} rows:");
        Console.WriteLine($"p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {P(1.0):F1} ms");
        writerCommits.Sort();
        double W(double q) => writerCommits[Math.Min(writerCommits.Count - 1, (int)(q * writerCommits.Count))];
        Console.WriteLine($"writer's own append commit (part of the above): p50 {W(0.50):F1} ms, p99 {W(0.99):F1} ms, max {W(1.0):F1} ms");
        Console.WriteLine($"GC meanwhile: {GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(2) - gen2} gen2, {(GC.GetTotalPauseDuration() - pauses).TotalMilliseconds:F0} ms paused in total ({(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)");
        if (gcReasons is not null)
            foreach (var (kind, count) in gcReasons.Counts.OrderByDescending(c => c.Value)) Console.WriteLine($"  {count,6} {kind}");
    }
}
