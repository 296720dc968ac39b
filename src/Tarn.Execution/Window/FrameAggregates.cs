using Tarn.Execution.Text;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// COUNT, SUM and AVG over arbitrary frames in O(1) per row from prefix sums restarted at each partition (a running
/// frame therefore adds left to right exactly as a plain aggregate would); MIN and MAX through
/// <see cref="MinMaxTree"/>. Rows whose argument is NULL or whose FILTER is not TRUE are skipped.
/// </summary>
public static class FrameAggregates
{
    public static ColumnVector Compute(AggregateCall call, WindowPartitions parts, int[] frameStart, int[] frameEnd, ColumnVector? argument, ColumnVector? filter)
    {
        var n = parts.Count;
        var order = parts.Order;
        var valid = new bool[n];
        var filterValues = (filter as PrimitiveVector<bool>)?.Values;
        for (var i = 0; i < n; i++)
        {
            var row = order[i];
            valid[i] = (argument is null || !argument.IsNull(row)) && (filter is null || (!filter.IsNull(row) && filterValues![row]));
        }
        switch (call.Kind)
        {
            case AggregateKind.Min or AggregateKind.Max:
                var picks = MinMaxTree.Compute(argument!, order, valid, frameStart, frameEnd, call.Kind == AggregateKind.Max);
                return ValueFunctions.Pick(argument!, null, picks, call.Type);
            case AggregateKind.Count or AggregateKind.CountStar:
            {
                var counts = RunningCounts(valid, parts);
                var result = new long[Math.Max(n, 1)];
                for (var i = 0; i < n; i++) result[order[i]] = FrameTotal(counts, parts, frameStart[i], frameEnd[i]);
                return new PrimitiveVector<long>(call.Type, result, n);
            }
            default:
                return SumOrAverage(call, parts, frameStart, frameEnd, argument!, valid);
        }
    }

    /// <summary>Per sorted position, how many valid rows there are from its partition's start through it.</summary>
    private static long[] RunningCounts(bool[] valid, WindowPartitions parts)
    {
        var counts = new long[valid.Length];
        for (var i = 0; i < valid.Length; i++)
            counts[i] = (i == parts.PartitionStart[i] ? 0 : counts[i - 1]) + (valid[i] ? 1 : 0);
        return counts;
    }

    /// <summary>The total of the running values over [start, end): running[end-1] minus running[start-1] within the partition.</summary>
    private static T FrameTotal<T>(T[] running, WindowPartitions parts, int start, int end) where T : System.Numerics.INumberBase<T>
    {
        if (start >= end) return T.Zero;
        var total = running[end - 1];
        return start > parts.PartitionStart[start] ? total - running[start - 1] : total;
    }

    private static ColumnVector SumOrAverage(AggregateCall call, WindowPartitions parts, int[] frameStart, int[] frameEnd, ColumnVector argument, bool[] valid)
    {
        var n = parts.Count;
        var order = parts.Order;
        var type = call.Type;
        var average = call.Kind == AggregateKind.Avg;
        var inputScale = argument.Type.Kind == TypeKind.Decimal ? argument.Type.Scale : 0;
        var counts = RunningCounts(valid, parts);
        var size = Math.Max(n, 1);
        byte[]? nulls = null;
        if (argument is PrimitiveVector<float> or PrimitiveVector<double>)
        {
            var values = argument is PrimitiveVector<double> d ? SortedValues(d.Values, order, valid) : SortedValues(((PrimitiveVector<float>)argument).Values, order, valid);
            var running = new double[n];
            for (var i = 0; i < n; i++) running[i] = (i == parts.PartitionStart[i] ? 0 : running[i - 1]) + values[i];
            // Frames that do not start at the partition start would subtract two running sums, which loses
            // small values next to large ones (1e20 + 1 - 1e20 = 0): those are summed from a tree instead.
            var sliding = SlidingSums(values, parts, frameStart, frameEnd);
            var result = new double[size];
            for (var i = 0; i < n; i++)
            {
                var row = order[i];
                var count = FrameTotal(counts, parts, frameStart[i], frameEnd[i]);
                if (count == 0)
                {
                    (nulls ??= new byte[size])[row] = 1;
                    continue;
                }
                var sum = sliding is null || frameStart[i] == parts.PartitionStart[i] ? FrameTotal(running, parts, frameStart[i], frameEnd[i]) : sliding[i];
                result[row] = average ? sum / count : sum;
            }
            return new PrimitiveVector<double>(type, result, n, nulls);
        }

        // Exact inputs: 128-bit running sums (wrapping for DECIMAL(38) inputs; a frame's difference is still exact
        // whenever its own total fits).
        var exact = argument switch
        {
            PrimitiveVector<sbyte> x => RunningSums(x.Values, order, valid, parts),
            PrimitiveVector<short> x => RunningSums(x.Values, order, valid, parts),
            PrimitiveVector<int> x => RunningSums(x.Values, order, valid, parts),
            PrimitiveVector<long> x => RunningSums(x.Values, order, valid, parts),
            PrimitiveVector<Int128> x => RunningSums(x.Values, order, valid, parts),
            _ => throw new TarnException(SqlStates.UndefinedFunction, $"SUM/AVG of {argument.Type.ToSql()} is not supported"),
        };
        var overflow = () => new TarnException(SqlStates.NumericValueOutOfRange, $"{(average ? "AVG" : "SUM")} out of range for type {type.WithNullable(true).ToSql()}");
        switch (type.Physical)
        {
            case PhysicalType.Float64:
            {
                var result = new double[size];
                for (var i = 0; i < n; i++)
                {
                    var row = order[i];
                    var count = FrameTotal(counts, parts, frameStart[i], frameEnd[i]);
                    if (count == 0) { (nulls ??= new byte[size])[row] = 1; continue; }
                    var sum = ExactTotal(exact, parts, frameStart[i], frameEnd[i]);
                    var s = inputScale > 0 ? DecimalMath.ToDouble(sum, inputScale) : (double)sum;
                    result[row] = average ? s / count : s;
                }
                return new PrimitiveVector<double>(type, result, n, nulls);
            }
            case PhysicalType.Int128:
            {
                var result = new Int128[size];
                for (var i = 0; i < n; i++)
                {
                    var row = order[i];
                    var count = FrameTotal(counts, parts, frameStart[i], frameEnd[i]);
                    if (count == 0) { (nulls ??= new byte[size])[row] = 1; continue; }
                    var sum = ExactTotal(exact, parts, frameStart[i], frameEnd[i]);
                    var v = average ? DecimalMath.DivideRoundHalfUp(DecimalMath.Rescale(sum, inputScale, type.Scale), count) : sum;
                    if (!DecimalMath.Fits(v, type.Precision)) throw overflow();
                    result[row] = v;
                }
                return new PrimitiveVector<Int128>(type, result, n, nulls);
            }
            case PhysicalType.Int32:
            {
                var result = new int[size];
                for (var i = 0; i < n; i++)
                {
                    var row = order[i];
                    if (FrameTotal(counts, parts, frameStart[i], frameEnd[i]) == 0) { (nulls ??= new byte[size])[row] = 1; continue; }
                    var sum = ExactTotal(exact, parts, frameStart[i], frameEnd[i]);
                    if (sum > int.MaxValue || sum < int.MinValue) throw overflow();
                    result[row] = (int)sum;
                }
                return new PrimitiveVector<int>(type, result, n, nulls);
            }
            default:
            {
                var result = new long[size];
                for (var i = 0; i < n; i++)
                {
                    var row = order[i];
                    if (FrameTotal(counts, parts, frameStart[i], frameEnd[i]) == 0) { (nulls ??= new byte[size])[row] = 1; continue; }
                    var sum = ExactTotal(exact, parts, frameStart[i], frameEnd[i]);
                    if (sum > long.MaxValue || sum < long.MinValue) throw overflow();
                    result[row] = (long)sum;
                }
                return new PrimitiveVector<long>(type, result, n, nulls);
            }
        }
    }

    private static Int128 ExactTotal(Int128[] running, WindowPartitions parts, int start, int end)
    {
        if (start >= end) return Int128.Zero;
        var total = running[end - 1];
        return start > parts.PartitionStart[start] ? unchecked(total - running[start - 1]) : total;
    }

    /// <summary>
    /// For frames not starting at their partition's start: each frame's sum from a bottom-up segment tree over the
    /// values (recovered from the running sums' steps, which are exact: each step adds one value to a sum that the
    /// Null when every frame starts at its partition's start.
    /// </summary>
    private static double[]? SlidingSums(double[] values, WindowPartitions parts, int[] frameStart, int[] frameEnd)
    {
        var n = values.Length;
        var any = false;
        for (var i = 0; i < n && !any; i++) any = frameStart[i] > parts.PartitionStart[i] && frameStart[i] < frameEnd[i];
        if (!any) return null;
        var tree = new double[2 * Math.Max(n, 1)];
        values.CopyTo(tree, n);
        for (var i = n - 1; i >= 1; i--) tree[i] = tree[2 * i] + tree[2 * i + 1];
        var sums = new double[n];
        for (var i = 0; i < n; i++)
        {
            double left = 0, right = 0;
            int lo = frameStart[i] + n, hi = Math.Max(frameStart[i], frameEnd[i]) + n;
            while (lo < hi)
            {
                if ((lo & 1) == 1) left += tree[lo++];
                if ((hi & 1) == 1) right = tree[--hi] + right;
                lo >>= 1;
                hi >>= 1;
            }
            sums[i] = left + right;
        }
        return sums;
    }

    private static double[] SortedValues(double[] values, int[] order, bool[] valid)
    {
        var sorted = new double[order.Length];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = valid[i] ? values[order[i]] : 0;
        return sorted;
    }

    private static double[] SortedValues(float[] values, int[] order, bool[] valid)
    {
        var sorted = new double[order.Length];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = valid[i] ? values[order[i]] : 0;
        return sorted;
    }

    /// <summary>Per sorted position, the 128-bit sum of valid values from its partition's start through it.</summary>
    private static Int128[] RunningSums<T>(T[] values, int[] order, bool[] valid, WindowPartitions parts) where T : System.Numerics.IBinaryInteger<T>
    {
        var sums = new Int128[order.Length];
        var starts = parts.PartitionStart;
        for (var i = 0; i < sums.Length; i++)
        {
            var v = valid[i] ? Int128.CreateTruncating(values[order[i]]) : Int128.Zero;
            sums[i] = unchecked((i == starts[i] ? Int128.Zero : sums[i - 1]) + v);
        }
        return sums;
    }}
