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
        Span<byte> digits = stackalloc byte[24];
        for (var row = 0; row < userRows.RowCount; row++)
        {
            uint crc = 0xFFFFFFFF;
            foreach (var ci in _bucketIndexes) crc = UpdateWithValue(crc, userRows.Columns[ci], row, digits);
            buckets[row] = (int)((~crc) % (uint)_layout.BucketCount);
        }
    }

    /// <summary>
    /// Adds one bucket-key value to the CRC: the UTF-8 bytes of its canonical text and 0x00, or 0xFF for NULL. Strings
    /// that are valid UTF-8 (their canonical text is their bytes) and plain integers are hashed without building the
    /// text; everything else goes through <see cref="CanonicalText"/>. The result is the same either way.
    /// </summary>
    private static uint UpdateWithValue(uint crc, ColumnVector column, int row, Span<byte> digits)
    {
        if (column.IsNull(row)) return Crc32C.Update(crc, [0xFF]);
        ReadOnlySpan<byte> bytes = default;
        var fast = false;
        switch (column)
        {
            case BinaryVector b when column.Type.IsString:
                bytes = b.GetBytes(row);
                fast = System.Text.Unicode.Utf8.IsValid(bytes);
                break;
            case DictionaryVector d when column.Type.IsString:
                if (d.Dictionary.IsNull(d.Codes[row])) return Crc32C.Update(crc, [0xFF]); // as CanonicalText reads it
                bytes = d.Dictionary.GetBytes(d.Codes[row]);
                fast = System.Text.Unicode.Utf8.IsValid(bytes);
                break;
            case PrimitiveVector<long> v when column.Type.Kind is Types.TypeKind.BigInt:
                fast = v.Values[row].TryFormat(digits, out var n64, default, System.Globalization.CultureInfo.InvariantCulture);
                bytes = digits[..n64];
                break;
            case PrimitiveVector<int> v when column.Type.Kind is Types.TypeKind.Int:
                fast = v.Values[row].TryFormat(digits, out var n32, default, System.Globalization.CultureInfo.InvariantCulture);
                bytes = digits[..n32];
                break;
        }
        crc = Crc32C.Update(crc, fast ? bytes : Encoding.UTF8.GetBytes(CanonicalText.Format(column, row)!));
        return Crc32C.Update(crc, [0x00]);
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
