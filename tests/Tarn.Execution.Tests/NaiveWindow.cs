using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Tests;

/// <summary>
/// Reference window semantics, one row at a time and deliberately simple (quadratic): the row's partition sorted by
/// the ORDER BY keys, frame membership decided per row from the bound definitions, then the function over the frame.
/// Only column references, literals and comparisons appear in the expressions it evaluates.
/// </summary>
internal static class NaiveWindow
{
    public static object? Evaluate(WindowFunction f, List<object?[]> rows, int current)
    {
        var partition = rows.Where(r => f.PartitionBy.All(p => Equals(ReferenceEvaluator.Eval(p, r), ReferenceEvaluator.Eval(p, rows[current])))).ToList();
        var sorted = partition.Order(Comparer<object?[]>.Create((a, b) => CompareOrder(f.OrderBy, a, b))).ToList();
        var i = sorted.IndexOf(rows[current]);
        var n = sorted.Count;
        var row = sorted[i];
        switch (f.Kind)
        {
            case WindowFunctionKind.RowNumber: return (long)(i + 1);
            case WindowFunctionKind.Rank: return 1L + sorted.Count(r => CompareOrder(f.OrderBy, r, row) < 0);
            case WindowFunctionKind.DenseRank:
                return 1L + sorted.Where(r => CompareOrder(f.OrderBy, r, row) < 0).Select(r => f.OrderBy.Select(k => ReferenceEvaluator.Eval(k.Expression, r)).ToList())
                    .DistinctBy(k => string.Join("\u0001", k.Select(TestData.Show))).Count();
            case WindowFunctionKind.PercentRank: return n <= 1 ? 0.0 : (double)sorted.Count(r => CompareOrder(f.OrderBy, r, row) < 0) / (n - 1);
            case WindowFunctionKind.CumeDist: return (double)sorted.Count(r => CompareOrder(f.OrderBy, r, row) <= 0) / n;
            case WindowFunctionKind.Ntile:
            {
                // Deal the rows into buckets: each bucket takes ceil(remaining rows / remaining buckets).
                var buckets = (long)Lit(f.Arguments[0])!;
                long bucket = 1, start = 0;
                while (true)
                {
                    var size = (n - start + (buckets - bucket)) / (buckets - bucket + 1);
                    if (i < start + size || bucket == buckets) return bucket;
                    start += size;
                    bucket++;
                }
            }
            case WindowFunctionKind.Lag or WindowFunctionKind.Lead:
            {
                var k = (long)Lit(f.Arguments[1])!;
                var j = f.Kind == WindowFunctionKind.Lag ? i - k : i + k;
                if (j >= 0 && j < n) return ReferenceEvaluator.Eval(f.Arguments[0], sorted[(int)j]);
                return f.Arguments.Count > 2 ? Lit(f.Arguments[2]) : null;
            }
        }
        var frame = Enumerable.Range(0, n).Where(j => InFrame(f, sorted, i, j)).Select(j => sorted[j]).ToList();
        switch (f.Kind)
        {
            case WindowFunctionKind.FirstValue: return frame.Count > 0 ? ReferenceEvaluator.Eval(f.Arguments[0], frame[0]) : null;
            case WindowFunctionKind.LastValue: return frame.Count > 0 ? ReferenceEvaluator.Eval(f.Arguments[0], frame[^1]) : null;
            case WindowFunctionKind.NthValue:
            {
                var nth = (int)(long)Lit(f.Arguments[1])!;
                return frame.Count >= nth ? ReferenceEvaluator.Eval(f.Arguments[0], frame[nth - 1]) : null;
            }
        }
        var call = f.Aggregate!;
        var passing = frame.Where(r => call.Filter is null || ReferenceEvaluator.Eval(call.Filter, r) is true).ToList();
        if (call.Kind == AggregateKind.CountStar) return (long)passing.Count;
        var values = passing.Select(r => ReferenceEvaluator.Eval(call.Argument!, r)).Where(v => v is not null).ToList();
        if (call.Distinct) values = values.Distinct().ToList();
        switch (call.Kind)
        {
            case AggregateKind.Count: return (long)values.Count;
            case AggregateKind.Sum when values.Count == 0: return null;
            case AggregateKind.Sum: return values[0] is double ? values.Sum(v => (double)v!) : (object)values.Sum(v => Convert.ToInt64(v));
            case AggregateKind.Avg: return values.Count == 0 ? null : values.Average(v => Convert.ToDouble(v));
            default:
                if (values.Count == 0) return null;
                var best = values[0];
                foreach (var v in values.Skip(1))
                {
                    var c = CompareValue(v!, best!);
                    if (call.Kind == AggregateKind.Min ? c < 0 : c > 0) best = v;
                }
                return best;
        }
    }

    private static object? Lit(BoundExpression e) => ((BoundLiteral)e).Value;

    private static int CompareValue(object a, object b) => a switch
    {
        string s => Math.Sign(string.CompareOrdinal(s, (string)b)),
        double x => x.CompareTo((double)b),
        int x => x.CompareTo((int)b),
        long x => x.CompareTo((long)b),
        _ => throw new NotSupportedException(a.GetType().Name),
    };

    private static int CompareOrder(IReadOnlyList<BoundSortKey> keys, object?[] a, object?[] b)
    {
        foreach (var k in keys)
        {
            var x = ReferenceEvaluator.Eval(k.Expression, a);
            var y = ReferenceEvaluator.Eval(k.Expression, b);
            if (x is null || y is null)
            {
                if (x is null && y is null) continue;
                return (x is null) == k.EffectiveNullsFirst ? -1 : 1;
            }
            var c = CompareValue(x, y);
            if (c != 0) return k.Descending ? -c : c;
        }
        return 0;
    }

    /// <summary>Whether sorted row j is in the frame of sorted row i.</summary>
    private static bool InFrame(WindowFunction f, List<object?[]> sorted, int i, int j)
    {
        var frame = f.Frame;
        if (frame.Unit == WindowFrameUnit.Rows)
        {
            bool AfterStart(WindowBound b) => b.Kind switch
            {
                WindowBoundKind.UnboundedPreceding => true,
                WindowBoundKind.CurrentRow => j >= i,
                WindowBoundKind.Preceding => j >= i - Offset(b),
                _ => j >= i + Offset(b),
            };
            bool BeforeEnd(WindowBound b) => b.Kind switch
            {
                WindowBoundKind.UnboundedFollowing => true,
                WindowBoundKind.CurrentRow => j <= i,
                WindowBoundKind.Preceding => j <= i - Offset(b),
                _ => j <= i + Offset(b),
            };
            return AfterStart(frame.Start) && BeforeEnd(frame.End);
        }
        var order = CompareOrder(f.OrderBy, sorted[j], sorted[i]);
        bool RangeAfterStart(WindowBound b) => b.Kind switch
        {
            WindowBoundKind.UnboundedPreceding => true,
            WindowBoundKind.CurrentRow => order >= 0,
            _ => Distance(f.OrderBy[0], sorted[j], sorted[i]) is { } d ? d >= (b.Kind == WindowBoundKind.Preceding ? -Offset(b) : Offset(b)) : order >= 0,
        };
        bool RangeBeforeEnd(WindowBound b) => b.Kind switch
        {
            WindowBoundKind.UnboundedFollowing => true,
            WindowBoundKind.CurrentRow => order <= 0,
            _ => Distance(f.OrderBy[0], sorted[j], sorted[i]) is { } d ? d <= (b.Kind == WindowBoundKind.Preceding ? -Offset(b) : Offset(b)) : order <= 0,
        };
        return RangeAfterStart(frame.Start) && RangeBeforeEnd(frame.End);
    }

    /// <summary>
    /// How far row j is from row i along the (directed) key: positive when j sorts after i. A NULL key of j lies
    /// beyond every value on its side; null when i's key is NULL (then offsets mean "i's peers").
    /// </summary>
    private static double? Distance(BoundSortKey key, object?[] j, object?[] i)
    {
        var vi = ReferenceEvaluator.Eval(key.Expression, i);
        if (vi is null) return null;
        var vj = ReferenceEvaluator.Eval(key.Expression, j);
        if (vj is null) return key.EffectiveNullsFirst ? double.NegativeInfinity : double.PositiveInfinity;
        var d = Convert.ToDouble(vj) - Convert.ToDouble(vi);
        return key.Descending ? -d : d;
    }

    private static long Offset(WindowBound b) => (long)((BoundLiteral)b.Offset!).Value!;
}
