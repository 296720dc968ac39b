using System.Numerics;
using System.Runtime.CompilerServices;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP as DOUBLE: per group the count, mean and sum of squared deviations
/// (Welford's update, numerically stable where sum-of-squares cancels), merged with Chan et al.'s pairwise formula.
/// DECIMAL inputs are scaled to double. The sample forms are NULL for fewer than 2 values, the population forms for 0.
/// </summary>
public sealed class VarianceAccumulator<TIn>(DataType resultType, AggregateKind kind, int inputScale) : Accumulator(resultType)
    where TIn : unmanaged, INumberBase<TIn>
{
    private readonly double _scale = Math.Pow(10, inputScale);
    private long[] _counts = [];
    private double[] _means = [];
    private double[] _m2 = [];

    public override int Capacity => _counts.Length;

    public override long BytesPerGroup => 24;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _counts.Length) return;
        var size = Grow(_counts.Length, groups);
        Array.Resize(ref _counts, size);
        Array.Resize(ref _means, size);
        Array.Resize(ref _m2, size);
    }

    public override void Clear(int groups)
    {
        Array.Clear(_counts, 0, Math.Min(groups, _counts.Length));
        Array.Clear(_means, 0, Math.Min(groups, _means.Length));
        Array.Clear(_m2, 0, Math.Min(groups, _m2.Length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(int g, double x)
    {
        var n = ++_counts[g];
        var delta = x - _means[g];
        _means[g] += delta / n;
        _m2[g] += delta * (x - _means[g]);
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var values = ((PrimitiveVector<TIn>)input!).Values;
        var nulls = input.Nulls;
        var scale = _scale;
        if (rows is null)
        {
            for (var i = 0; i < n; i++)
                if (nulls is null || nulls[i] == 0) Add(groupIds[i], double.CreateTruncating(values[i]) / scale);
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (nulls is null || nulls[r] == 0) Add(groupIds[r], double.CreateTruncating(values[r]) / scale);
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (VarianceAccumulator<TIn>)other;
        for (var g = 0; g < otherGroups; g++)
        {
            var t = groupMap[g];
            var nb = o._counts[g];
            if (t < 0 || nb == 0) continue;
            var na = _counts[t];
            if (na == 0)
            {
                _counts[t] = nb;
                _means[t] = o._means[g];
                _m2[t] = o._m2[g];
                continue;
            }
            var n = na + nb;
            var delta = o._means[g] - _means[t];
            _m2[t] += o._m2[g] + delta * delta * ((double)na * nb / n);
            _means[t] += delta * nb / n;
            _counts[t] = n;
        }
    }

    public override ColumnVector Results(int start, int count)
    {
        var values = new double[Math.Max(count, 1)];
        byte[]? nulls = null;
        var sample = kind is AggregateKind.VarSamp or AggregateKind.StddevSamp;
        var root = kind is AggregateKind.StddevPop or AggregateKind.StddevSamp;
        for (var i = 0; i < count; i++)
        {
            var n = _counts[start + i];
            if (n == 0 || (sample && n == 1))
            {
                (nulls ??= new byte[Math.Max(count, 1)])[i] = 1;
                continue;
            }
            var variance = Math.Max(0, _m2[start + i]) / (sample ? n - 1 : n);
            values[i] = root ? Math.Sqrt(variance) : variance;
        }
        return new PrimitiveVector<double>(ResultType, values, count, nulls);
    }

    public override Accumulator NewEmpty() => new VarianceAccumulator<TIn>(ResultType, kind, inputScale);
}
