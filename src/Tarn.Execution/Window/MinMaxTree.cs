using Tarn.Execution.Vectors;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// MIN / MAX over frames: a bottom-up segment tree over the valid rows (in sorted order) keeping the index of the
/// best row of each node, queried in O(log n) per frame. The comparison is a struct type parameter, so the tree's
/// loops are specialized per column type rather than calling through an interface per comparison.
/// </summary>
public static class MinMaxTree
{
    /// <summary>Per input row, the input row holding the frame's MIN (MAX), or <c>order.Length</c> (NULL) for an empty frame.</summary>
    public static int[] Compute(ColumnVector values, int[] order, bool[] valid, int[] frameStart, int[] frameEnd, bool max) => values switch
    {
        PrimitiveVector<bool> v => Run(new Ordered<bool>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<sbyte> v => Run(new Ordered<sbyte>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<short> v => Run(new Ordered<short>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<int> v => Run(new Ordered<int>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<long> v => Run(new Ordered<long>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<Int128> v => Run(new Ordered<Int128>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<float> v => Run(new Floating<float>(v.Values), order, valid, frameStart, frameEnd, max),
        PrimitiveVector<double> v => Run(new Floating<double>(v.Values), order, valid, frameStart, frameEnd, max),
        _ => Run(new Bytes(new StringView(values)), order, valid, frameStart, frameEnd, max),
    };

    private interface IRowComparer
    {
        int Compare(int a, int b);
    }

    private readonly struct Ordered<T>(T[] values) : IRowComparer where T : IComparable<T>
    {
        public int Compare(int a, int b) => values[a].CompareTo(values[b]);
    }

    /// <summary>NaN above every other value, as in ORDER BY.</summary>
    private readonly struct Floating<T>(T[] values) : IRowComparer where T : System.Numerics.IFloatingPoint<T>
    {
        public int Compare(int a, int b)
        {
            T x = values[a], y = values[b];
            if (T.IsNaN(x)) return T.IsNaN(y) ? 0 : 1;
            if (T.IsNaN(y)) return -1;
            return x < y ? -1 : x > y ? 1 : 0;
        }
    }

    private readonly struct Bytes(StringView view) : IRowComparer
    {
        public int Compare(int a, int b) => view.Get(a).SequenceCompareTo(view.Get(b));
    }

    private static int[] Run<TComparer>(TComparer comparer, int[] order, bool[] valid, int[] frameStart, int[] frameEnd, bool max)
        where TComparer : struct, IRowComparer
    {
        var n = order.Length;
        // Valid rows in sorted order, and for each sorted position how many valid rows precede it.
        var before = new int[n + 1];
        var rows = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            before[i] = rows.Count;
            if (valid[i]) rows.Add(order[i]);
        }
        before[n] = rows.Count;
        var m = rows.Count;
        var tree = new int[2 * Math.Max(m, 1)];
        for (var i = 0; i < m; i++) tree[m + i] = rows[i];
        for (var i = m - 1; i >= 1; i--) tree[i] = Better(comparer, tree[2 * i], tree[2 * i + 1], max);

        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            var lo = before[frameStart[i]] + m;
            var hi = before[Math.Max(frameStart[i], frameEnd[i])] + m;
            var best = -1;
            while (lo < hi)
            {
                if ((lo & 1) == 1) best = best < 0 ? tree[lo++] : Better(comparer, best, tree[lo++], max);
                if ((hi & 1) == 1) best = best < 0 ? tree[--hi] : Better(comparer, best, tree[--hi], max);
                lo >>= 1;
                hi >>= 1;
            }
            result[order[i]] = best < 0 ? n : best;
        }
        return result;
    }

    private static int Better<TComparer>(TComparer comparer, int a, int b, bool max) where TComparer : struct, IRowComparer
    {
        var c = comparer.Compare(a, b);
        return max ? (c >= 0 ? a : b) : (c <= 0 ? a : b);
    }
}
