using Tarn.Storage.Engine;
using Tarn.Storage.IO;
using Tarn.Storage.Tests.Faults;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Engine;

/// <summary>Group commit: concurrent writers share fsyncs, and every one of them is acknowledged only when durable.</summary>
public class GroupCommitTests
{
    [Fact]
    public void Concurrent_writers_share_one_fsync_per_group()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem(LocalFileSystem.Instance);
        long tableId;
        const int Writers = 16, PerWriter = 25;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions with { FileSystem = fs }))
        {
            tableId = TestTables.Create(engine).TableId;
            var before = Volatile.Read(ref fs.FileSyncs);
            // Threads, not pool tasks: each writer blocks until its commit is durable, as embedded callers do.
            var writers = new Thread[Writers];
            using var start = new Barrier(Writers);
            for (var w = 0; w < Writers; w++)
            {
                var first = w * PerWriter;
                writers[w] = new Thread(() =>
                {
                    start.SignalAndWait();
                    for (var i = 0; i < PerWriter; i++) TestTables.Append(engine, tableId, TestTables.Rows(first + i, 1));
                });
                writers[w].Start();
            }
            foreach (var writer in writers) writer.Join();
            var syncs = Volatile.Read(ref fs.FileSyncs) - before;
            // One-row appends stay inline in the log, so each group costs one log fsync; 400 commits alone would
            // cost 400. Sixteen writers queue behind each fsync; measured 63-204 fsyncs (fewer when fsync is slow).
            Assert.InRange(syncs, 1, Writers * PerWriter * 3 / 4);
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var ids = TestTables.ReadIds(engine, engine.GetTable(tableId)!).Select(r => r.Id).Order().ToList();
            Assert.Equal(Enumerable.Range(0, Writers * PerWriter).Select(i => (long)i), ids);
        }
    }
}
