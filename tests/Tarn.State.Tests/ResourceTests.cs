namespace Tarn.State.Tests;

[CollectionDefinition(nameof(FileHandleCounting), DisableParallelization = true)]
public sealed class FileHandleCounting;

[Collection(nameof(FileHandleCounting))]
public sealed class ResourceTests
{
    [Fact]
    [Trait("Spec", "STATE-015")]
    public async Task Opening_and_closing_twenty_times_leaks_no_file_handles()
    {
        // /proc/self/fd lists the process's open descriptors; other platforms have no equivalent to count.
        if (!OperatingSystem.IsLinux())
            return;
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        await Cycle(options, 0); // first use creates runtime-wide descriptors (thread pool, etc.)
        var before = OpenDescriptors().Length;
        for (var round = 1; round <= 20; round++)
        {
            await Cycle(options, round);
            // Checked at once, before a garbage collection can close a handle through a finalizer: a handle left for
            // the finalizer is a leak too (FASTER's large page allocations trigger full collections often).
            Assert.DoesNotContain(OpenDescriptors(), target => target.StartsWith(dir.Path, StringComparison.Ordinal));
        }
        var after = OpenDescriptors().Length;
        Assert.True(after <= before, $"{after - before} file descriptors leaked");
    }

    private static async Task Cycle(StateStoreOptions options, int round)
    {
        using var store = StateStore.Open(options);
        using var session = store.NewSession();
        // 3000 records of ~130 bytes exceed the 256 KB log memory, so log segments are written and read.
        if (round > 0)
            Assert.Equal(TestOptions.Value(round - 1, 100), TestOptions.Read(session, TestOptions.Key(round % 7)));
        for (var i = 0; i < 3000; i++)
            session.Upsert(TestOptions.Key(i), TestOptions.Value(round, 100));
        Assert.Equal(TestOptions.Value(round, 100), TestOptions.Read(session, TestOptions.Key(round % 7)));
        Assert.Equal(3000, TestOptions.ScanAll(session).Count);
        await store.CheckpointAsync();
        Assert.Contains(OpenDescriptors(), target => target.StartsWith(options.Directory, StringComparison.Ordinal));
    }

    /// <summary>What each open descriptor refers to.</summary>
    private static string[] OpenDescriptors()
    {
        var targets = new List<string>();
        foreach (var link in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                targets.Add(new FileInfo(link).LinkTarget ?? "");
            }
            catch (IOException)
            {
                // closed between listing and reading
            }
        }
        return [.. targets];
    }
}
