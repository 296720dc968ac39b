using CsCheck;
using Tarn.Catalog.Model;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Sinks;
using Tarn.Connectors.Tests.Sinks;
using Tarn.Types;

namespace Tarn.Connectors.Tests.FileSystem;

/// <summary>
/// The streaming filesystem sink driven as a job drives it (Write, PreCommit, the job's commit, Commit), with crashes
/// simulated by disposing it at every point of the protocol and reopening it with the job's committed epoch: every
/// committed row must end up published exactly once.
/// </summary>
public sealed class FileSystemStreamingSinkTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-fsstream-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static TableDef Table(string root, params (string Key, string Value)[] options)
    {
        var all = new Dictionary<string, string> { ["connector"] = "filesystem", ["path"] = root, ["format"] = "csv", ["csv.null-literal"] = "\\N" };
        foreach (var (key, value) in options) all[key] = value;
        return new TableDef("fs", 0, [new ColumnDef(1, "k", DataType.BigInt), new ColumnDef(2, "v", DataType.String)], [], ["v"], null, all, null);
    }

    private FileSystemStreamingSink Open(TableDef table, long committed, ManualClock clock) =>
        new(table, new SinkContext("job-1", 0, Path.Combine(_dir, "staging"), committed), clock, periodicChecks: false);

    /// <summary>The published rows as "partition:k", sorted (hidden and underscore files skipped, as readers do).</summary>
    private static List<string> Published(string root)
    {
        var rows = new List<string>();
        if (!Directory.Exists(root)) return rows;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') || name.StartsWith('_')) continue;
            var partition = Path.GetFileName(Path.GetDirectoryName(file)!);
            foreach (var line in File.ReadAllLines(file)) rows.Add($"{partition}:{line}");
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> Expected(IEnumerable<(long K, string? V)> rows) =>
        rows.Select(r => $"v={r.V ?? "__DEFAULT_PARTITION__"}:{r.K}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Files_roll_by_age_inactivity_and_size_and_publish_all_open_files_together()
    {
        var root = Path.Combine(_dir, "t");
        var clock = new ManualClock();
        var table = Table(root, ("sink.rolling-policy.rollover-interval", "10 min"), ("sink.rolling-policy.inactivity-interval", "3 min"));
        using var sink = Open(table, 0, clock);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "a"), (0, 2, "b")]));
        sink.PreCommit(1);
        sink.Commit(1);
        Assert.Empty(Published(root));
        Assert.Equal(2, sink.OpenFiles);
        for (var epoch = 2; epoch <= 5; epoch++)
        {
            clock.Now += TimeSpan.FromMinutes(2); // the files stay active (2 < 3 min) until they are 10 min old
            sink.Write(StagedEpochsTests.Batch([(0, epoch * 10, "a"), (0, epoch * 10 + 1, "b")]));
            sink.PreCommit(epoch);
            sink.Commit(epoch);
            Assert.Empty(Published(root));
        }
        clock.Now += TimeSpan.FromMinutes(2); // 10 min old
        sink.Check();
        Assert.Equal(10, Published(root).Count);
        Assert.Equal(0, sink.OpenFiles);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "staging"), "*.stage"));
        // Inactivity: a file that got no rows for 3 min rolls (and takes the other open file with it).
        sink.Write(StagedEpochsTests.Batch([(0, 100, "a")]));
        sink.PreCommit(6);
        sink.Commit(6);
        clock.Now += TimeSpan.FromMinutes(2);
        sink.Write(StagedEpochsTests.Batch([(0, 101, "b")]));
        sink.PreCommit(7);
        sink.Commit(7);
        clock.Now += TimeSpan.FromMinutes(1);
        sink.Check();
        Assert.Equal(12, Published(root).Count);

        var bySize = Path.Combine(_dir, "s");
        using var small = new FileSystemStreamingSink(Table(bySize, ("sink.rolling-policy.file-size", "64kb")),
            new SinkContext("job-2", 0, Path.Combine(_dir, "staging2"), 0), clock, periodicChecks: false);
        small.Write(StagedEpochsTests.Batch([(0, 1, "a")]));
        small.PreCommit(1);
        small.Commit(1);
        Assert.Empty(Published(bySize)); // 2 bytes
        small.Write(StagedEpochsTests.Batch([.. Enumerable.Range(100000, 20000).Select(i => ((sbyte)0, (long?)i, (string?)"a"))]));
        small.PreCommit(2);
        small.Commit(2); // 140 kB
        Assert.Equal(20001, Published(bySize).Count);
    }

    /// <summary>Where a simulated crash hits an epoch.</summary>
    private enum Crash { None, AfterWrite, AfterPreCommit, AfterJobCommit, InRoll }

    [Fact]
    public void Crashes_at_every_point_of_the_protocol_lose_and_duplicate_nothing()
    {
        var steps = new[] { "manifest", "renamed", "partitions", "staged" };
        var gen = Gen.Select(
            Gen.Select(Gen.Int[0, 6], Gen.Enum<Crash>(), Gen.Bool, Gen.Int[0, 3]).Array[1, 14],
            Gen.Bool);
        gen.Sample((epochs, successFile) =>
        {
            var root = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            var staging = Path.Combine(_dir, "staging-" + Path.GetFileName(root));
            var table = Table(root, ("sink.rolling-policy.rollover-interval", "10 min"),
                ("sink.partition-commit.policy.kind", successFile ? "success-file" : "metastore"));
            var clock = new ManualClock();
            var context = (long c) => new SinkContext("job", 0, staging, c);
            long committed = 0;
            var sink = new FileSystemStreamingSink(table, context(committed), clock, periodicChecks: false);
            var expected = new List<(long, string?)>();
            long nextK = 0;
            try
            {
                for (var i = 0; i < epochs.Length; i++)
                {
                    var (count, crash, age, step) = epochs[i];
                    var epoch = committed + 1;
                    var rows = Enumerable.Range(0, count).Select(j => ((sbyte)0, (long?)(nextK + j), (string?)((nextK + j) % 4 == 3 ? null : "abc"[(int)((nextK + j) % 4)].ToString()))).ToList();
                    if (age) clock.Now += TimeSpan.FromMinutes(11);
                    // A crash replays the epoch: the job derives the same rows again (the first attempt's are lost or staged).
                    for (var attempt = 0; attempt < 2; attempt++)
                    {
                        var crashNow = attempt == 0 ? crash : Crash.None;
                        sink.Write(StagedEpochsTests.Batch(rows));
                        if (crashNow == Crash.AfterWrite) { sink.Dispose(); sink = new(table, context(committed), clock, periodicChecks: false); continue; }
                        sink.PreCommit(epoch);
                        if (crashNow == Crash.AfterPreCommit) { sink.Dispose(); sink = new(table, context(committed), clock, periodicChecks: false); continue; }
                        committed = epoch; // the job's commit
                        expected.AddRange(rows.Select(r => (r.Item2!.Value, r.Item3)));
                        if (crashNow == Crash.AfterJobCommit) { sink.Dispose(); sink = new(table, context(committed), clock, periodicChecks: false); break; }
                        if (crashNow == Crash.InRoll)
                            sink.RollStep = s => { if (s == steps[step]) throw new IOException("crash in roll at " + s); };
                        try { sink.Commit(epoch); }
                        catch (TarnException) { }
                        catch (IOException) { }
                        if (crashNow == Crash.InRoll) { sink.Dispose(); sink = new(table, context(committed), clock, periodicChecks: false); }
                        break;
                    }
                    nextK += count;
                }
                sink.Finish();
                sink.PreCommit(committed + 1);
                committed++;
                sink.Commit(committed);
                Assert.Equal(Expected(expected), Published(root));
                Assert.Empty(Directory.Exists(root) ? Directory.GetFiles(root, "*.inprogress", SearchOption.AllDirectories) : []);
                Assert.Empty(Directory.GetFiles(staging));
                if (successFile)
                    foreach (var partition in expected.Select(r => r.Item2 ?? "__DEFAULT_PARTITION__").Distinct())
                        Assert.True(File.Exists(Path.Combine(root, "v=" + partition, "_SUCCESS")), partition);
            }
            finally
            {
                sink.Dispose();
            }
        }, iter: 60);
    }

    [Fact]
    public void Committed_rows_recovered_after_a_crash_publish_at_once_when_every_commit_rolls()
    {
        // Killed after the job committed epoch 1 but before the sink's roll: the rows are staged, not published.
        var root = Path.Combine(_dir, "r");
        var clock = new ManualClock();
        var table = Table(root, ("sink.rolling-policy.rollover-interval", "0 ms"));
        var sink = Open(table, 0, clock);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "a"), (0, 2, "b")]));
        sink.PreCommit(1);
        sink.Dispose();
        Assert.Empty(Published(root));
        // The restarted job sees no new input, so no commit and no periodic check (none here) follows: recovery
        // itself must publish what it recovered.
        using var restarted = Open(table, 1, clock);
        Assert.Equal(["v=a:1", "v=b:2"], Published(root));
        Assert.Empty(Directory.GetFiles(root, "*.inprogress", SearchOption.AllDirectories));
    }

    [Fact]
    public void Partition_time_commits_a_partition_once_the_watermark_passes_its_time_plus_the_delay()
    {
        var root = Path.Combine(_dir, "t");
        var clock = new ManualClock();
        var table = Table(root, ("sink.rolling-policy.rollover-interval", "0 ms"), ("sink.partition-commit.policy.kind", "success-file"),
            ("sink.partition-commit.trigger", "partition-time"), ("sink.partition-commit.delay", "1 min"),
            ("partition.time-extractor.timestamp-pattern", "$v:00"));
        using var sink = Open(table, 0, clock);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "2024-01-01 10:00"), (0, 2, "2024-01-01 10:01")]));
        sink.PreCommit(1);
        clock.Now += TimeSpan.FromSeconds(1);
        sink.Commit(1);
        Assert.Equal(2, Published(root).Count);
        var first = Path.Combine(root, "v=2024-01-01 10%3A00", "_SUCCESS");
        var second = Path.Combine(root, "v=2024-01-01 10%3A01", "_SUCCESS");
        Assert.False(File.Exists(first));
        var tenOhOne = new DateTimeOffset(2024, 1, 1, 10, 1, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        sink.Watermark(tenOhOne); // 10:00 + 1 min is not passed yet
        sink.PreCommit(2);
        sink.Commit(2);
        Assert.False(File.Exists(first));
        sink.Watermark(tenOhOne + 1);
        sink.PreCommit(3);
        sink.Commit(3);
        Assert.True(File.Exists(first));
        Assert.False(File.Exists(second));
        sink.Finish(); // the end of input commits every partition
        sink.PreCommit(4);
        sink.Commit(4);
        Assert.True(File.Exists(second));
    }

    [Fact]
    public void Process_time_commits_a_partition_after_the_delay_even_across_a_restart()
    {
        var root = Path.Combine(_dir, "t");
        var clock = new ManualClock();
        var table = Table(root, ("sink.rolling-policy.rollover-interval", "0 ms"), ("sink.partition-commit.policy.kind", "success-file"),
            ("sink.partition-commit.delay", "1 h"));
        var sink = Open(table, 0, clock);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "a")]));
        sink.PreCommit(1);
        clock.Now += TimeSpan.FromSeconds(1);
        sink.Commit(1);
        Assert.Single(Published(root));
        Assert.False(File.Exists(Path.Combine(root, "v=a", "_SUCCESS")));
        sink.Dispose();
        clock.Now += TimeSpan.FromHours(2);
        using var reopened = Open(table, 1, clock);
        reopened.Check();
        Assert.True(File.Exists(Path.Combine(root, "v=a", "_SUCCESS")));
        Assert.Single(Published(root));
    }

    [Fact]
    public void A_damaged_roll_manifest_is_reported_not_guessed()
    {
        var root = Path.Combine(_dir, "t");
        var staging = Path.Combine(_dir, "staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "roll.manifest"), "tarn filesystem sink roll 1\nepoch\t3\ncrc\t00000000\n");
        var e = Assert.Throws<TarnException>(() => Open(Table(root), 3, new ManualClock()));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }
}
