using System.Numerics;
using System.Runtime.CompilerServices;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// SUM and AVG: a running sum (long for integers — overflow raises 22003 —, double for FLOAT/DOUBLE, Int128 for
/// DECIMAL) and a count of non-NULL inputs (a group without any gives NULL). AVG divides at the end: as DOUBLE, or
/// for DECIMAL(p,s) as DECIMAL(38, max(6,s)) rounded half up.
/// </summary>
public sealed class SumAccumulator<TIn, TSum>(DataType resultType, bool average, int inputScale) : Accumulator(resultType)
    where TIn : unmanaged, INumberBase<TIn> where TSum : unmanaged, INumber<TSum>
{
    private TSum[] _sums = [];
    private long[] _counts = [];

    public override int Capacity => _sums.Length;

    public override long BytesPerGroup => System.Runtime.CompilerServices.Unsafe.SizeOf<TSum>() + 8;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _sums.Length) return;
        var size = Grow(_sums.Length, groups);
        Array.Resize(ref _sums, size);
        Array.Resize(ref _counts, size);
    }

    public override void Clear(int groups)
    {
        Array.Clear(_sums, 0, Math.Min(groups, _sums.Length));
        Array.Clear(_counts, 0, Math.Min(groups, _counts.Length));
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var values = ((PrimitiveVector<TIn>)input!).Values;
        var nulls = input.Nulls;
        var sums = _sums;
        var counts = _counts;
        try
        {
            if (rows is null && nulls is null)
            {
                for (var i = 0; i < n; i++)
                {
                    var g = groupIds[i];
                    sums[g] = checked(sums[g] + TSum.CreateTruncating(values[i]));
                    counts[g]++;
                }
                return;
            }
            if (rows is null)
            {
                for (var i = 0; i < n; i++)
                {
                    if (nulls![i] != 0) continue;
                    var g = groupIds[i];
                    sums[g] = checked(sums[g] + TSum.CreateTruncating(values[i]));
                    counts[g]++;
                }
                return;
            }
            for (var k = 0; k < rowCount; k++)
            {
                var r = rows[k];
                if (nulls is not null && nulls[r] != 0) continue;
                var g = groupIds[r];
                sums[g] = checked(sums[g] + TSum.CreateTruncating(values[r]));
                counts[g]++;
            }
        }
        catch (OverflowException)
        {
            throw Overflow();
        }
    }

    /// <summary>Sums into four interleaved partial arrays so consecutive rows of the same group do not wait on each
    /// other's store; the row counts come from the caller's histogram.</summary>
    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool UpdateFewGroups(int[] groupIds, ColumnVector? input, int n, long[] rowsPerGroup, int groups)
    {
        if (groups > 256 || NullMask.Any(input!.Nulls, n)) return false;
        var values = ((PrimitiveVector<TIn>)input).Values;
        if (groups == 1) return UpdateOneGroup(values.AsSpan(0, n), rowsPerGroup[0]);
        Span<TSum> partial = stackalloc TSum[4 * groups];
        partial.Clear();
        var p1 = groups;
        var p2 = 2 * groups;
        var p3 = 3 * groups;
        try
        {
            var i = 0;
            for (; i + 4 <= n; i += 4)
            {
                partial[groupIds[i]] = checked(partial[groupIds[i]] + TSum.CreateTruncating(values[i]));
                partial[p1 + groupIds[i + 1]] = checked(partial[p1 + groupIds[i + 1]] + TSum.CreateTruncating(values[i + 1]));
                partial[p2 + groupIds[i + 2]] = checked(partial[p2 + groupIds[i + 2]] + TSum.CreateTruncating(values[i + 2]));
                partial[p3 + groupIds[i + 3]] = checked(partial[p3 + groupIds[i + 3]] + TSum.CreateTruncating(values[i + 3]));
            }
            for (; i < n; i++) partial[groupIds[i]] = checked(partial[groupIds[i]] + TSum.CreateTruncating(values[i]));
            for (var g = 0; g < groups; g++)
            {
                _sums[g] = checked(_sums[g] + partial[g] + partial[p1 + g] + partial[p2 + g] + partial[p3 + g]);
                _counts[g] += rowsPerGroup[g];
            }
        }
        catch (OverflowException)
        {
            throw Overflow();
        }
        return true;
    }

    /// <summary>All rows into group 0 (an aggregate without GROUP BY): DOUBLE sums run on SIMD lanes, others on four
    /// independent running sums.</summary>
    private bool UpdateOneGroup(ReadOnlySpan<TIn> values, long rows)
    {
        TSum total;
        if (typeof(TIn) == typeof(double) && typeof(TSum) == typeof(double))
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<TIn, double>(values);
            total = TSum.CreateTruncating(SumDoubles(d));
        }
        else
        {
            TSum a = TSum.Zero, b = TSum.Zero, c = TSum.Zero, e = TSum.Zero;
            try
            {
                var i = 0;
                for (; i + 4 <= values.Length; i += 4)
                {
                    a = checked(a + TSum.CreateTruncating(values[i]));
                    b = checked(b + TSum.CreateTruncating(values[i + 1]));
                    c = checked(c + TSum.CreateTruncating(values[i + 2]));
                    e = checked(e + TSum.CreateTruncating(values[i + 3]));
                }
                for (; i < values.Length; i++) a = checked(a + TSum.CreateTruncating(values[i]));
                total = checked(a + b + c + e);
            }
            catch (OverflowException)
            {
                throw Overflow();
            }
        }
        try
        {
            _sums[0] = checked(_sums[0] + total);
        }
        catch (OverflowException)
        {
            throw Overflow();
        }
        _counts[0] += rows;
        return true;
    }

    private static double SumDoubles(ReadOnlySpan<double> values)
    {
        var lanes = Vector<double>.Count;
        var acc0 = Vector<double>.Zero;
        var acc1 = Vector<double>.Zero;
        var i = 0;
        for (; i + 2 * lanes <= values.Length; i += 2 * lanes)
        {
            acc0 += new Vector<double>(values[i..]);
            acc1 += new Vector<double>(values[(i + lanes)..]);
        }
        var sum = Vector.Sum(acc0 + acc1);
        for (; i < values.Length; i++) sum += values[i];
        return sum;
    }

    private TarnException Overflow() => new(SqlStates.NumericValueOutOfRange,
        $"{(average ? "AVG" : "SUM")} out of range for type {ResultType.WithNullable(true).ToSql()}");

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (SumAccumulator<TIn, TSum>)other;
        try
        {
            for (var g = 0; g < otherGroups; g++)
            {
                var t = groupMap[g];
                if (t < 0) continue;
                _sums[t] = checked(_sums[t] + o._sums[g]);
                _counts[t] += o._counts[g];
            }
        }
        catch (OverflowException)
        {
            throw Overflow();
        }
    }

    public override ColumnVector Results(int start, int count)
    {
        byte[]? nulls = null;
        for (var i = 0; i < count; i++)
            if (_counts[start + i] == 0) (nulls ??= new byte[Math.Max(count, 1)])[i] = 1;
        var n = Math.Max(count, 1);
        var t = ResultType;
        try
        {
            switch (t.Physical)
            {
                case PhysicalType.Float64:
                    var d = new double[n];
                    for (var i = 0; i < count; i++)
                    {
                        var c = _counts[start + i];
                        if (c == 0) continue;
                        var sum = double.CreateTruncating(_sums[start + i]);
                        if (average && typeof(TSum) == typeof(Int128)) sum = DecimalMath.ToDouble(Int128.CreateTruncating(_sums[start + i]), inputScale);
                        d[i] = average ? sum / c : sum;
                    }
                    return new PrimitiveVector<double>(t, d, count, nulls);
                case PhysicalType.Int128:
                    var w = new Int128[n];
                    for (var i = 0; i < count; i++)
                    {
                        var c = _counts[start + i];
                        if (c == 0) continue;
                        var sum = Int128.CreateTruncating(_sums[start + i]);
                        var v = average ? DecimalMath.DivideRoundHalfUp(DecimalMath.Rescale(sum, inputScale, t.Scale), c) : sum;
                        if (!DecimalMath.Fits(v, t.Precision)) throw Overflow();
                        w[i] = v;
                    }
                    return new PrimitiveVector<Int128>(t, w, count, nulls);
                case PhysicalType.Int32:
                    var x = new int[n];
                    for (var i = 0; i < count; i++) if (_counts[start + i] != 0) x[i] = int.CreateChecked(_sums[start + i]);
                    return new PrimitiveVector<int>(t, x, count, nulls);
                default:
                    var l = new long[n];
                    for (var i = 0; i < count; i++) if (_counts[start + i] != 0) l[i] = long.CreateChecked(_sums[start + i]);
                    return new PrimitiveVector<long>(t, l, count, nulls);
            }
        }
        catch (OverflowException)
        {
            throw Overflow();
        }
    }

    public override Accumulator NewEmpty() => new SumAccumulator<TIn, TSum>(ResultType, average, inputScale);
}
