using System.Text;
using Tarn.Checksums;
using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// Decides each row's bucket and partition. Bucket = CRC-32C of the canonical text of the bucket-key values
/// (each followed by a 0x00 byte, NULL as a lone 0xFF byte) modulo the bucket count (storage-spec/01-database-layout.md,
/// "Buckets"); tables without a bucket key put each appended batch into the next bucket in turn.
/// </summary>
public sealed class RowRouter
{
    private readonly TableLayout _layout;
    private readonly int[] _partitionIndexes;
    private readonly int[] _bucketIndexes;
    private int _nextRoundRobin;

    public RowRouter(TableLayout layout)
    {
        _layout = layout;
        _partitionIndexes = layout.PartitionColumnIndexes;
        _bucketIndexes = layout.BucketKeyColumnIndexes;
    }

    /// <summary>Fills <paramref name="buckets"/> with each row's bucket.</summary>
    public void RouteBuckets(ColumnBatch userRows, Span<int> buckets)
    {
        if (_layout.BucketCount == 1)
        {
            buckets.Clear();
            return;
        }
        if (_bucketIndexes.Length == 0)
        {
            buckets.Fill(_nextRoundRobin);
            _nextRoundRobin = (_nextRoundRobin + 1) % _layout.BucketCount;
            return;
        }
        var bytes = new List<byte>(64);
        for (var row = 0; row < userRows.RowCount; row++)
        {
            uint crc = 0xFFFFFFFF;
            foreach (var ci in _bucketIndexes)
            {
                var text = CanonicalText.Format(userRows.Columns[ci], row);
                if (text is null) crc = Crc32C.Update(crc, [0xFF]);
                else
                {
                    crc = Crc32C.Update(crc, Encoding.UTF8.GetBytes(text));
                    crc = Crc32C.Update(crc, [0x00]);
                }
            }
            buckets[row] = (int)((~crc) % (uint)_layout.BucketCount);
        }
    }

    /// <summary>
    /// The bucket of a row whose bucket-key columns have these canonical texts (null for NULL), by the same rule as
    /// <see cref="RouteBuckets"/>: lets a point lookup read one bucket.
    /// </summary>
    public static int BucketOf(IReadOnlyList<string?> keyTexts, int bucketCount)
    {
        if (bucketCount == 1) return 0;
        uint crc = 0xFFFFFFFF;
        foreach (var text in keyTexts)
        {
            if (text is null) crc = Crc32C.Update(crc, [0xFF]);
            else
            {
                crc = Crc32C.Update(crc, Encoding.UTF8.GetBytes(text));
                crc = Crc32C.Update(crc, [0x00]);
            }
        }
        return (int)((~crc) % (uint)bucketCount);
    }

    /// <summary>
    /// Fills <paramref name="partitionIds"/> with an index into <paramref name="keys"/> (which it extends) for each row.
    /// Consecutive rows usually share a partition, so the key is reused while the values repeat.
    /// </summary>
    public void RoutePartitions(ColumnBatch userRows, Span<int> partitionIds, List<PartitionKey> keys, Dictionary<PartitionKey, int> index)
    {
        if (_partitionIndexes.Length == 0)
        {
            if (keys.Count == 0) { keys.Add(PartitionKey.None); index[PartitionKey.None] = 0; }
            partitionIds.Clear();
            return;
        }
        string?[]? previous = null;
        var previousId = -1;
        var values = new string?[_partitionIndexes.Length];
        for (var row = 0; row < userRows.RowCount; row++)
        {
            for (var i = 0; i < values.Length; i++) values[i] = CanonicalText.Format(userRows.Columns[_partitionIndexes[i]], row);
            if (previous is not null && values.AsSpan().SequenceEqual(previous))
            {
                partitionIds[row] = previousId;
                continue;
            }
            var key = new PartitionKey((string?[])values.Clone());
            if (!index.TryGetValue(key, out var id))
            {
                id = keys.Count;
                keys.Add(key);
                index[key] = id;
            }
            partitionIds[row] = id;
            previous = key.Values;
            previousId = id;
        }
    }
}
