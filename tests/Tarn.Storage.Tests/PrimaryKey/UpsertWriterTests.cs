using Tarn.Storage.Changelog;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.PrimaryKey;

/// <summary>The upsert writer at the storage level: rows with a kind per row (what a streaming sink writes), lookups in files.</summary>
public class UpsertWriterTests
{
    private static ColumnBatch Rows(params (long K, string? V)[] rows)
    {
        var key = new PrimitiveVector<long>(DataType.BigInt.WithNullable(false), rows.Length);
        var value = new BinaryVector(DataType.String, rows.Length);
        foreach (var (k, v) in rows)
        {
            key.Append(k);
            if (v is null) value.AppendNull(); else value.Append(v);
        }
        return new ColumnBatch([key, value], rows.Length);
    }

    private static ChangelogCounts Upsert(StorageEngine engine, long tableId, ColumnBatch rows, sbyte[] kinds)
    {
        var table = engine.GetTable(tableId)!;
        var writer = new UpsertWriter(table.Layout, MergeOptions.Default);
        writer.Add(rows, kinds);
        using var builder = new AppendBuilder(engine, table);
        var counts = writer.WriteTo(engine, table, readAsGiven: false, builder);
        engine.CommitAsync(builder.Finish()).GetAwaiter().GetResult();
        return counts;
    }

    private static List<string> Read(StreamingReader reader)
    {
        var seen = new List<string>();
        while (reader.TryRead() is { } batch)
            for (var r = 0; r < batch.Rows.RowCount; r++)
                seen.Add($"{batch.KindOf(r).ToShortString()}({((PrimitiveVector<long>)batch.Rows.Columns[0]).Values[r]},{batch.Rows.Columns[1].GetValue(r) ?? "NULL"})");
        return seen;
    }

    private static sbyte[] Kinds(params RowKind[] kinds) => kinds.Select(k => (sbyte)k).ToArray();

    [Fact]
    [Trait("Spec", "DB-054")]
    public void A_changelog_input_is_folded_per_key_before_it_is_stored()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 2);
        var counts = Upsert(engine, id, Rows((1, "a"), (2, "b"), (1, "a"), (1, "c"), (2, "b"), (3, "x")),
            Kinds(RowKind.Insert, RowKind.Insert, RowKind.UpdateBefore, RowKind.UpdateAfter, RowKind.Delete, RowKind.Delete));
        Assert.Equal(new ChangelogCounts(1, 0, 0), counts);
        var reader = new StreamingReader(engine, id, StreamStart.Earliest);
        Assert.Equal(["+I(1,c)"], Read(reader));
        Upsert(engine, id, Rows((1, "d"), (4, null)), Kinds(RowKind.Insert, RowKind.UpdateAfter));
        Assert.Equal(["+I(4,NULL)", "+U(1,d)", "-U(1,c)"], Read(reader).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(new Dictionary<long, string?> { [1] = "d", [4] = null }, PkTables.Scan(engine, id));
    }

    [Fact]
    [Trait("Spec", "DB-054")]
    public void Lookups_find_current_rows_in_segment_files()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 1);
        var initial = Enumerable.Range(0, 5000).Select(i => ((long)i, (string?)("v" + i))).ToArray();
        Upsert(engine, id, Rows(initial), new sbyte[initial.Length]);
        engine.RunMaintenance(force: true);
        Assert.NotEmpty(engine.GetTable(id)!.Segments);
        var reader = new StreamingReader(engine, id, StreamStart.Latest);
        var counts = Upsert(engine, id, Rows((10, "new10"), (4999, null), (7000, "n")), Kinds(RowKind.Insert, RowKind.Insert, RowKind.Insert));
        Assert.Equal(new ChangelogCounts(1, 2, 0), counts);
        Assert.Equal(["+I(7000,n)", "+U(10,new10)", "+U(4999,NULL)", "-U(10,v10)", "-U(4999,v4999)"], Read(reader).Order(StringComparer.Ordinal).ToList());
        var deleted = Upsert(engine, id, Rows((10, null)), Kinds(RowKind.Delete));
        Assert.Equal(new ChangelogCounts(0, 0, 1), deleted);
        Assert.Equal(["-D(10,new10)"], Read(reader));
    }

    [Fact]
    public async Task The_changelog_can_be_computed_again_against_a_newer_version()
    {
        using var dir = new TempDirectory();
        using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
        var id = PkTables.Create(engine, 1);
        var old = engine.GetTable(id)!;
        var writer = new UpsertWriter(old.Layout, MergeOptions.Default);
        writer.Add(Rows((1, "mine")), RowKind.Insert);
        using (var first = new AppendBuilder(engine, old))
            Assert.Equal(new ChangelogCounts(1, 0, 0), writer.WriteTo(engine, old, false, first));
        PkTables.Write(engine, id, (RowKind.Insert, 1, "theirs"));
        var now = engine.GetTable(id)!;
        using var second = new AppendBuilder(engine, now);
        Assert.Equal(new ChangelogCounts(0, 1, 0), writer.WriteTo(engine, now, false, second));
        await engine.CommitAsync(second.Finish());
        Assert.Equal(["+I(1,theirs)", "-U(1,theirs)", "+U(1,mine)"], Read(new StreamingReader(engine, id, StreamStart.Earliest)));
    }
}
