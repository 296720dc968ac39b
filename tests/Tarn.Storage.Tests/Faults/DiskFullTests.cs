using Tarn.Storage.Engine;
using Tarn.Storage.IO;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Faults;

public class DiskFullTests
{
    [Fact]
    [Trait("Spec", "LOG-005")]
    public void A_full_disk_fails_the_write_loses_nothing_acknowledged_and_writing_resumes()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem(LocalFileSystem.Instance);
        var options = TestTables.QuietOptions with { FileSystem = fs };
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, options))
        {
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 10));

            fs.DiskFull = true;
            var small = Assert.Throws<TarnException>(() => TestTables.Append(engine, tableId, TestTables.Rows(10, 5)));
            Assert.Equal(SqlStates.DiskFull, small.SqlState);
            var large = Assert.Throws<TarnException>(() => TestTables.Append(engine, tableId, TestTables.Rows(10, 30_000)));
            Assert.Equal(SqlStates.DiskFull, large.SqlState);
            Assert.Contains("disk full", large.Message, StringComparison.OrdinalIgnoreCase);
            // Reads keep working and see only acknowledged rows.
            Assert.Equal(10, TestTables.ReadIds(engine, engine.GetTable(tableId)!).Count);

            fs.DiskFull = false;
            TestTables.Append(engine, tableId, TestTables.Rows(10, 5));
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), TestTables.ReadIds(engine, engine.GetTable(tableId)!).Select(r => r.Id));
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var rows = TestTables.ReadIds(engine, engine.GetTable(tableId)!);
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), rows.Select(r => r.Id));
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), rows.Select(r => r.Offset));
        }
    }

    [Fact]
    public void Background_flush_on_a_full_disk_keeps_rows_inline_and_retries()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem(LocalFileSystem.Instance);
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions with { FileSystem = fs });
        var tableId = TestTables.Create(engine).TableId;
        TestTables.Append(engine, tableId, TestTables.Rows(0, 10));
        fs.DiskFull = true;
        Assert.Throws<TarnException>(() => engine.RunMaintenance(force: true));
        Assert.NotEmpty(engine.GetTable(tableId)!.Inline);
        fs.DiskFull = false;
        engine.RunMaintenance(force: true);
        Assert.Empty(engine.GetTable(tableId)!.Inline);
        Assert.Equal(10, TestTables.ReadIds(engine, engine.GetTable(tableId)!).Count);
    }
}
