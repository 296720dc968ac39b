using System.Diagnostics;
using System.Globalization;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// <c>nexmark [--events N] [--queries q0,q1,...] [--dir NEXMARK_DIR]</c>: every Nexmark query of
/// <c>../shared/nexmark/queries</c> as a streaming job over a bounded generator (events.num = N, max-emit-speed), on a
/// fresh database each; a job runs on one thread, so events/s is events/s per core. Queries the streaming runtime
/// cannot run yet are listed with their error.
/// </summary>
internal static class NexmarkBenchmark
{
    public static int Run(string[] args)
    {
        var events = 10_000_000L;
        string[]? only = null;
        var dir = FindQueries();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--events": events = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--queries": only = args[++i].Split(','); break;
                case "--dir": dir = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var queries = Directory.GetFiles(dir, "q*.sql").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Where(q => only is null || only.Contains(q)).OrderBy(q => int.Parse(q[1..], CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine($"Nexmark, {events:N0} events per query (bounded generator at max speed), one job thread each");
        Console.WriteLine($"{"query",-6} {"seconds",8} {"events/s",14}  note");
        foreach (var q in queries)
        {
            var path = Path.Combine(Path.GetTempPath(), "tarn-nexmark-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                using var db = TarnDatabase.Open(path);
                foreach (var statement in Setup(dir, events)) db.Execute(statement);
                db.Execute("SET 'execution.runtime-mode' = 'streaming'");
                var clock = Stopwatch.StartNew();
                // q13's side input: a small CSV file where the query expects $FLINK_HOME/data/side_input.txt.
                Directory.CreateDirectory(Path.Combine(path, "flink", "data"));
                File.WriteAllLines(Path.Combine(path, "flink", "data", "side_input.txt"), Enumerable.Range(0, 10000).Select(i => $"{i},value-{i}"));
                // q10 writes files under $NEXMARK_DIR/data/output/$SUBMIT_TIME.
                db.Execute(File.ReadAllText(Path.Combine(dir, q + ".sql")).Replace("${FLINK_HOME}", Path.Combine(path, "flink"), StringComparison.Ordinal)
                    .Replace("${NEXMARK_DIR}", path, StringComparison.Ordinal).Replace("${SUBMIT_TIME}", "run", StringComparison.Ordinal));
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                var elapsed = clock.Elapsed.TotalSeconds;
                var status = db.Execute("SELECT status, error FROM tarn_jobs").Rows.Single();
                var note = (string?)status[0] == "FINISHED" ? "" : $"{status[0]}: {status[1]}";
                Console.WriteLine($"{q,-6} {elapsed,8:F2} {events / elapsed,14:N0}  {note}");
            }
            catch (TarnException e)
            {
                Console.WriteLine($"{q,-6} {"-",8} {"-",14}  {e.SqlState} {FirstLine(e.Message)}");
            }
            finally
            {
                try { Directory.Delete(path, true); } catch (IOException) { }
            }
        }
        return 0;
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    /// <summary>The generator table (ddl_gen.sql with its placeholders filled) and the person/auction/bid views.</summary>
    public static IEnumerable<string> Setup(string dir, long events)
    {
        var gen = File.ReadAllText(Path.Combine(dir, "ddl_gen.sql"))
            .Replace("${TPS}", "10000000", StringComparison.Ordinal)
            .Replace("${EVENTS_NUM}", events.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("${PERSON_PROPORTION}", "1", StringComparison.Ordinal)
            .Replace("${AUCTION_PROPORTION}", "3", StringComparison.Ordinal)
            .Replace("${BID_PROPORTION}", "46", StringComparison.Ordinal)
            .Replace("'next-event.rate' = '10000000',", "'next-event.rate' = '10000000', 'max-emit-speed' = 'true',", StringComparison.Ordinal);
        yield return gen;
        yield return File.ReadAllText(Path.Combine(dir, "ddl_views.sql")).Replace("${NEXMARK_TABLE}", "datagen", StringComparison.Ordinal);
    }

    public static string FindQueries()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", "nexmark", "queries");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(d.FullName, "..", "shared", "nexmark", "queries");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("../shared/nexmark/queries not found beside the repository");
    }
}
