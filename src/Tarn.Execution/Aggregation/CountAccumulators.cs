using System.Runtime.CompilerServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>COUNT(*) (counts rows) or COUNT(x) (<c>countNulls</c> false: counts non-NULL values).</summary>
public sealed class CountAccumulator(DataType resultType, bool countNulls) : Accumulator(resultType)
{
    private long[] _counts = [];

    public override int Capacity => _counts.Length;

    public override long BytesPerGroup => 8;

    public override void EnsureGroups(int groups)
    {
        if (groups > _counts.Length) Array.Resize(ref _counts, Grow(_counts.Length, groups));
    }

    public override void Clear(int groups) => Array.Clear(_counts, 0, Math.Min(groups, _counts.Length));

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var counts = _counts;
        var nulls = countNulls ? null : input!.Nulls;
        if (rows is null)
        {
            if (nulls is null)
            {
                for (var i = 0; i < n; i++) counts[groupIds[i]]++;
            }
            else
            {
                for (var i = 0; i < n; i++) counts[groupIds[i]] += nulls[i] == 0 ? 1 : 0;
            }
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (nulls is null || nulls[r] == 0) counts[groupIds[r]]++;
        }
    }

    public override bool UpdateFewGroups(int[] groupIds, ColumnVector? input, int n, long[] rowsPerGroup, int groups)
    {
        if (!countNulls && NullMask.Any(input!.Nulls, n)) return false;
        for (var g = 0; g < groups; g++) _counts[g] += rowsPerGroup[g];
        return true;
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = ((CountAccumulator)other)._counts;
        var counts = _counts;
        for (var g = 0; g < otherGroups; g++)
        {
            var t = groupMap[g];
            if (t >= 0) counts[t] += o[g];
        }
    }

    public override ColumnVector Results(int start, int count)
    {
        var values = new long[Math.Max(count, 1)];
        Array.Copy(_counts, start, values, 0, count);
        return new PrimitiveVector<long>(ResultType, values, count);
    }

    public override Accumulator NewEmpty() => new CountAccumulator(ResultType, countNulls);
}
