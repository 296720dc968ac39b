namespace Tarn.State.Tests;

public sealed class CheckpointRecoveryTests
{
    private const int Keys = 3000; // ~250 KB of log with the small options: part of it on disk

    /// <summary>Writes generation <paramref name="generation"/> of every key: a different value length each time.</summary>
    private static void WriteGeneration(StateSession session, int generation)
    {
        for (var i = 0; i < Keys; i++)
        {
            if ((i + generation) % 11 == 0)
                session.Delete(TestOptions.Key(i));
            else
                session.Upsert(TestOptions.Key(i), TestOptions.Value(i + generation, 20 + (i + generation * 13) % 60));
        }
    }

    private static void AssertGeneration(StateSession session, int generation)
    {
        var live = 0;
        for (var i = 0; i < Keys; i++)
        {
            var expected = (i + generation) % 11 == 0 ? null : TestOptions.Value(i + generation, 20 + (i + generation * 13) % 60);
            Assert.Equal(expected, TestOptions.Read(session, TestOptions.Key(i)));
            live += expected is null ? 0 : 1;
        }
        Assert.Equal(live, TestOptions.ScanAll(session).Count);
    }

    /// <summary>Two checkpoints (generations 1 and 2) followed by uncheckpointed generation 3.</summary>
    private static async Task<(StateCheckpoint First, StateCheckpoint Second)> TwoCheckpoints(StateStoreOptions options)
    {
        using var store = StateStore.Open(options);
        using var session = store.NewSession();
        WriteGeneration(session, 1);
        var first = await store.CheckpointAsync();
        WriteGeneration(session, 2);
        var second = await store.CheckpointAsync();
        WriteGeneration(session, 3);
        return (first, second);
    }

    private static StateStore OpenAndAssert(StateStoreOptions options, int generation, StateCheckpoint? expected)
    {
        var store = StateStore.Open(options);
        Assert.Equal(expected, store.RecoveredCheckpoint);
        using var session = store.NewSession();
        AssertGeneration(session, generation);
        return store;
    }

    [Fact]
    [Trait("Spec", "STATE-006")]
    public async Task Reopening_recovers_exactly_the_checkpointed_state()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var (_, second) = await TwoCheckpoints(options);
        using var store = OpenAndAssert(options, generation: 2, second);
    }

    [Fact]
    [Trait("Spec", "STATE-006")]
    [Trait("Spec", "STATE-016")]
    public async Task A_crash_image_taken_while_the_store_runs_recovers_the_last_checkpoint()
    {
        using var dir = new TempDirectory();
        using var image = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        StateCheckpoint checkpoint;
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            WriteGeneration(session, 1);
            checkpoint = await store.CheckpointAsync();
            WriteGeneration(session, 2);
            WriteGeneration(session, 3); // enough to flush pages after the checkpoint
            // The files as a killed process would leave them: nothing closed, nothing flushed by shutdown.
            CopyDirectory(dir.Path, image.Path);
        }
        using var recovered = OpenAndAssert(options with { Directory = image.Path }, generation: 1, checkpoint);
    }

    [Fact]
    [Trait("Spec", "STATE-007")]
    public async Task A_store_that_never_checkpointed_reopens_empty_and_drops_its_log()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            for (var generation = 1; generation <= 3; generation++)
                WriteGeneration(session, generation); // more than the log memory: pages reach the log files
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "log")));

        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            Assert.Null(store.RecoveredCheckpoint);
            Assert.Empty(TestOptions.ScanAll(session));
            Assert.Null(TestOptions.Read(session, TestOptions.Key(1)));
            session.Upsert(TestOptions.Key(1), [1]);
            await store.CheckpointAsync();
        }
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
            Assert.Equal(new byte[] { 1 }, TestOptions.Read(session, TestOptions.Key(1)));
    }

    [Fact]
    [Trait("Spec", "STATE-001")]
    [Trait("Spec", "STATE-003")]
    public async Task Only_the_two_newest_checkpoints_are_kept_and_numbers_increase()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var taken = new List<StateCheckpoint>();
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            for (var generation = 1; generation <= 5; generation++)
            {
                WriteGeneration(session, generation);
                taken.Add(await store.CheckpointAsync());
                Assert.Equal(taken.TakeLast(2), store.Checkpoints);
            }
        }
        Assert.Equal([1L, 2, 3, 4, 5], taken.Select(c => c.Number));

        var checkpoints = Path.Combine(dir.Path, "checkpoints");
        Assert.Equal(["tarn-0000000000000000004.ckpt", "tarn-0000000000000000005.ckpt"],
            Directory.GetFiles(checkpoints).Select(Path.GetFileName).Order());
        var kept = taken.TakeLast(2).Select(c => c.Token.ToString()).Order();
        Assert.Equal(kept, Directory.GetDirectories(Path.Combine(checkpoints, "index-checkpoints")).Select(Path.GetFileName).Order());
        Assert.Equal(kept, Directory.GetDirectories(Path.Combine(checkpoints, "cpr-checkpoints")).Select(Path.GetFileName).Order());
        Assert.Equal(["checkpoints", "log"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(Path.Combine(dir.Path, "log")), f => Assert.StartsWith("hlog.log.", Path.GetFileName(f)));

        using var reopened = OpenAndAssert(options, generation: 5, taken[^1]);
        Assert.Equal(taken.TakeLast(2), reopened.Checkpoints);
    }

    public static TheoryData<string> Damages => new()
    {
        "flip a byte in the index image",
        "flip a byte in the log snapshot",
        "truncate the log checkpoint metadata",
        "delete the index checkpoint metadata",
        "delete the marker",
        "flip a byte in the marker",
        "truncate the marker",
        "delete the log checkpoint folder",
    };

    [Theory]
    [MemberData(nameof(Damages))]
    [Trait("Spec", "STATE-002")]
    [Trait("Spec", "STATE-004")]
    public async Task A_damaged_newest_checkpoint_falls_back_to_the_previous_one(string damage)
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var (first, second) = await TwoCheckpoints(options);
        Damage(dir.Path, second, damage);

        StateCheckpoint third;
        using (var store = OpenAndAssert(options, generation: 1, first))
        {
            Assert.Equal([first], store.Checkpoints);
            // The damaged checkpoint is discarded: its number is not reused and its files are gone.
            third = await store.CheckpointAsync();
            // Without its marker nothing remembers the number; a marker only deleted by hand allows reuse.
            Assert.True(third.Number > (damage == "delete the marker" ? first.Number : second.Number));
            Assert.Equal([first, third], store.Checkpoints);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "checkpoints", "index-checkpoints", second.Token.ToString())));
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "checkpoints", "cpr-checkpoints", second.Token.ToString())));
        }
        using var reopened = OpenAndAssert(options, generation: 1, third);
    }

    [Fact]
    [Trait("Spec", "STATE-004")]
    public async Task When_no_checkpoint_can_be_recovered_opening_fails_and_deletes_nothing()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var (first, second) = await TwoCheckpoints(options);
        Damage(dir.Path, first, "flip a byte in the index image");
        Damage(dir.Path, second, "flip a byte in the log snapshot");
        var before = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Order().ToArray();

        var error = Assert.Throws<TarnException>(() => StateStore.Open(options));
        Assert.Equal(SqlStates.DataCorrupted, error.SqlState);
        Assert.Equal(before, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Order());
    }

    [Fact]
    [Trait("Spec", "STATE-004")]
    public async Task A_missing_or_truncated_log_segment_that_checkpoints_need_makes_opening_fail()
    {
        foreach (var truncate in new[] { false, true })
        {
            using var dir = new TempDirectory();
            var options = TestOptions.Small(dir.Path);
            using (var store = StateStore.Open(options))
            using (var session = store.NewSession())
            {
                // Both checkpoints find part of the log already evicted to segment 0, so both need it.
                for (var generation = 1; generation <= 3; generation++)
                    WriteGeneration(session, generation);
                await store.CheckpointAsync();
                WriteGeneration(session, 4);
                await store.CheckpointAsync();
            }
            var segment = Path.Combine(dir.Path, "log", "hlog.log.0");
            if (truncate)
            {
                using var stream = new FileStream(segment, FileMode.Open);
                stream.SetLength(4096);
            }
            else
                File.Delete(segment);

            // FASTER alone would read the missing bytes as zeros and lose the records silently.
            var error = Assert.Throws<TarnException>(() => StateStore.Open(options));
            Assert.Equal(SqlStates.DataCorrupted, error.SqlState);
        }
    }

    [Fact]
    [Trait("Spec", "STATE-005")]
    public async Task Recovering_an_older_checkpoint_restores_it_and_discards_newer_ones()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        using var store = StateStore.Open(options);
        var session = store.NewSession();
        WriteGeneration(session, 1);
        var first = await store.CheckpointAsync();
        WriteGeneration(session, 2);
        var second = await store.CheckpointAsync();
        WriteGeneration(session, 3);

        var inUse = await Assert.ThrowsAsync<TarnException>(() => store.RecoverAsync(first.Token));
        Assert.Equal(SqlStates.ObjectInUse, inUse.SqlState);
        session.Dispose();

        await store.RecoverAsync(first.Token);
        Assert.Equal(first, store.RecoveredCheckpoint);
        Assert.Equal([first], store.Checkpoints);
        using (var reading = store.NewSession())
        {
            AssertGeneration(reading, 1);
            WriteGeneration(reading, 4); // overwrites the log the discarded checkpoint used
        }

        var gone = await Assert.ThrowsAsync<TarnException>(() => store.RecoverAsync(second.Token));
        Assert.Equal(SqlStates.DataCorrupted, gone.SqlState);
        var third = await store.CheckpointAsync();
        Assert.True(third.Number > second.Number);

        using var other = new TempDirectory();
        var missing = Assert.Throws<TarnException>(() => StateStore.Open(options with { Directory = other.Path }, second.Token));
        Assert.Equal(SqlStates.DataCorrupted, missing.SqlState);
    }

    [Fact]
    [Trait("Spec", "STATE-005")]
    public async Task Opening_at_a_named_checkpoint_skips_the_newest()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var (first, second) = await TwoCheckpoints(options);

        using (var store = StateStore.Open(options, first.Token))
        {
            Assert.Equal(first, store.RecoveredCheckpoint);
            using var session = store.NewSession();
            AssertGeneration(session, 1);
        }
        var error = Assert.Throws<TarnException>(() => StateStore.Open(options, second.Token));
        Assert.Equal(SqlStates.DataCorrupted, error.SqlState);
        using var reopened = OpenAndAssert(options, generation: 1, first);
    }

    [Fact]
    [Trait("Spec", "STATE-008")]
    public async Task Log_geometry_comes_from_the_checkpoint_not_from_changed_options()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var (_, second) = await TwoCheckpoints(options);
        var changed = options with { PageSize = 1 << 12, SegmentSize = 1 << 22, LogMemorySize = 1 << 20, IndexBuckets = 1 << 12 };
        using var store = OpenAndAssert(changed, generation: 2, second);
        Assert.Equal((1 << 14) - 27, store.MaxRecordPayload);
    }

    [Fact]
    [Trait("Spec", "STATE-008")]
    public void Invalid_options_are_rejected()
    {
        using var dir = new TempDirectory();
        foreach (var bad in new[]
        {
            TestOptions.Small(dir.Path) with { IndexBuckets = 1000 },
            TestOptions.Small(dir.Path) with { PageSize = 1 << 11 },
            TestOptions.Small(dir.Path) with { LogMemorySize = 1 << 15 }, // fewer than 4 pages
            TestOptions.Small(dir.Path) with { SegmentSize = 1 << 13 },
            TestOptions.Small(" "),
        })
        {
            var error = Assert.Throws<TarnException>(() => StateStore.Open(bad));
            Assert.Equal(SqlStates.InvalidParameterValue, error.SqlState);
        }
    }

    private static void Damage(string root, StateCheckpoint checkpoint, string damage)
    {
        var checkpoints = Path.Combine(root, "checkpoints");
        var index = Path.Combine(checkpoints, "index-checkpoints", checkpoint.Token.ToString());
        var log = Path.Combine(checkpoints, "cpr-checkpoints", checkpoint.Token.ToString());
        var marker = Path.Combine(checkpoints, $"tarn-{checkpoint.Number:D19}.ckpt");
        switch (damage)
        {
            case "flip a byte in the index image":
                FlipByte(Path.Combine(index, "ht.dat.0"));
                break;
            case "flip a byte in the log snapshot":
                FlipByte(Path.Combine(log, "snapshot.dat.0"));
                break;
            case "truncate the log checkpoint metadata":
                using (var stream = new FileStream(Path.Combine(log, "info.dat.0"), FileMode.Open))
                    stream.SetLength(stream.Length / 2);
                break;
            case "delete the index checkpoint metadata":
                File.Delete(Path.Combine(index, "info.dat.0"));
                break;
            case "delete the marker":
                File.Delete(marker);
                break;
            case "flip a byte in the marker":
                FlipByte(marker);
                break;
            case "truncate the marker":
                using (var stream = new FileStream(marker, FileMode.Open))
                    stream.SetLength(stream.Length - 1);
                break;
            case "delete the log checkpoint folder":
                Directory.Delete(log, recursive: true);
                break;
            default:
                throw new ArgumentException(damage);
        }
    }

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 3] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(source, target, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var output = File.Create(file.Replace(source, target, StringComparison.Ordinal));
            input.CopyTo(output);
        }
    }
}
