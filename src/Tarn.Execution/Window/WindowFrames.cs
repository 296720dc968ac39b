using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// The frame of every sorted position as a half-open range [Start, End) of sorted positions, clipped to the
/// partition (empty when Start &gt;= End). ROWS offsets count rows; RANGE CURRENT ROW means the peer group, and
/// RANGE offsets select the rows whose key is within the offset (rows with a NULL key only see their NULL peers).
/// </summary>
public static class WindowFrames
{
    public static (int[] Start, int[] End) Compute(WindowFrameSpec frame, WindowPartitions parts, ColumnVector? orderKey, bool descending)
    {
        var n = parts.Count;
        var start = new int[n];
        var end = new int[n];
        var hasRangeOffset = frame.Unit == WindowFrameUnit.Range
            && (frame.Start.Offset is not null || frame.End.Offset is not null);
        RangeKeys? keys = null;
        Func<BoundLiteral, Int128>? exact = null;
        Func<BoundLiteral, double>? approximate = null;
        int[] nonNullStart = [], nonNullEnd = [];
        if (hasRangeOffset)
        {
            var offsets = new List<BoundLiteral>();
            if (frame.Start.Offset is BoundLiteral s) offsets.Add(s);
            if (frame.End.Offset is BoundLiteral e) offsets.Add(e);
            keys = RangeKeys.Create(orderKey!, parts.Order, descending, offsets, out exact, out approximate);
            (nonNullStart, nonNullEnd) = NonNullRanges(parts, keys.Nulls);
        }
        for (var i = 0; i < n; i++)
        {
            int ps = parts.PartitionStart[i], pe = parts.PartitionEnd[i];
            int s, e;
            if (frame.Unit == WindowFrameUnit.Rows)
            {
                s = RowsBound(frame.Start, i, ps, pe, isEnd: false);
                e = RowsBound(frame.End, i, ps, pe, isEnd: true);
            }
            else
            {
                s = RangeBound(frame.Start, i, parts, keys, exact, approximate, nonNullStart, nonNullEnd, isEnd: false);
                e = RangeBound(frame.End, i, parts, keys, exact, approximate, nonNullStart, nonNullEnd, isEnd: true);
            }
            start[i] = Math.Clamp(s, ps, pe);
            end[i] = Math.Clamp(e, ps, pe);
        }
        return (start, end);
    }

    private static long Offset(WindowBound b) => (long)((BoundLiteral)b.Offset!).Value!;

    private static int RowsBound(WindowBound b, int i, int ps, int pe, bool isEnd)
    {
        var extra = isEnd ? 1 : 0;
        return b.Kind switch
        {
            WindowBoundKind.UnboundedPreceding => ps,
            WindowBoundKind.UnboundedFollowing => pe,
            WindowBoundKind.CurrentRow => i + extra,
            WindowBoundKind.Preceding => (int)Math.Max(ps, (long)i - Offset(b) + extra),
            _ => Offset(b) >= pe - i ? pe : (int)Math.Min(pe, i + Offset(b) + extra), // huge offsets must not overflow
        };
    }

    private static int RangeBound(WindowBound b, int i, WindowPartitions parts, RangeKeys? keys, Func<BoundLiteral, Int128>? exact, Func<BoundLiteral, double>? approximate, int[] nonNullStart, int[] nonNullEnd, bool isEnd)
    {
        switch (b.Kind)
        {
            case WindowBoundKind.UnboundedPreceding: return parts.PartitionStart[i];
            case WindowBoundKind.UnboundedFollowing: return parts.PartitionEnd[i];
            case WindowBoundKind.CurrentRow: return isEnd ? parts.PeerEnd[i] : parts.PeerStart[i];
        }
        if (keys!.Nulls[i]) return isEnd ? parts.PeerEnd[i] : parts.PeerStart[i];
        int lo = nonNullStart[i], hi = nonNullEnd[i];
        var literal = (BoundLiteral)b.Offset!;
        var preceding = b.Kind == WindowBoundKind.Preceding;
        if (keys.Exact is { } values)
        {
            var d = exact!(literal);
            var target = preceding ? values[i] - d : values[i] + d;
            return isEnd ? UpperBound(values, lo, hi, target) : LowerBound(values, lo, hi, target);
        }
        var doubles = keys.Approximate!;
        var dd = approximate!(literal);
        var t = preceding ? doubles[i] - dd : doubles[i] + dd;
        return isEnd ? UpperBound(doubles, lo, hi, t) : LowerBound(doubles, lo, hi, t);
    }

    /// <summary>Per position, the range of its partition's non-NULL keys (contiguous: NULLs sort first or last).</summary>
    private static (int[] Start, int[] End) NonNullRanges(WindowPartitions parts, bool[] nulls)
    {
        var n = parts.Count;
        var start = new int[n];
        var end = new int[n];
        var i = 0;
        while (i < n)
        {
            int ps = parts.PartitionStart[i], pe = parts.PartitionEnd[i];
            int lo = ps, hi = pe;
            while (lo < hi && nulls[lo]) lo++;
            while (hi > lo && nulls[hi - 1]) hi--;
            for (var k = ps; k < pe; k++)
            {
                start[k] = lo;
                end[k] = hi;
            }
            i = pe;
        }
        return (start, end);
    }

    /// <summary>The first position in [lo, hi) whose value is &gt;= target.</summary>
    private static int LowerBound<T>(T[] values, int lo, int hi, T target) where T : IComparable<T>
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid].CompareTo(target) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The first position in [lo, hi) whose value is &gt; target.</summary>
    private static int UpperBound<T>(T[] values, int lo, int hi, T target) where T : IComparable<T>
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid].CompareTo(target) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
