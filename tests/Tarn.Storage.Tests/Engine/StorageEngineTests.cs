using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Engine;

public class StorageEngineTests
{
    [Fact]
    [Trait("Spec", "DB-010")]
    public void Appends_get_dense_increasing_offsets_and_survive_reopen()
    {
        using var dir = new TempDirectory();
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 3));
            TestTables.Append(engine, tableId, TestTables.Rows(3, 50_000)); // large: written as a segment file
            TestTables.Append(engine, tableId, TestTables.Rows(50_003, 2));
            var rows = TestTables.ReadIds(engine, engine.GetTable(tableId)!);
            Assert.Equal(Enumerable.Range(0, 50_005).Select(i => (long)i), rows.Select(r => r.Id));
            Assert.Equal(Enumerable.Range(0, 50_005).Select(i => (long)i), rows.Select(r => r.Offset));
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            var table = engine.GetTable(tableId)!;
            Assert.Equal(50_005, table.NextOffsets[0]);
            var rows = TestTables.ReadIds(engine, table);
            Assert.Equal(Enumerable.Range(0, 50_005).Select(i => (long)i), rows.Select(r => r.Offset));
            Assert.Equal(3, table.LastSnapshotId);
        }
    }

    [Fact]
    [Trait("Spec", "DB-031")]
    public void Flush_and_compaction_keep_rows_offsets_and_snapshots()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions with { CompactionMinFiles = 3, CompactionTargetRows = 1000 });
        var tableId = TestTables.Create(engine).TableId;
        for (var i = 0; i < 20; i++) TestTables.Append(engine, tableId, TestTables.Rows(i * 10, 10));
        var before = TestTables.ReadIds(engine, engine.GetTable(tableId)!);
        var snapshot5 = engine.GetTable(tableId)!.FindSnapshot(5)!;
        var at5 = TestTables.ReadIds(engine, engine.GetTable(tableId)!, snapshot5.EndOffsets);
        Assert.Equal(50, at5.Count);

        engine.RunMaintenance(force: true); // flush inline parts to one file
        var flushed = engine.GetTable(tableId)!;
        Assert.Empty(flushed.Inline);
        Assert.NotEmpty(flushed.Segments);
        for (var i = 20; i < 30; i++)
        {
            TestTables.Append(engine, tableId, TestTables.Rows(i * 10, 10));
            engine.RunMaintenance(force: true);
        }
        engine.RunMaintenance(force: true); // compaction merges the small files
        var compacted = engine.GetTable(tableId)!;
        Assert.True(compacted.Segments.Count < 5, $"expected compaction, have {compacted.Segments.Count} files");
        var after = TestTables.ReadIds(engine, compacted);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), after.Select(r => r.Id));
        Assert.Equal(before, after.Take(200));
        Assert.Equal(at5, TestTables.ReadIds(engine, compacted, snapshot5.EndOffsets));
    }

    [Fact]
    [Trait("Spec", "DB-011")]
    public void Buckets_route_by_key_hash_and_each_has_its_own_offsets()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var layout = TestTables.Create(engine, buckets: 4, bucketKey: [0]);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(0, 1000));
        TestTables.Append(engine, layout.TableId, TestTables.Rows(1000, 30_000));
        var table = engine.GetTable(layout.TableId)!;
        var rows = TestTables.ReadIds(engine, table);
        Assert.Equal(31_000, rows.Count);
        foreach (var g in rows.GroupBy(r => r.Bucket))
        {
            Assert.Equal(Enumerable.Range(0, g.Count()).Select(i => (long)i), g.Select(r => r.Offset));
            Assert.Equal(table.NextOffsets[g.Key], g.Count());
            // The same id always lands in the same bucket: ids ascend within the bucket as they were appended.
            Assert.True(g.Select(r => r.Id).SequenceEqual(g.Select(r => r.Id).Order()));
        }
        Assert.Equal(4, rows.Select(r => r.Bucket).Distinct().Count());
    }

    [Fact]
    [Trait("Spec", "DB-020")]
    public void Partitions_are_pruned_without_reading_their_files()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var layout = TestTables.Create(engine, partitionIds: [2]);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(0, 40_000, day: id => id < 20_000 ? "2024-01-01" : "2024-01-02"));
        var table = engine.GetTable(layout.TableId)!;
        Assert.Equal(2, table.Segments.Count);
        Assert.All(table.Segments, s => Assert.Single(s.Partition.Values));
        var day2 = TestTables.ReadIds(engine, table, partitions: new DayIs("2024-01-02"));
        Assert.Equal(20_000, day2.Count);
        Assert.All(day2, r => Assert.True(r.Id >= 20_000));
        Assert.True(Directory.Exists(Path.Combine(engine.TableDirectory(layout.TableId), "day=2024-01-02")));
    }

    private sealed class DayIs(string day) : IPartitionPredicate
    {
        public bool MayMatch(PartitionKey partition) => partition.Values[0] == day;
    }

    [Fact]
    [Trait("Spec", "DB-030")]
    public void Time_travel_reads_older_snapshots_by_id_and_time()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var tableId = TestTables.Create(engine).TableId;
        var first = TestTables.Append(engine, tableId, TestTables.Rows(0, 5));
        Thread.Sleep(2);
        var second = TestTables.Append(engine, tableId, TestTables.Rows(5, 7));
        var table = engine.GetTable(tableId)!;
        Assert.Equal(first.TimestampMicros, table.FindSnapshot(1)!.TimestampMicros);
        Assert.Equal(5, TestTables.ReadIds(engine, table, table.FindSnapshot(1)!.EndOffsets).Count);
        Assert.Equal(12, TestTables.ReadIds(engine, table, table.FindSnapshot(2)!.EndOffsets).Count);
        Assert.Equal(1, table.FindSnapshotAsOf(second.TimestampMicros - 1, out var exact)!.SnapshotId);
        Assert.True(exact);
        Assert.Null(table.FindSnapshotAsOf(first.TimestampMicros - 1, out _));
    }

    [Fact]
    [Trait("Spec", "HDR-010")]
    public void A_second_open_of_the_same_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var e = Assert.Throws<TarnException>(() => StorageEngine.Open(dir.Path, TestTables.QuietOptions));
        Assert.Equal(SqlStates.LockNotAvailable, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "DB-003")]
    public void A_foreign_non_empty_directory_is_not_touched()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "mine");
        var e = Assert.Throws<TarnException>(() => StorageEngine.Open(dir.Path, TestTables.QuietOptions));
        Assert.Equal(SqlStates.UndefinedObject, e.SqlState);
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    [Trait("Spec", "DB-002")]
    public void Orphan_segment_files_are_removed_on_open()
    {
        using var dir = new TempDirectory();
        long tableId;
        string orphan;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 20_000));
            orphan = Path.Combine(engine.TableDirectory(tableId), "b0", "000000099999.seg");
            File.WriteAllBytes(orphan, [1, 2, 3]);
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            Assert.False(File.Exists(orphan));
            Assert.Equal(20_000, TestTables.ReadIds(engine, engine.GetTable(tableId)!).Count);
        }
    }

    [Fact]
    [Trait("Spec", "MAN-002")]
    public void A_damaged_newest_manifest_falls_back_to_the_previous_one_and_the_log()
    {
        using var dir = new TempDirectory();
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 10));
            engine.Checkpoint();
            TestTables.Append(engine, tableId, TestTables.Rows(10, 10));
            engine.Checkpoint();
            TestTables.Append(engine, tableId, TestTables.Rows(20, 10));
        }
        var manifests = Directory.GetFiles(Path.Combine(dir.Path, "manifest"), "*.manifest").Order().ToList();
        Assert.True(manifests.Count >= 2);
        var newest = File.ReadAllBytes(manifests[^1]);
        newest[newest.Length / 2] ^= 0x40;
        File.WriteAllBytes(manifests[^1], newest);
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), TestTables.ReadIds(engine, engine.GetTable(tableId)!).Select(r => r.Id));
        }
    }

    [Fact]
    [Trait("Spec", "DB-042")]
    public void Files_replaced_by_compaction_stay_until_readers_release_them()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions with { CompactionMinFiles = 2, CompactionTargetRows = 100_000 });
        var tableId = TestTables.Create(engine).TableId;
        TestTables.Append(engine, tableId, TestTables.Rows(0, 20_000));
        TestTables.Append(engine, tableId, TestTables.Rows(20_000, 20_000));
        var old = engine.GetTable(tableId)!;
        var scan = TableScan.Plan(engine, new ScanSpec { Table = old, ColumnIds = [0] });
        var oldFiles = old.Segments.Select(s => engine.SegmentPath(old.Layout, s)).ToList();
        engine.RunMaintenance(force: true);
        Assert.Single(engine.GetTable(tableId)!.Segments);
        Assert.All(oldFiles, f => Assert.True(File.Exists(f)));
        var count = scan.Morsels.Sum(m => m.Read().RowCount);
        Assert.Equal(40_000, count);
        scan.Dispose();
        engine.RunMaintenance(force: true);
        Assert.All(oldFiles, f => Assert.False(File.Exists(f)));
    }
}
