using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// What compaction of a primary-key table keeps (storage-spec DB-052): per key, the newest row in each interval
/// between consecutive snapshot end offsets of the bucket. Every retained snapshot then still finds the newest version
/// of each key below its end offset, and a streaming reader at any position still receives the newest change of every
/// key changed at or after it (so folding its changelog gives the table's content). Deletions are kept as tombstones
/// for readers that saw the key before.
/// </summary>
public static class ChangelogCompaction
{
    /// <summary>The end offsets of the retained snapshots in <paramref name="bucket"/>, ascending, without duplicates.</summary>
    public static long[] Boundaries(TableVersion table, int bucket)
    {
        var result = new List<long>(table.Snapshots.Count);
        foreach (var s in table.Snapshots)
        {
            var end = s.EndOffsets[bucket];
            if (result.Count == 0 || result[^1] != end) result.Add(end);
        }
        return [.. result];
    }

    /// <summary>
    /// Filters stored batches (absolute <c>$offset</c> first, then <c>$kind</c>, then user columns), given in offset
    /// order, down to the rows still needed.
    /// </summary>
    public static IReadOnlyList<ColumnBatch> KeepNeeded(IReadOnlyList<ColumnBatch> ordered, TableLayout layout, long[] boundaries)
    {
        var keys = new KeyIds(layout);
        var pk = layout.PrimaryKeyColumnIndexes;
        var perBatch = new int[ordered.Count][];
        var intervals = new int[ordered.Count][];
        // newest[key, interval] = (batch, row) of the newest row; intervals are increasing with offset, so the last seen wins.
        var newest = new Dictionary<(int Key, int Interval), (int Batch, int Row)>();
        for (var b = 0; b < ordered.Count; b++)
        {
            var batch = ordered[b];
            var keyCols = new ColumnVector[pk.Length];
            for (var k = 0; k < pk.Length; k++) keyCols[k] = batch.Columns[pk[k] + 2];
            var ids = new int[batch.RowCount];
            keys.Assign(keyCols, ids);
            var offsets = ((PrimitiveVector<long>)batch.Columns[0]).Values;
            var iv = new int[batch.RowCount];
            for (var r = 0; r < batch.RowCount; r++)
            {
                iv[r] = IntervalOf(boundaries, offsets[r]);
                newest[(ids[r], iv[r])] = (b, r);
            }
            perBatch[b] = ids;
            intervals[b] = iv;
        }
        var result = new List<ColumnBatch>(ordered.Count);
        for (var b = 0; b < ordered.Count; b++)
        {
            var keep = new List<int>(ordered[b].RowCount);
            for (var r = 0; r < ordered[b].RowCount; r++)
                if (newest[(perBatch[b][r], intervals[b][r])] == (b, r)) keep.Add(r);
            if (keep.Count == ordered[b].RowCount) result.Add(ordered[b]);
            else if (keep.Count > 0) result.Add(ordered[b].Gather(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keep)));
        }
        return result;
    }

    /// <summary>Number of boundaries at or below <paramref name="offset"/>.</summary>
    private static int IntervalOf(long[] boundaries, long offset)
    {
        var i = Array.BinarySearch(boundaries, offset);
        return i >= 0 ? i + 1 : ~i;
    }
}
