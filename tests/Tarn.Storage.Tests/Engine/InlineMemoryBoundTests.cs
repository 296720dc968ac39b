using Tarn.Storage.Engine;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Engine;

/// <summary>
/// Row memory in the write path is bounded: writers wait (back-pressure) while the rows held inline exceed
/// <see cref="StorageOptions.MaxInlineBytes"/>, and the background flush to segment files makes room.
/// </summary>
public class InlineMemoryBoundTests
{
    [Fact(Timeout = 120_000)] // a writer that waits for a flush that never comes must fail, not hang
    public async Task Writers_wait_for_the_background_flush_once_inline_rows_reach_the_bound()
    {
        using var dir = new TempDirectory();
        // Only the bound can trigger a flush: the size, part-count and age triggers are out of reach.
        var options = new StorageOptions
        {
            MaxInlineBytes = 16 << 10,
            FlushInlineBytes = 1L << 40,
            FlushInlineParts = int.MaxValue,
            FlushInterval = TimeSpan.FromHours(1),
        };
        using var engine = StorageEngine.Open(dir.Path, options);
        var tableId = TestTables.Create(engine).TableId;
        long largest = 0, peak = 0;
        for (var i = 0; i < 2_000; i++)
        {
            await engine.WaitForInlineSpaceAsync(CancellationToken.None);
            var before = engine.InlineBytes;
            TestTables.Append(engine, tableId, TestTables.Rows(i * 10, 10, status: new string('s', 40)));
            largest = Math.Max(largest, engine.InlineBytes - before);
            peak = Math.Max(peak, engine.InlineBytes);
        }
        // At most the bound plus the one append that crossed it.
        Assert.InRange(peak, options.MaxInlineBytes, options.MaxInlineBytes + largest);
        Assert.NotEmpty(engine.GetTable(tableId)!.Segments); // the flushes happened
        Assert.Equal(20_000, TestTables.ReadIds(engine, engine.GetTable(tableId)!).Count);
    }
}
