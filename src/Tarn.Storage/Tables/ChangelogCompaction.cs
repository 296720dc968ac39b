using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// What compaction of a primary-key table keeps (storage-spec DB-052): per key and per interval between consecutive
/// boundaries (the end offsets of retained snapshots and the committed positions of registered consumers), the net
/// change of the interval: the key's value before it (the first row, when that is a retraction carrying the previous
/// value) and after it (the last row, when that is live). A reader at any boundary therefore still receives a
/// changelog that a retracting consumer can apply (every <c>-U</c>/<c>-D</c> carries the value it saw), and every
/// retained snapshot still finds the newest version of each key below its end offset.
/// </summary>
public static class ChangelogCompaction
{
    /// <summary>
    /// The end offsets of the retained snapshots and the committed positions of the table's consumers in
    /// <paramref name="bucket"/>, ascending, without duplicates.
    /// </summary>
    public static long[] Boundaries(TableVersion table, int bucket)
    {
        var result = new List<long>(table.Snapshots.Count + table.Consumers.Count);
        foreach (var s in table.Snapshots) result.Add(s.EndOffsets[bucket]);
        foreach (var (_, positions) in table.Consumers)
            if (bucket < positions.Length) result.Add(positions[bucket]);
        result.Sort();
        var unique = 0;
        for (var i = 0; i < result.Count; i++)
            if (unique == 0 || result[unique - 1] != result[i]) result[unique++] = result[i];
        result.RemoveRange(unique, result.Count - unique);
        return [.. result];
    }

    /// <summary>
    /// Filters stored batches (absolute <c>$offset</c> first, then <c>$kind</c>, then user columns), given in offset
    /// order, down to the net change of each key in each interval. The kinds of kept rows are rewritten so the pair
    /// reads as one change: <c>-U</c>/<c>+U</c> when the key existed before and after, <c>-D</c> when it was removed,
    /// <c>+I</c> when it is new; a key inserted and removed within the interval leaves nothing.
    /// </summary>
    public static IReadOnlyList<ColumnBatch> KeepNeeded(IReadOnlyList<ColumnBatch> ordered, TableLayout layout, long[] boundaries)
    {
        var keys = new KeyIds(layout);
        var pk = layout.PrimaryKeyColumnIndexes;
        var perBatch = new int[ordered.Count][];
        var intervals = new int[ordered.Count][];
        // first/last[key, interval] = (batch, row); intervals increase with offset, so the last seen is the newest.
        var first = new Dictionary<(int Key, int Interval), (int Batch, int Row)>();
        var last = new Dictionary<(int Key, int Interval), (int Batch, int Row)>();
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
                first.TryAdd((ids[r], iv[r]), (b, r));
                last[(ids[r], iv[r])] = (b, r);
            }
            perBatch[b] = ids;
            intervals[b] = iv;
        }
        var result = new List<ColumnBatch>(ordered.Count);
        for (var b = 0; b < ordered.Count; b++)
        {
            var batch = ordered[b];
            var kinds = ((PrimitiveVector<sbyte>)batch.Columns[1]).Values;
            var kept = new List<Kept>(batch.RowCount);
            for (var r = 0; r < batch.RowCount; r++)
            {
                var group = (perBatch[b][r], intervals[b][r]);
                var f = first[group];
                var l = last[group];
                var hadBefore = !RowKinds.IsLive(KindAt(ordered, f));
                var hasAfter = RowKinds.IsLive(KindAt(ordered, l));
                var isFirst = f == (b, r);
                var isLast = l == (b, r);
                if (isFirst && isLast) kept.Add(new Kept(r, (b, r), kinds[r]));
                else if (isFirst && hadBefore) kept.Add(new Kept(r, f, (sbyte)(hasAfter ? RowKind.UpdateBefore : RowKind.Delete)));
                else if (isLast && hasAfter) kept.Add(new Kept(r, l, (sbyte)(hadBefore ? RowKind.UpdateAfter : RowKind.Insert)));
                // New in the interval and gone by its end: the first value and its removal, which reads as nothing to
                // a retracting reader and as a tombstone to one that folds a key it held from an upsert written as +I.
                else if (isFirst && !hadBefore && !hasAfter) kept.Add(new Kept(r, f, (sbyte)RowKind.Insert));
                else if (isLast && !hadBefore && !hasAfter) kept.Add(new Kept(r, f, (sbyte)RowKind.Delete));
            }
            if (kept.Count > 0) result.Add(Build(ordered, b, kept));
        }
        return result;
    }

    /// <summary>A kept row: its position (offset) in the batch, where its values come from, and its kind.</summary>
    private readonly record struct Kept(int Row, (int Batch, int Row) Values, sbyte Kind);

    private static ColumnBatch Build(IReadOnlyList<ColumnBatch> ordered, int b, List<Kept> kept)
    {
        var batch = ordered[b];
        var sameValues = true;
        var selection = new int[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            selection[i] = kept[i].Row;
            sameValues &= kept[i].Values == (b, kept[i].Row);
        }
        ColumnVector[] cols;
        if (sameValues)
        {
            cols = (kept.Count == batch.RowCount ? batch : batch.Gather(selection)).Columns.ToArray();
        }
        else
        {
            cols = new ColumnVector[batch.ColumnCount];
            cols[0] = batch.Columns[0].Gather(selection);
            for (var c = 2; c < cols.Length; c++)
            {
                var vector = ColumnVector.Create(batch.Columns[c].Type, kept.Count);
                foreach (var k in kept) vector.AppendFrom(ordered[k.Values.Batch].Columns[c], k.Values.Row);
                cols[c] = vector;
            }
        }
        var kinds = new PrimitiveVector<sbyte>(SystemColumns.Kind.Type, kept.Count);
        foreach (var k in kept) kinds.Append(k.Kind);
        cols[1] = kinds;
        return new ColumnBatch(cols, kept.Count);
    }

    private static sbyte KindAt(IReadOnlyList<ColumnBatch> ordered, (int Batch, int Row) at) =>
        ((PrimitiveVector<sbyte>)ordered[at.Batch].Columns[1]).Values[at.Row];

    /// <summary>Number of boundaries at or below <paramref name="offset"/>.</summary>
    private static int IntervalOf(long[] boundaries, long offset)
    {
        var i = Array.BinarySearch(boundaries, offset);
        return i >= 0 ? i + 1 : ~i;
    }
}
