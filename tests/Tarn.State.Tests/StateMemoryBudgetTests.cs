namespace Tarn.State.Tests;

/// <summary>Sizing a store for a memory budget (a streaming job's <c>state.memory</c>).</summary>
public sealed class StateMemoryBudgetTests
{
    [Theory]
    [InlineData(1L << 20, 1L << 18, 1L << 19, 1 << 16)]
    [InlineData(3L << 20, 1L << 19, 1L << 21, 1 << 18)]
    [InlineData(16L << 20, 4L << 20, 8L << 20, 1 << 20)]
    [InlineData(1L << 30, 4L << 20, 512L << 20, 1 << 22)]
    public void The_index_and_the_log_memory_fit_in_the_budget(long budget, long indexBytes, long logMemory, int pageSize)
    {
        var options = StateMemoryBudget.Apply(new StateStoreOptions { Directory = "x" }, budget);
        Assert.Equal(indexBytes, options.IndexBuckets * 64);
        Assert.Equal(logMemory, options.LogMemorySize);
        Assert.Equal(pageSize, options.PageSize);
        Assert.True(options.IndexBuckets * 64 + options.LogMemorySize <= budget);
        options.Validate();
    }

    [Fact]
    public void A_budget_below_one_megabyte_is_rejected() =>
        Assert.Equal(SqlStates.InvalidParameterValue,
            Assert.Throws<TarnException>(() => StateMemoryBudget.Apply(new StateStoreOptions { Directory = "x" }, (1L << 20) - 1)).SqlState);

    [Fact]
    public async Task A_store_sized_for_a_small_budget_keeps_every_record_of_ten_times_as_much_state()
    {
        using var dir = new TempDirectory();
        var options = StateMemoryBudget.Apply(new StateStoreOptions { Directory = dir.Path }, 1L << 20);
        const int keys = 50_000;
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            for (var i = 0; i < keys; i++) session.Upsert(BitConverter.GetBytes(i), TestOptions.Value(i, 200));
            await store.CheckpointAsync();
        }
        var logBytes = new DirectoryInfo(Path.Combine(dir.Path, "log")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.True(logBytes >= 10 * (1L << 20), $"the log holds {logBytes} bytes");
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            for (var i = 0; i < keys; i += 7)
            {
                writer.ResetWrittenCount();
                Assert.True(session.TryRead(BitConverter.GetBytes(i), writer));
                Assert.Equal(TestOptions.Value(i, 200), writer.WrittenSpan.ToArray());
            }
        }
    }
}
