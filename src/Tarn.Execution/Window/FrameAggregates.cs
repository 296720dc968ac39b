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
        if (call.Distinct && call.Kind is AggregateKind.Count or AggregateKind.Sum or AggregateKind.Avg)
            return DistinctFrameAggregates.Compute(call, parts, frameStart, frameEnd, argument!, valid);
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
        var running = RunningCounts(valid, parts);
        var counts = new long[n];
        for (var i = 0; i < n; i++) counts[i] = FrameTotal(running, parts, frameStart[i], frameEnd[i]);
        if (argument is PrimitiveVector<float> or PrimitiveVector<double>)
        {
            var values = argument is PrimitiveVector<double> d ? SortedValues(d.Values, order, valid) : SortedValues(((PrimitiveVector<float>)argument).Values, order, valid);
            var runningSums = new double[n];
            for (var i = 0; i < n; i++) runningSums[i] = (i == parts.PartitionStart[i] ? 0 : runningSums[i - 1]) + values[i];
            // Frames that do not start at the partition start would subtract two running sums, which loses
            // small values next to large ones (1e20 + 1 - 1e20 = 0): those are summed from a tree instead.
            var sums = SlidingSums(values, parts, frameStart, frameEnd) ?? new double[n];
            for (var i = 0; i < n; i++)
                if (frameStart[i] == parts.PartitionStart[i]) sums[i] = FrameTotal(runningSums, parts, frameStart[i], frameEnd[i]);
            return Format(call, argument.Type, order, counts, null, sums);
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
        var totals = new Int128[n];
        for (var i = 0; i < n; i++) totals[i] = ExactTotal(exact, parts, frameStart[i], frameEnd[i]);
        return Format(call, argument.Type, order, counts, totals, null);
    }

    /// <summary>
    /// SUM / AVG results (in input order) from each sorted position's frame count and sum: NULL for an empty frame,
    /// AVG divided as DOUBLE or, for DECIMAL, rounded half up at the result scale; 22003 when a sum does not fit.
    /// </summary>
    internal static ColumnVector Format(AggregateCall call, DataType argumentType, int[] order, long[] counts, Int128[]? exact, double[]? approximate)
    {
        var n = order.Length;
        var type = call.Type;
        var average = call.Kind == AggregateKind.Avg;
        var inputScale = argumentType.Kind == TypeKind.Decimal ? argumentType.Scale : 0;
        var size = Math.Max(n, 1);
        byte[]? nulls = null;
        for (var i = 0; i < n; i++)
            if (counts[i] == 0) (nulls ??= new byte[size])[order[i]] = 1;
        var overflow = () => new TarnException(SqlStates.NumericValueOutOfRange, $"{(average ? "AVG" : "SUM")} out of range for type {type.WithNullable(true).ToSql()}");
        switch (type.Physical)
        {
            case PhysicalType.Float64:
            {
                var result = new double[size];
                for (var i = 0; i < n; i++)
                {
                    if (counts[i] == 0) continue;
                    var s = approximate is not null ? approximate[i] : inputScale > 0 ? DecimalMath.ToDouble(exact![i], inputScale) : (double)exact![i];
                    result[order[i]] = average ? s / counts[i] : s;
                }
                return new PrimitiveVector<double>(type, result, n, nulls);
            }
            case PhysicalType.Int128:
            {
                var result = new Int128[size];
                for (var i = 0; i < n; i++)
                {
                    if (counts[i] == 0) continue;
                    var v = average ? DecimalMath.DivideRoundHalfUp(DecimalMath.Rescale(exact![i], inputScale, type.Scale), counts[i]) : exact![i];
                    if (!DecimalMath.Fits(v, type.Precision)) throw overflow();
                    result[order[i]] = v;
                }
                return new PrimitiveVector<Int128>(type, result, n, nulls);
            }
            case PhysicalType.Int32:
            {
                var result = new int[size];
                for (var i = 0; i < n; i++)
                {
                    if (counts[i] == 0) continue;
                    var sum = exact![i];
                    if (sum > int.MaxValue || sum < int.MinValue) throw overflow();
                    result[order[i]] = (int)sum;
                }
                return new PrimitiveVector<int>(type, result, n, nulls);
            }
            default:
            {
                var result = new long[size];
                for (var i = 0; i < n; i++)
                {
                    if (counts[i] == 0) continue;
                    var sum = exact![i];
                    if (sum > long.MaxValue || sum < long.MinValue) throw overflow();
                    result[order[i]] = (long)sum;
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
