using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>Row-at-a-time GROUP BY for the property tests: groups compared by value (NULLs equal).</summary>
internal static class ReferenceAggregation
{
    private sealed class KeyComparer : IEqualityComparer<object?[]>
    {
        public bool Equals(object?[]? x, object?[]? y) => TestData.SameRow(x!, y!);

        public int GetHashCode(object?[] obj)
        {
            var h = new HashCode();
            foreach (var v in obj) h.Add(v is byte[] ? 1 : v);
            return h.ToHashCode();
        }
    }

    public static List<object?[]> Aggregate(IReadOnlyList<object?[]> rows, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates)
    {
        var groups = new Dictionary<object?[], List<object?[]>>(new KeyComparer());
        var order = new List<object?[]>();
        foreach (var row in rows)
        {
            var key = keys.Select(k => ReferenceEvaluator.Eval(k, row)).ToArray();
            if (!groups.TryGetValue(key, out var members))
            {
                groups[key] = members = [];
                order.Add(key);
            }
            members.Add(row);
        }
        if (keys.Count == 0 && order.Count == 0)
        {
            order.Add([]);
            groups[[]] = [];
        }
        var result = new List<object?[]>();
        foreach (var key in order)
        {
            var members = groups[key];
            result.Add([.. key, .. aggregates.Select(a => Compute(a, members))]);
        }
        return result;
    }

    private static object? Compute(AggregateCall a, List<object?[]> rows)
    {
        var selected = a.Filter is null ? rows : rows.Where(r => ReferenceEvaluator.Eval(a.Filter, r) is true).ToList();
        if (a.Kind == AggregateKind.CountStar) return (long)selected.Count;
        var values = selected.Select(r => ReferenceEvaluator.Eval(a.Argument!, r)).Where(v => v is not null).ToList();
        if (a.Distinct)
        {
            var distinct = new List<object?>();
            foreach (var v in values)
                if (!distinct.Any(d => TestData.Same(d, v))) distinct.Add(v);
            values = distinct;
        }
        var t = a.Argument!.Type;
        switch (a.Kind)
        {
            case AggregateKind.Count:
                return (long)values.Count;
            case AggregateKind.Min:
            case AggregateKind.Max:
                if (values.Count == 0) return null;
                var best = values[0]!;
                foreach (var v in values.Skip(1))
                {
                    var c = CompareValues(v!, best);
                    if (a.Kind == AggregateKind.Min ? c < 0 : c > 0) best = v!;
                }
                return best;
            case AggregateKind.Sum:
            case AggregateKind.Avg:
                if (values.Count == 0) return null;
                if (t.Kind == TypeKind.Double)
                {
                    var s = values.Sum(v => (double)v!);
                    return a.Kind == AggregateKind.Sum ? (object)s : s / values.Count;
                }
                if (t.Kind == TypeKind.Decimal)
                {
                    var s = values.Sum(v => (decimal)(long)v! / (decimal)Math.Pow(10, t.Scale));
                    var rs = a.Type.Scale;
                    var v = a.Kind == AggregateKind.Sum ? s : Math.Round(s / values.Count, rs, MidpointRounding.AwayFromZero);
                    return (Int128)(v * (decimal)Math.Pow(10, rs));
                }
                var sum = values.Sum(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
                return a.Kind == AggregateKind.Sum ? (object)sum : (double)sum / values.Count;
            default:
                throw new NotSupportedException(a.Kind.ToString());
        }
    }

    private static int CompareValues(object a, object b) => a switch
    {
        string s => string.CompareOrdinal(s, (string)b),
        bool x => x.CompareTo((bool)b),
        int x => x.CompareTo((int)b),
        long x => x.CompareTo((long)b),
        double x => x.CompareTo((double)b),
        _ => throw new NotSupportedException(a.GetType().Name),
    };
}
