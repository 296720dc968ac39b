using Tarn.Execution.Sorting;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// COUNT / SUM / AVG (DISTINCT x) over any frame, in O(n log n): a value counts in the frame [l, r) at its first
/// occurrence there, i.e. at the position j in [l, r) whose previous occurrence of the same value in the partition
/// lies before l. Sweeping l upwards and adding each position once its previous occurrence is below l, a Fenwick
/// tree over positions answers every frame's count and sum.
/// </summary>
public static class DistinctFrameAggregates
{
    public static ColumnVector Compute(AggregateCall call, WindowPartitions parts, int[] frameStart, int[] frameEnd, ColumnVector argument, bool[] valid)
    {
        var n = parts.Count;
        var order = parts.Order;
        var previous = PreviousOccurrences(parts, argument, valid);

        // Positions by their previous occurrence (-1 first), frames by their start.
        var byPrevious = Buckets(n + 1, n, j => valid[j] ? previous[j] + 1 : -1);
        var byStart = Buckets(n, n, i => frameStart[i] < frameEnd[i] ? frameStart[i] : -1);

        var approximate = argument is PrimitiveVector<double> or PrimitiveVector<float>;
        var countTree = new long[n + 1];
        var exactTree = approximate ? null : new Int128[n + 1];
        var doubleTree = approximate ? new double[n + 1] : null;
        var counts = new long[n];
        var exact = approximate ? null : new Int128[n];
        var doubles = approximate ? new double[n] : null;
        var added = 0;
        for (var l = 0; l < n; l++)
        {
            // Add positions whose previous occurrence is before l (previous + 1 <= l).
            for (; added < byPrevious.Keys.Length && byPrevious.Keys[added] <= l; added++)
            {
                var j = byPrevious.Items[added];
                var row = order[j];
                for (var k = j + 1; k <= n; k += k & -k)
                {
                    countTree[k]++;
                    if (exactTree is not null) exactTree[k] += ExactValue(argument, row);
                    else doubleTree![k] += DoubleValue(argument, row);
                }
            }
            for (var q = byStart.First(l); q < byStart.End(l); q++)
            {
                var i = byStart.Items[q];
                counts[i] = Prefix(countTree, frameEnd[i]) - Prefix(countTree, l);
                if (exact is not null) exact[i] = Prefix(exactTree!, frameEnd[i]) - Prefix(exactTree!, l);
                else doubles![i] = Prefix(doubleTree!, frameEnd[i]) - Prefix(doubleTree!, l);
            }
        }
        if (call.Kind == AggregateKind.Count)
        {
            var result = new long[Math.Max(n, 1)];
            for (var i = 0; i < n; i++) result[order[i]] = counts[i];
            return new PrimitiveVector<long>(call.Type, result, n);
        }
        return FrameAggregates.Format(call, argument.Type, order, counts, exact, doubles);
    }

    /// <summary>Per sorted position, the previous sorted position in its partition with an equal valid value, or -1.</summary>
    private static int[] PreviousOccurrences(WindowPartitions parts, ColumnVector argument, bool[] valid)
    {
        var n = parts.Count;
        var order = parts.Order;
        var position = new int[n];
        for (var i = 0; i < n; i++) position[order[i]] = i;
        // Rows sorted by (partition, value): each run of equal pairs holds one value's occurrences in one partition.
        var partitionOf = new int[Math.Max(n, 1)];
        for (var row = 0; row < n; row++) partitionOf[row] = parts.PartitionStart[position[row]];
        var partitionIds = new PrimitiveVector<int>(DataType.Int, partitionOf, n);
        var sorted = RowSorter.Sort([partitionIds, argument], [false, false], [true, true], n);
        var changes = new bool[n];
        AdjacentRows.MarkChanges(partitionIds, sorted, changes);
        AdjacentRows.MarkChanges(argument, sorted, changes);
        var previous = new int[n];
        Array.Fill(previous, -1);
        var run = new List<int>();
        for (var k = 0; k <= n; k++)
        {
            if (k == n || (k > 0 && changes[k]))
            {
                run.Sort();
                for (var t = 1; t < run.Count; t++) previous[run[t]] = run[t - 1];
                run.Clear();
            }
            if (k < n && valid[position[sorted[k]]]) run.Add(position[sorted[k]]);
        }
        return previous;
    }

    private static T Prefix<T>(T[] tree, int end) where T : System.Numerics.INumberBase<T>
    {
        var total = T.Zero;
        for (var k = end; k > 0; k -= k & -k) total += tree[k];
        return total;
    }

    private static Int128 ExactValue(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<sbyte> x => x.Values[row],
        PrimitiveVector<short> x => x.Values[row],
        PrimitiveVector<int> x => x.Values[row],
        PrimitiveVector<long> x => x.Values[row],
        PrimitiveVector<Int128> x => x.Values[row],
        _ => Int128.Zero, // COUNT(DISTINCT) of other types needs no sum
    };

    private static double DoubleValue(ColumnVector v, int row) => v is PrimitiveVector<double> d ? d.Values[row] : ((PrimitiveVector<float>)v).Values[row];

    /// <summary>Items 0..count-1 grouped by a key in [0, keys) (negative keys are left out), as a counting sort.</summary>
    private static Bucketed Buckets(int keys, int count, Func<int, int> key)
    {
        var starts = new int[keys + 1];
        var keyOf = new int[count];
        for (var i = 0; i < count; i++)
        {
            keyOf[i] = key(i);
            if (keyOf[i] >= 0) starts[keyOf[i] + 1]++;
        }
        for (var k = 0; k < keys; k++) starts[k + 1] += starts[k];
        var items = new int[starts[keys]];
        var sortedKeys = new int[items.Length];
        var fill = (int[])starts.Clone();
        for (var i = 0; i < count; i++)
        {
            if (keyOf[i] < 0) continue;
            var at = fill[keyOf[i]]++;
            items[at] = i;
            sortedKeys[at] = keyOf[i];
        }
        return new Bucketed(items, sortedKeys, starts);
    }

    private readonly record struct Bucketed(int[] Items, int[] Keys, int[] Starts)
    {
        public int First(int key) => Starts[key];
        public int End(int key) => Starts[key + 1];
    }
}
