using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST and NTILE: one pass over the sorted positions.</summary>
public static class RankingFunctions
{
    /// <summary>The function's values for every input row (in input order). <paramref name="buckets"/> is NTILE's argument.</summary>
    public static ColumnVector Compute(WindowFunctionKind kind, WindowPartitions parts, ColumnVector? buckets, DataType type)
    {
        var n = parts.Count;
        var order = parts.Order;
        if (kind is WindowFunctionKind.PercentRank or WindowFunctionKind.CumeDist)
        {
            var d = new double[Math.Max(n, 1)];
            for (var i = 0; i < n; i++)
            {
                int ps = parts.PartitionStart[i], size = parts.PartitionEnd[i] - ps;
                d[order[i]] = kind == WindowFunctionKind.PercentRank
                    ? size <= 1 ? 0 : (double)(parts.PeerStart[i] - ps) / (size - 1)
                    : (double)(parts.PeerEnd[i] - ps) / size;
            }
            return new PrimitiveVector<double>(type, d, n);
        }
        var values = new long[Math.Max(n, 1)];
        byte[]? nulls = null;
        long dense = 0;
        for (var i = 0; i < n; i++)
        {
            var ps = parts.PartitionStart[i];
            var row = order[i];
            switch (kind)
            {
                case WindowFunctionKind.RowNumber:
                    values[row] = i - ps + 1;
                    break;
                case WindowFunctionKind.Rank:
                    values[row] = parts.PeerStart[i] - ps + 1;
                    break;
                case WindowFunctionKind.DenseRank:
                    if (i == ps) dense = 1;
                    else if (parts.PeerStart[i] == i) dense++;
                    values[row] = dense;
                    break;
                default:
                    if (buckets!.IsNull(row))
                    {
                        (nulls ??= new byte[values.Length])[row] = 1;
                        break;
                    }
                    values[row] = Ntile(BucketCount(buckets, row), i - ps, parts.PartitionEnd[i] - ps);
                    break;
            }
        }
        return new PrimitiveVector<long>(type, values, n, nulls);
    }

    private static long BucketCount(ColumnVector buckets, int row)
    {
        var b = ((PrimitiveVector<long>)buckets).Values[row];
        if (b <= 0) throw new TarnException(SqlStates.InvalidParameterValue, "argument of NTILE must be greater than zero");
        return b;
    }

    /// <summary>The 1-based bucket of the k-th (0-based) of n rows: the first n % b buckets hold one row more.</summary>
    private static long Ntile(long b, long k, long n)
    {
        var size = n / b;
        var larger = n % b;
        var boundary = larger * (size + 1);
        return k < boundary ? k / (size + 1) + 1 : (k - boundary) / size + larger + 1;
    }
}
