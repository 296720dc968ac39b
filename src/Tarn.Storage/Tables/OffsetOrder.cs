using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>Puts stored rows (column 0 = absolute <c>$offset</c>) into increasing offset order.</summary>
public static class OffsetOrder
{
    /// <summary>
    /// Returns the rows of all <paramref name="batches"/> in increasing offset order. Batches that are already in
    /// order with respect to each other are returned unchanged; otherwise rows are gathered by a sorted permutation.
    /// </summary>
    public static IReadOnlyList<ColumnBatch> Merge(IReadOnlyList<ColumnBatch> batches)
    {
        long last = long.MinValue;
        var ordered = true;
        foreach (var b in batches)
        {
            var offsets = ((PrimitiveVector<long>)b.Columns[0]).Values;
            for (var i = 0; i < b.RowCount && ordered; i++)
            {
                if (offsets[i] <= last) ordered = false;
                last = offsets[i];
            }
            if (!ordered) break;
        }
        if (ordered) return batches;

        var total = 0;
        foreach (var b in batches) total += b.RowCount;
        var keys = new long[total];
        var origin = new (int Batch, int Row)[total];
        var k = 0;
        for (var bi = 0; bi < batches.Count; bi++)
        {
            var offsets = ((PrimitiveVector<long>)batches[bi].Columns[0]).Values;
            for (var i = 0; i < batches[bi].RowCount; i++)
            {
                keys[k] = offsets[i];
                origin[k++] = (bi, i);
            }
        }
        Array.Sort(keys, origin);
        var columns = new ColumnVector[batches[0].ColumnCount];
        for (var c = 0; c < columns.Length; c++)
        {
            var v = ColumnVector.Create(batches[0].Columns[c].Type, total);
            var sources = new ColumnVector[batches.Count];
            for (var bi = 0; bi < batches.Count; bi++)
                sources[bi] = batches[bi].Columns[c] is DictionaryVector d ? d.Flatten() : batches[bi].Columns[c];
            foreach (var (bi, row) in origin) v.AppendFrom(sources[bi], row);
            columns[c] = v;
        }
        return [new ColumnBatch(columns, total)];
    }
}
