using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Support;

/// <summary>Helpers to create tables, append rows and read them back through the real engine.</summary>
public static class TestTables
{
    public static readonly Schema Orders = new([
        new Column(0, "id", DataType.BigInt.WithNullable(false)),
        new Column(1, "status", DataType.String),
        new Column(2, "day", DataType.String),
    ]);

    public static StorageOptions QuietOptions => new() { BackgroundWork = false };

    public static TableLayout Create(StorageEngine engine, Schema? schema = null, int buckets = 1, int[]? partitionIds = null, int[]? bucketKey = null)
    {
        var layout = new TableLayout(engine.AllocateTableId(), schema ?? Orders, partitionIds ?? [], buckets, bucketKey ?? [], []);
        engine.CommitAsync([new Tarn.Storage.Log.CreateTableOp(layout)]).GetAwaiter().GetResult();
        return layout;
    }

    public static ColumnBatch Rows(long firstId, int count, string status = "new", Func<long, string>? day = null)
    {
        var id = new PrimitiveVector<long>(DataType.BigInt.WithNullable(false), count);
        var st = new BinaryVector(DataType.String, count);
        var d = new BinaryVector(DataType.String, count);
        for (var i = 0; i < count; i++)
        {
            id.Append(firstId + i);
            st.Append(status);
            d.Append(day?.Invoke(firstId + i) ?? "2024-01-01");
        }
        return new ColumnBatch([id, st, d], count);
    }

    public static CommitResult Append(StorageEngine engine, long tableId, params ColumnBatch[] batches)
    {
        var table = engine.GetTable(tableId)!;
        using var builder = new AppendBuilder(engine, table);
        foreach (var b in batches) builder.Add(b);
        return engine.CommitAsync(builder.Finish()).GetAwaiter().GetResult();
    }

    /// <summary>All (id, offset, bucket) of a table version, in bucket/offset order.</summary>
    public static List<(long Id, long Offset, int Bucket)> ReadIds(StorageEngine engine, TableVersion table, IReadOnlyList<long>? endOffsets = null,
        IPartitionPredicate? partitions = null, IReadOnlyList<IStatsPredicate>? stats = null)
    {
        var spec = new ScanSpec
        {
            Table = table,
            ColumnIds = [0],
            IncludeOffsetAndBucket = true,
            EndOffsets = endOffsets,
            PartitionFilter = partitions,
            StatsFilters = stats ?? [],
        };
        var result = new List<(long, long, int)>();
        using var scan = TableScan.Plan(engine, spec);
        foreach (var m in scan.Morsels)
        {
            var batch = m.Read();
            var ids = (PrimitiveVector<long>)batch.Columns[0];
            var offs = (PrimitiveVector<long>)batch.Columns[1];
            var bks = (PrimitiveVector<int>)batch.Columns[2];
            for (var i = 0; i < batch.RowCount; i++) result.Add((ids.Values[i], offs.Values[i], bks.Values[i]));
        }
        result.Sort((a, b) => a.Item3 != b.Item3 ? a.Item3.CompareTo(b.Item3) : a.Item2.CompareTo(b.Item2));
        return result;
    }
}
