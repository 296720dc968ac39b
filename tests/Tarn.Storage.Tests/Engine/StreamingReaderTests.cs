using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tests.Support;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Engine;

public class StreamingReaderTests
{
    private static List<long> Ids(StreamBatch b) =>
        Enumerable.Range(0, b.Rows.RowCount).Select(i => ((PrimitiveVector<long>)b.Rows.Columns[0]).Values[i]).ToList();

    [Fact]
    [Trait("Spec", "DB-040")]
    public async Task Reader_sees_every_row_once_in_order_including_later_commits()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var tableId = TestTables.Create(engine).TableId;
        TestTables.Append(engine, tableId, TestTables.Rows(0, 10));
        var reader = new StreamingReader(engine, tableId, StreamStart.Earliest, [0]);
        var seen = new List<long>();
        var writer = Task.Run(() =>
        {
            for (var i = 1; i < 50; i++) TestTables.Append(engine, tableId, TestTables.Rows(i * 10, 10));
            engine.RunMaintenance(force: true);
            TestTables.Append(engine, tableId, TestTables.Rows(500, 20_000));
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (seen.Count < 20_500)
        {
            var batch = await reader.ReadAsync(timeout.Token);
            Assert.Equal(seen.Count, batch.FirstOffset);
            seen.AddRange(Ids(batch));
        }
        await writer;
        Assert.Equal(Enumerable.Range(0, 20_500).Select(i => (long)i), seen);
        Assert.Null(reader.TryRead());
    }

    [Fact]
    [Trait("Spec", "DB-041")]
    public async Task A_waiting_reader_is_woken_by_the_commit()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var tableId = TestTables.Create(engine).TableId;
        var reader = new StreamingReader(engine, tableId, StreamStart.Latest, [0]);
        var read = reader.ReadAsync().AsTask();
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        TestTables.Append(engine, tableId, TestTables.Rows(7, 1));
        var batch = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([7L], Ids(batch));
    }

    [Fact]
    public void Start_positions_latest_offsets_snapshot_and_timestamp()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var tableId = TestTables.Create(engine).TableId;
        var c1 = TestTables.Append(engine, tableId, TestTables.Rows(0, 3));
        Thread.Sleep(2);
        var c2 = TestTables.Append(engine, tableId, TestTables.Rows(3, 4));
        Assert.Null(new StreamingReader(engine, tableId, StreamStart.Latest).TryRead());
        Assert.Equal([5L, 6L], Ids(new StreamingReader(engine, tableId, StreamStart.AtOffsets(5), [0]).TryRead()!));
        Assert.Equal([3L, 4L, 5L, 6L], Ids(new StreamingReader(engine, tableId, StreamStart.FromSnapshot(2), [0]).TryRead()!));
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L], Ids(new StreamingReader(engine, tableId, StreamStart.FromSnapshot(1), [0]).TryRead()!));
        Assert.Equal([3L, 4L, 5L, 6L], Ids(new StreamingReader(engine, tableId, StreamStart.AtTimestamp(c2.TimestampMicros), [0]).TryRead()!));
        Assert.Equal(7, Ids(new StreamingReader(engine, tableId, StreamStart.AtTimestamp(c1.TimestampMicros), [0]).TryRead()!).Count);
        var e = Assert.Throws<TarnException>(() => new StreamingReader(engine, tableId, StreamStart.AtOffsets(99)));
        Assert.Equal(SqlStates.OffsetOutOfRange, e.SqlState);
    }
}

public class ConsumerTests
{
    [Fact]
    [Trait("Spec", "DB-043")]
    public async Task A_named_consumer_resumes_after_its_committed_position_across_restarts()
    {
        using var dir = new TempDirectory();
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 5));
            var reader = new StreamingReader(engine, tableId, StreamStart.ForConsumer("job-1"), [0]);
            Assert.Equal(5, reader.TryRead()!.Rows.RowCount);
            await reader.CommitAsync("job-1");
            TestTables.Append(engine, tableId, TestTables.Rows(5, 3));
            engine.RunMaintenance(force: true); // flush and checkpoint: the position must survive both
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var reader = new StreamingReader(engine, tableId, StreamStart.ForConsumer("job-1"), [0]);
            var batch = reader.TryRead()!;
            Assert.Equal(5, batch.FirstOffset);
            Assert.Equal(3, batch.Rows.RowCount);
            var fresh = new StreamingReader(engine, tableId, StreamStart.ForConsumer("job-2", StreamStart.Latest), [0]);
            Assert.Null(fresh.TryRead());
        }
    }
}
