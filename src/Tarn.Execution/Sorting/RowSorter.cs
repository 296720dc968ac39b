using System.Buffers;
using Tarn.Vectors;

namespace Tarn.Execution.Sorting;

/// <summary>
/// Sorts row numbers by several keys: rows are ordered by the first key's 64-bit prefixes with a primitive
/// (ulong, int) sort, then each run of equal prefixes is refined by the key's next prefix level or by the next key
/// (most-significant-digit first). NULLs are placed first or last per key.
/// </summary>
public static class RowSorter
{
    public static int[] Sort(IReadOnlyList<ColumnVector> keys, IReadOnlyList<bool> descending, IReadOnlyList<bool> nullsFirst, int count)
    {
        var perm = new int[count];
        for (var i = 0; i < count; i++) perm[i] = i;
        var columns = new SortColumn[keys.Count];
        for (var k = 0; k < columns.Length; k++) columns[k] = SortColumn.Create(keys[k], descending[k]);
        SortRange(perm, columns, nullsFirst, 0, 0);
        return perm;
    }

    private static void SortRange(Span<int> rows, SortColumn[] keys, IReadOnlyList<bool> nullsFirst, int k, int level)
    {
        // A range that stays one run moves to the next level or key in this loop rather than by recursion, so long
        // equal string prefixes cannot exhaust the stack.
        while (rows.Length > 1 && k < keys.Length)
        {
            var key = keys[k];
            if (level == 0 && key.Nulls is { } nulls)
            {
                var nullCount = Partition(rows, nulls, nullsFirst[k]);
                var nullPart = nullsFirst[k] ? rows[..nullCount] : rows[^nullCount..];
                SortRange(nullPart, keys, nullsFirst, k + 1, 0);
                rows = nullsFirst[k] ? rows[nullCount..] : rows[..^nullCount];
                if (rows.Length <= 1) return;
            }
            var rented = ArrayPool<ulong>.Shared.Rent(rows.Length);
            try
            {
                var prefixes = rented.AsSpan(0, rows.Length);
                key.Encode(rows, level, prefixes);
                prefixes.Sort(rows);
                if (prefixes[0] == prefixes[^1])
                {
                    if (key.HasMoreLevels(prefixes[0], level)) level++;
                    else
                    {
                        k++;
                        level = 0;
                    }
                    continue;
                }
                var i = 0;
                while (i < rows.Length)
                {
                    var j = i + 1;
                    while (j < rows.Length && prefixes[j] == prefixes[i]) j++;
                    if (j - i > 1)
                    {
                        if (key.HasMoreLevels(prefixes[i], level)) SortRange(rows[i..j], keys, nullsFirst, k, level + 1);
                        else SortRange(rows[i..j], keys, nullsFirst, k + 1, 0);
                    }
                    i = j;
                }
                return;
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Moves NULL rows to the front (or back); returns how many there are.</summary>
    private static int Partition(Span<int> rows, byte[] nulls, bool toFront)
    {
        var buffer = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            int a = 0, b = rows.Length;
            var tmp = buffer.AsSpan(0, rows.Length);
            foreach (var r in rows)
            {
                var isNull = nulls[r] != 0;
                if (isNull == toFront) tmp[a++] = r;
                else tmp[--b] = r;
            }
            tmp.CopyTo(rows);
            return toFront ? a : rows.Length - b;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }
}
