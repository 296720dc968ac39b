using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Scans;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.PrimaryKey;

public class PrimaryKeyStorageTests
{
    private sealed class Never(int columnId) : IStatsPredicate
    {
        public int ColumnId => columnId;
        public bool MayMatch(ColumnStats? stats, long rowCount) => false;
    }

    [Fact]
    [Trait("Spec", "DB-050")]
    public void Rows_carry_their_kind_in_the_second_column_and_streams_return_it()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 1);
        PkTables.Write(engine, id, (RowKind.Insert, 1, "a"), (RowKind.Insert, 2, "b"));
        PkTables.Write(engine, id, (RowKind.UpdateBefore, 1, "a"), (RowKind.UpdateAfter, 1, "a2"), (RowKind.Delete, 2, "b"));
        engine.RunMaintenance(force: true);
        var table = engine.GetTable(id)!;
        var segment = Assert.Single(table.Segments);
        var footer = engine.OpenSegment(table.Layout, segment).Footer;
        Assert.Equal(SystemColumns.OffsetId, footer.Schema[0].Id);
        Assert.Equal(SystemColumns.RowKindId, footer.Schema[1].Id);
        Assert.Equal("$kind", footer.Schema[1].Name);

        var batch = new StreamingReader(engine, id, StreamStart.Earliest).TryRead()!;
        var kinds = Enumerable.Range(0, batch.Rows.RowCount).Select(batch.KindOf).ToList();
        Assert.Equal([RowKind.Insert, RowKind.Insert, RowKind.UpdateBefore, RowKind.UpdateAfter, RowKind.Delete], kinds);
        Assert.Equal(new Dictionary<long, string?> { [1] = "a2" }, PkTables.Scan(engine, id));
    }

    [Fact]
    [Trait("Spec", "DB-050")]
    public void Append_tables_accept_only_inserts_and_stream_without_kinds()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var layout = TestTables.Create(engine);
        using var builder = new AppendBuilder(engine, engine.GetTable(layout.TableId)!);
        var e = Assert.Throws<TarnException>(() => builder.Add(TestTables.Rows(0, 1), RowKind.Delete));
        Assert.Equal(SqlStates.FeatureNotSupported, e.SqlState);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(0, 3));
        var batch = new StreamingReader(engine, layout.TableId, StreamStart.Earliest).TryRead()!;
        Assert.Null(batch.Kinds);
        Assert.Equal(RowKind.Insert, batch.KindOf(2));
    }

    [Fact]
    [Trait("Spec", "DB-051")]
    public void Scans_return_the_newest_live_version_of_each_key_as_of_the_end_offsets()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 2);
        PkTables.Write(engine, id, (RowKind.Insert, 1, "a"), (RowKind.Insert, 2, "b"), (RowKind.Insert, 3, "c"));
        var first = engine.GetTable(id)!.NextOffsets.ToArray();
        engine.RunMaintenance(force: true);
        PkTables.Write(engine, id, (RowKind.Insert, 1, "a2"), (RowKind.Delete, 2, "b"));
        PkTables.Write(engine, id, (RowKind.UpdateBefore, 3, "c"));
        Assert.Equal(new Dictionary<long, string?> { [1] = "a2" }, PkTables.Scan(engine, id));
        Assert.Equal(new Dictionary<long, string?> { [1] = "a", [2] = "b", [3] = "c" }, PkTables.Scan(engine, id, first));
        PkTables.Write(engine, id, (RowKind.Insert, 2, "b3"));
        Assert.Equal(new Dictionary<long, string?> { [1] = "a2", [2] = "b3" }, PkTables.Scan(engine, id));
    }

    [Fact]
    [Trait("Spec", "DB-052")]
    [Trait("Spec", "DB-031")]
    public void Compaction_drops_superseded_versions_but_keeps_what_snapshots_and_readers_need()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options with { SnapshotRetention = new SnapshotRetention(TimeSpan.Zero, 2, 2) });
        var id = PkTables.Create(engine, 1);
        for (var round = 0; round < 6; round++)
        {
            PkTables.Write(engine, id, (RowKind.Insert, 1, $"v{round}"), (RowKind.Insert, 2, $"w{round}"), (RowKind.Insert, 1, $"x{round}"));
            if (round == 4) PkTables.Write(engine, id, (RowKind.Delete, 2, "w4"));
            engine.RunMaintenance(force: true);
        }
        var table = engine.GetTable(id)!;
        var stored = table.Segments.Sum(s => s.RowCount);
        Assert.True(stored < table.NextOffsets[0], $"{stored} rows stored of {table.NextOffsets[0]} written: nothing was compacted away");
        Assert.Equal(new Dictionary<long, string?> { [1] = "x5", [2] = "w5" }, PkTables.Scan(engine, id));
        // The two retained snapshots still read what they held.
        var older = table.Snapshots[0];
        Assert.Equal(new Dictionary<long, string?> { [1] = "x5", [2] = "w5" }, PkTables.Scan(engine, id, table.Snapshots[1].EndOffsets));
        Assert.Equal(new Dictionary<long, string?> { [1] = "x4" }, PkTables.Scan(engine, id, older.EndOffsets));
    }

    [Fact]
    [Trait("Spec", "DB-053")]
    public void Only_key_predicates_prune_a_primary_key_table()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options with { CompactionMinFiles = 100 });
        var id = PkTables.Create(engine, 1);
        PkTables.Write(engine, id, (RowKind.Insert, 1, "old"));
        engine.RunMaintenance(force: true);
        PkTables.Write(engine, id, (RowKind.Insert, 1, "new"));
        engine.RunMaintenance(force: true);
        Assert.Equal(2, engine.GetTable(id)!.Segments.Count);
        // A predicate on the value column would skip the file with the newest version and resurrect "old": it is ignored.
        Assert.Equal(new Dictionary<long, string?> { [1] = "new" }, PkTables.Scan(engine, id, stats: [new Never(1)]));
        // A predicate on the key prunes.
        Assert.Empty(PkTables.Scan(engine, id, stats: [new Never(0)]));
    }

    [Fact]
    [Trait("Spec", "DB-032")]
    public async Task A_replace_without_added_segments_is_an_overwrite_that_expires_older_snapshots()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var layout = TestTables.Create(engine);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(0, 5));
        engine.RunMaintenance(force: true);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(5, 5));
        var before = engine.GetTable(layout.TableId)!;
        var removal = new ReplaceOp(layout.TableId, [], before.Segments.Select(s => s.SegmentId).ToList(),
            before.Inline.Select(p => new InlineRange(p.Bucket, p.BaseOffset)).ToList());
        using (var builder = new AppendBuilder(engine, before))
        {
            builder.Add(TestTables.Rows(100, 2));
            await engine.CommitAsync([removal, .. builder.Finish()]);
        }
        var after = engine.GetTable(layout.TableId)!;
        Assert.Equal([100L, 101L], TestTables.ReadIds(engine, after).Select(r => r.Id));
        var snapshot = Assert.Single(after.Snapshots);
        Assert.Equal(before.LastSnapshotId + 1, snapshot.SnapshotId);
        Assert.Null(after.FindSnapshot(before.LastSnapshotId));

        // Overwriting with nothing still makes a snapshot, and survives reopening (replay applies the same rule).
        await engine.CommitAsync([new ReplaceOp(layout.TableId, [], [], after.Inline.Select(p => new InlineRange(p.Bucket, p.BaseOffset)).ToList())]);
        Assert.Empty(TestTables.ReadIds(engine, engine.GetTable(layout.TableId)!));
        Assert.Equal(snapshot.SnapshotId + 1, Assert.Single(engine.GetTable(layout.TableId)!.Snapshots).SnapshotId);
    }

    [Fact]
    [Trait("Spec", "LOG-006")]
    public async Task A_replace_of_parts_already_gone_fails_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions);
        var layout = TestTables.Create(engine);
        TestTables.Append(engine, layout.TableId, TestTables.Rows(0, 5));
        var stale = engine.GetTable(layout.TableId)!;
        engine.RunMaintenance(force: true); // the flush removes the inline part
        var seq = engine.GetTable(layout.TableId)!.Seq;
        var e = await Assert.ThrowsAsync<TarnException>(() => engine.CommitAsync([new ReplaceOp(layout.TableId, [], [],
            stale.Inline.Select(p => new InlineRange(p.Bucket, p.BaseOffset)).ToList())]));
        Assert.Equal(SqlStates.SerializationFailure, e.SqlState);
        e = await Assert.ThrowsAsync<TarnException>(() => engine.CommitAsync([new ReplaceOp(layout.TableId, [], [987654], [])]));
        Assert.Equal(SqlStates.SerializationFailure, e.SqlState);
        Assert.Equal(seq, engine.GetTable(layout.TableId)!.Seq);
        Assert.Equal(5, TestTables.ReadIds(engine, engine.GetTable(layout.TableId)!).Count);
    }

    [Fact]
    public async Task A_failed_commit_precondition_commits_nothing()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 1);
        var read = engine.GetTable(id)!;
        PkTables.Write(engine, id, (RowKind.Insert, 1, "racing"));
        using var builder = new AppendBuilder(engine, read);
        builder.Add(PkTables.Row(1, "stale"), RowKind.Insert);
        var e = await Assert.ThrowsAsync<TarnException>(() => engine.CommitAsync(builder.Finish(),
            state => state.Tables[id].NextOffsets.SequenceEqual(read.NextOffsets) ? null : "written concurrently"));
        Assert.Equal(SqlStates.SerializationFailure, e.SqlState);
        Assert.Equal(new Dictionary<long, string?> { [1] = "racing" }, PkTables.Scan(engine, id));
    }

    [Fact]
    [Trait("Spec", "DB-051")]
    public void Large_upserts_written_straight_to_files_merge_with_later_changes()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options with { DirectSegmentRows = 1000, RowGroupRows = 700 });
        var id = PkTables.Create(engine, 3);
        static Tarn.Vectors.ColumnBatch Batch(int from, int count, string prefix)
        {
            var k = new Tarn.Vectors.PrimitiveVector<long>(Tarn.Types.DataType.BigInt.WithNullable(false), count);
            var v = new Tarn.Vectors.BinaryVector(Tarn.Types.DataType.String, count);
            for (var i = 0; i < count; i++) { k.Append(from + i); v.Append(prefix + (from + i)); }
            return new Tarn.Vectors.ColumnBatch([k, v], count);
        }
        void Commit(params (Tarn.Vectors.ColumnBatch Rows, RowKind Kind)[] parts)
        {
            using var builder = new AppendBuilder(engine, engine.GetTable(id)!);
            foreach (var (rows, kind) in parts) builder.Add(rows, kind);
            engine.CommitAsync(builder.Finish()).GetAwaiter().GetResult();
        }
        Commit((Batch(0, 5000, "a"), RowKind.Insert));
        Assert.NotEmpty(engine.GetTable(id)!.Segments);
        Commit((Batch(2000, 2000, "b"), RowKind.Insert), (Batch(3000, 500, "x"), RowKind.Delete));
        Commit((Batch(10, 5, "c"), RowKind.Insert));
        var expected = new Dictionary<long, string?>();
        for (var i = 0; i < 5000; i++) expected[i] = "a" + i;
        for (var i = 2000; i < 4000; i++) expected[i] = "b" + i;
        for (var i = 3000; i < 3500; i++) expected.Remove(i);
        for (var i = 10; i < 15; i++) expected[i] = "c" + i;
        Assert.Equal(expected.OrderBy(p => p.Key), PkTables.Scan(engine, id).OrderBy(p => p.Key));
        engine.RunMaintenance(force: true);
        Assert.Equal(expected.OrderBy(p => p.Key), PkTables.Scan(engine, id).OrderBy(p => p.Key));
        Assert.Equal(expected.OrderBy(p => p.Key), PkTables.Fold(new StreamingReader(engine, id, StreamStart.Earliest), []).OrderBy(p => p.Key));
    }
}
