using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.PrimaryKey;

/// <summary>A primary-key table (k BIGINT NOT NULL, v STRING, PRIMARY KEY (k)) and helpers to change and read it.</summary>
internal static class PkTables
{
    public static readonly Schema Schema = new([
        new Column(0, "k", DataType.BigInt.WithNullable(false)),
        new Column(1, "v", DataType.String),
    ]);

    public static StorageOptions Options => new() { BackgroundWork = false, CompactionMinFiles = 2 };

    public static long Create(StorageEngine engine, int buckets)
    {
        var layout = new TableLayout(engine.AllocateTableId(), Schema, [], buckets, [0], [0]);
        engine.CommitAsync([new CreateTableOp(layout)]).GetAwaiter().GetResult();
        return layout.TableId;
    }

    public static ColumnBatch Row(long k, string? v)
    {
        var key = new PrimitiveVector<long>(DataType.BigInt.WithNullable(false), 1);
        key.Append(k);
        var value = new BinaryVector(DataType.String, 1);
        if (v is null) value.AppendNull(); else value.Append(v);
        return new ColumnBatch([key, value], 1);
    }

    /// <summary>Commits the given changes as one record.</summary>
    public static void Write(StorageEngine engine, long tableId, params (RowKind Kind, long K, string? V)[] changes)
    {
        using var builder = new AppendBuilder(engine, engine.GetTable(tableId)!);
        foreach (var (kind, k, v) in changes) builder.Add(Row(k, v), kind);
        engine.CommitAsync(builder.Finish()).GetAwaiter().GetResult();
    }

    /// <summary>The merged content of the table (batch scan), failing if a key appears twice.</summary>
    public static Dictionary<long, string?> Scan(StorageEngine engine, long tableId, IReadOnlyList<long>? endOffsets = null, IReadOnlyList<IStatsPredicate>? stats = null, int? bucket = null)
    {
        var spec = new ScanSpec { Table = engine.GetTable(tableId)!, ColumnIds = [0, 1], EndOffsets = endOffsets, StatsFilters = stats ?? [], Bucket = bucket };
        var result = new Dictionary<long, string?>();
        using var scan = TableScan.Plan(engine, spec);
        foreach (var m in scan.Morsels)
        {
            var batch = m.Read();
            for (var r = 0; r < batch.RowCount; r++)
            {
                var k = ((PrimitiveVector<long>)batch.Columns[0]).Values[r];
                Assert.True(result.TryAdd(k, (string?)batch.Columns[1].GetValue(r)), $"key {k} returned twice");
            }
        }
        return result;
    }

    /// <summary>Reads a streaming reader to the end and folds its changelog into <paramref name="into"/>.</summary>
    public static Dictionary<long, string?> Fold(StreamingReader reader, Dictionary<long, string?> into)
    {
        while (reader.TryRead() is { } batch)
        {
            for (var r = 0; r < batch.Rows.RowCount; r++)
            {
                var k = ((PrimitiveVector<long>)batch.Rows.Columns[0]).Values[r];
                if (RowKinds.IsLive(batch.KindOf(r))) into[k] = (string?)batch.Rows.Columns[1].GetValue(r);
                else into.Remove(k);
            }
        }
        return into;
    }
}
