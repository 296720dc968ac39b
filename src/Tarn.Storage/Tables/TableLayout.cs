using Tarn.Storage.Format;
using Tarn.Types;

namespace Tarn.Storage.Tables;

/// <summary>
/// What the storage layer needs to know about a table to store it: its columns, how rows are split into
/// directory partitions and buckets, and its primary key. Names, options and comments live in the catalog.
/// </summary>
public sealed record TableLayout(
    long TableId,
    Schema Schema,
    IReadOnlyList<int> PartitionColumnIds,
    int BucketCount,
    IReadOnlyList<int> BucketKeyColumnIds,
    IReadOnlyList<int> PrimaryKeyColumnIds)
{
    public const int MaxBuckets = 1024;

    /// <summary>Positions in <see cref="Schema"/> of the partition columns, in partition order.</summary>
    public int[] PartitionColumnIndexes => IndexesOf(PartitionColumnIds);
    public int[] BucketKeyColumnIndexes => IndexesOf(BucketKeyColumnIds);

    public bool IsPartitioned => PartitionColumnIds.Count > 0;

    /// <summary>A table with a primary key is an upsert table: its rows are a changelog merged by key on read.</summary>
    public bool HasPrimaryKey => PrimaryKeyColumnIds.Count > 0;

    public int[] PrimaryKeyColumnIndexes => IndexesOf(PrimaryKeyColumnIds);

    /// <summary>
    /// True when every partition column is part of the primary key, so all versions of a key share a partition and
    /// partition pruning cannot hide a newer version of a key (tables created before this rule may break it).
    /// </summary>
    public bool KeyIncludesPartitions
    {
        get
        {
            foreach (var p in PartitionColumnIds) if (!PrimaryKeyColumnIds.Contains(p)) return false;
            return true;
        }
    }

    private int[] IndexesOf(IReadOnlyList<int> ids)
    {
        var result = new int[ids.Count];
        for (var i = 0; i < ids.Count; i++) result[i] = Schema.IndexOfId(ids[i]);
        return result;
    }

    public void Write(ByteWriter w)
    {
        w.WriteVarUInt((ulong)TableId);
        SchemaCodec.WriteSchema(w, Schema);
        SchemaCodec.WriteIntList(w, PartitionColumnIds);
        w.WriteVarUInt((ulong)BucketCount);
        SchemaCodec.WriteIntList(w, BucketKeyColumnIds);
        SchemaCodec.WriteIntList(w, PrimaryKeyColumnIds);
    }

    public static TableLayout Read(ref ByteReader r)
    {
        var id = (long)r.ReadVarUInt();
        var schema = SchemaCodec.ReadSchema(ref r);
        var partitions = SchemaCodec.ReadIntList(ref r);
        var buckets = r.ReadCount(MaxBuckets);
        if (buckets < 1) ThrowHelper.Corrupt(r.Source, "table has zero buckets");
        var bucketKey = SchemaCodec.ReadIntList(ref r);
        var pk = SchemaCodec.ReadIntList(ref r);
        return new TableLayout(id, schema, partitions, buckets, bucketKey, pk);
    }
}
