using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Engine;

public class LayoutTests
{
    [Fact]
    [Trait("Spec", "DB-001")]
    [Trait("Spec", "DB-021")]
    public void Awkward_partition_values_map_to_stable_paths_and_read_back()
    {
        var values = new[] { "a/b", "100%", ".hidden", "ünïcödé", "", new string('x', 300), "__NULL__", "a b:c-d_e" };
        using var dir = new TempDirectory();
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var layout = TestTables.Create(engine, partitionIds: [2]);
            tableId = layout.TableId;
            var rows = TestTables.Rows(0, 20_000, day: id => values[id % values.Length]);
            ((BinaryVector)rows.Columns[2]).SetNull(7); // one NULL partition value too
            TestTables.Append(engine, tableId, rows);
            var table = engine.GetTable(tableId)!;
            Assert.Equal(values.Length + 1, table.Segments.Select(s => s.Partition).Distinct().Count());
            foreach (var s in table.Segments)
            {
                var path = engine.SegmentPath(table.Layout, s);
                Assert.True(File.Exists(path), path);
                Assert.StartsWith(engine.TableDirectory(tableId), Path.GetFullPath(path), StringComparison.Ordinal);
                Assert.All(Path.GetRelativePath(engine.TableDirectory(tableId), path).Split('/'), part => Assert.True(System.Text.Encoding.UTF8.GetByteCount(part) <= 255, part));
            }
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var ids = TestTables.ReadIds(engine, engine.GetTable(tableId)!);
            Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), ids.Select(r => r.Id).Order());
        }
    }

    [Fact]
    [Trait("Spec", "LOG-002")]
    public void An_append_at_the_wrong_base_offset_is_corruption()
    {
        var layout = new TableLayout(1, TestTables.Orders, [], 1, [], []);
        var state = StorageState.Empty.Apply(new LogRecord(1, 1, [new CreateTableOp(layout)]), SnapshotRetention.Default, new StorageState.ApplyEffects());
        var image = new byte[] { 1 };
        var bad = new LogRecord(2, 2, [new AppendOp(1, 0, 5, [new InlineAppendPart(image)], BaseOffset: 3)]);
        var e = Assert.Throws<TarnException>(() => state.Apply(bad, SnapshotRetention.Default, new StorageState.ApplyEffects()));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
        var good = state.Apply(bad with { Ops = [new AppendOp(1, 0, 5, [new InlineAppendPart(image)], BaseOffset: 0)] }, SnapshotRetention.Default, new StorageState.ApplyEffects());
        Assert.Equal(5, good.Tables[1].NextOffsets[0]);
        Assert.Equal(1, good.Tables[1].LastSnapshotId);
        _ = DataType.Int;
    }
}
