using System.Globalization;
using System.Text;
using Tarn.Planner.Expressions;
using Tarn.Storage.Scans;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Execution.Scan;

/// <summary>
/// Turns filter conjuncts over a scan's columns into statistics and partition predicates the storage layer uses
/// to skip row groups and partitions. Only shapes whose meaning is certain are translated (column compared with a
/// literal, IN lists, IS NULL); anything else simply does not prune. Pruning never decides what matches: the filter
/// above the scan still runs.
/// </summary>
public static class PruningPredicates
{
    public static (IReadOnlyList<IStatsPredicate> Stats, IPartitionPredicate? Partitions) Build(
        IReadOnlyList<BoundExpression> conjuncts, IReadOnlyList<int> columnIds, IReadOnlyList<DataType> columnTypes, TableLayout layout)
    {
        var stats = new List<IStatsPredicate>();
        var partitionConditions = new List<(int PartitionIndex, Func<object?, bool> MayMatch)>();
        var partitionIds = layout.PartitionColumnIds;
        foreach (var c in conjuncts)
        {
            if (!TryRange(c, out var column, out var range)) continue;
            var id = columnIds[column];
            var type = columnTypes[column];
            stats.Add(new RangeStatsPredicate(id, type, range));
            var p = IndexOf(partitionIds, id);
            if (p >= 0) partitionConditions.Add((p, v => range.MayContain(v, type)));
        }
        IPartitionPredicate? partitions = null;
        if (partitionConditions.Count > 0)
        {
            var types = layout.PartitionColumnIndexes.Select(i => layout.Schema[i].Type).ToArray();
            partitions = new PartitionPredicate(partitionConditions, types);
        }
        return (stats, partitions);
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <summary>Allowed values of one column: a union of intervals of literals, plus whether NULL is allowed.</summary>
    internal sealed record ValueRange(List<(object? Low, bool LowInclusive, object? High, bool HighInclusive)> Intervals, bool OnlyNull)
    {
        public bool MayContain(object? value, DataType type)
        {
            if (value is null) return OnlyNull;
            if (OnlyNull) return false;
            foreach (var (low, li, high, hi) in Intervals)
            {
                if (low is not null && (Compare(value, low) is var cl && (cl < 0 || (cl == 0 && !li)))) continue;
                if (high is not null && (Compare(value, high) is var ch && (ch > 0 || (ch == 0 && !hi)))) continue;
                return true;
            }
            return false;
        }
    }

    internal static int Compare(object a, object b) => (a, b) switch
    {
        (Int128 x, Int128 y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        _ => 0,
    };

    /// <summary>Recognizes <c>col op literal</c>, <c>literal op col</c>, <c>col IN (literals)</c>, <c>col IS NULL</c>.</summary>
    private static bool TryRange(BoundExpression e, out int column, out ValueRange range)
    {
        column = -1;
        range = null!;
        switch (e)
        {
            case BoundComparison cmp when Unwrap(cmp.Left) is BoundColumnRef col && cmp.Right is BoundLiteral lit:
                return FromComparison(cmp.Operator, col, lit, out column, out range);
            case BoundComparison cmp when Unwrap(cmp.Right) is BoundColumnRef col && cmp.Left is BoundLiteral lit:
                return FromComparison(Flip(cmp.Operator), col, lit, out column, out range);
            case BoundInList { Negated: false } inList when Unwrap(inList.Operand) is BoundColumnRef col && inList.Values.All(v => v is BoundLiteral):
            {
                var intervals = new List<(object?, bool, object?, bool)>();
                foreach (BoundLiteral v in inList.Values)
                {
                    var key = Normalize(v, col.Type);
                    if (key is null) continue; // NULL in an IN list never matches
                    intervals.Add((key, true, key, true));
                }
                column = col.Index;
                range = new ValueRange(intervals, false);
                return true;
            }
            case BoundIsNull { Negated: false } isNull when isNull.Operand is BoundColumnRef col:
                column = col.Index;
                range = new ValueRange([], true);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Implicit widening casts of a column keep its order, so they can be looked through.</summary>
    private static BoundExpression Unwrap(BoundExpression e) =>
        e is BoundCast { Mode: CastMode.Implicit } c && c.Operand is BoundColumnRef col && Widening(col.Type, c.Type) ? col : e;

    private static bool Widening(DataType from, DataType to) =>
        (from.IsIntegral && (to.IsIntegral || to.IsApproximate)) || (from.IsApproximate && to.IsApproximate)
        || (from.Kind == TypeKind.Date && to.IsTimestamp && false);

    private static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };

    private static bool FromComparison(ComparisonOperator op, BoundColumnRef col, BoundLiteral lit, out int column, out ValueRange range)
    {
        column = col.Index;
        range = null!;
        var key = Normalize(lit, col.Type);
        if (key is null) return false;
        range = op switch
        {
            ComparisonOperator.Equal or ComparisonOperator.IsNotDistinctFrom => new ValueRange([(key, true, key, true)], false),
            ComparisonOperator.Less => new ValueRange([(null, false, key, false)], false),
            ComparisonOperator.LessOrEqual => new ValueRange([(null, false, key, true)], false),
            ComparisonOperator.Greater => new ValueRange([(key, false, null, false)], false),
            ComparisonOperator.GreaterOrEqual => new ValueRange([(key, true, null, false)], false),
            _ => null!,
        };
        return range is not null;
    }

    /// <summary>
    /// The literal in the column's comparison domain: Int128 for integer-like physical types (same unit and scale as the
    /// column), double for floats, UTF-8 bytes for strings. Null when the literal cannot be compared exactly.
    /// </summary>
    private static object? Normalize(BoundLiteral lit, DataType columnType)
    {
        var v = lit.Value;
        if (v is null) return null;
        var lt = lit.Type;
        if (columnType.IsString) return v is string s ? Encoding.UTF8.GetBytes(s) : null;
        if (columnType.IsApproximate)
        {
            return v switch
            {
                double d => d, float f => (double)f, int i => (double)i, long l => (double)l, sbyte b => (double)b, short sh => (double)sh,
                _ => null,
            };
        }
        if (columnType.Kind == TypeKind.Decimal)
        {
            if (lt.Kind == TypeKind.Decimal)
            {
                Int128 unscaled = v is long l ? l : v is Int128 x ? x : 0;
                if (lt.Scale > columnType.Scale) return null; // would need rounding
                return unscaled * Pow10(columnType.Scale - lt.Scale);
            }
            if (lt.IsIntegral) return ToInt128(v) * Pow10(columnType.Scale);
            return null;
        }
        if (columnType.IsTimestamp && lt.IsTimestamp && lt.Kind == columnType.Kind)
        {
            var units = (long)v;
            var from = lt.TimeUnitsPerSecond;
            var to = columnType.TimeUnitsPerSecond;
            if (from == to) return (Int128)units;
            return from < to ? (Int128)units * (to / from) : (units % (from / to) == 0 ? (Int128)(units / (from / to)) : null);
        }
        if (columnType.Kind == TypeKind.Date && lt.Kind == TypeKind.Date) return (Int128)(int)v;
        if ((columnType.IsIntegral || columnType.Kind == TypeKind.Boolean) && (lt.IsIntegral || lt.Kind == TypeKind.Boolean)) return ToInt128(v);
        return null;
    }

    private static Int128 ToInt128(object v) => v switch
    {
        bool b => b ? 1 : 0,
        sbyte x => x,
        short x => x,
        int x => x,
        long x => x,
        Int128 x => x,
        _ => 0,
    };

    private static Int128 Pow10(int n)
    {
        Int128 r = 1;
        for (var i = 0; i < n; i++) r *= 10;
        return r;
    }

    /// <summary>
    /// The stats predicates equivalent to <paramref name="conjuncts"/>, or null unless every conjunct translates exactly
    /// (then a row group whose statistics satisfy them all needs no filter).
    /// </summary>
    public static IReadOnlyList<IStatsPredicate>? Equivalent(IReadOnlyList<BoundExpression> conjuncts, IReadOnlyList<int> columnIds, IReadOnlyList<DataType> columnTypes, TableLayout layout)
    {
        var (stats, _) = Build(conjuncts, columnIds, columnTypes, layout);
        return stats.Count == conjuncts.Count && stats.Count > 0 ? stats : null;
    }

    private sealed class RangeStatsPredicate(int columnId, DataType type, ValueRange range) : IStatsPredicate
    {
        public int ColumnId => columnId;

        /// <summary>Integer-like columns only (exact statistics): no NULLs and [min, max] inside one interval.</summary>
        public bool MustMatch(ColumnStats? stats, long rowCount)
        {
            if (stats is null || range.OnlyNull || type.IsString || type.IsApproximate) return false;
            if (stats.NullCount != 0 || !stats.HasMinMax) return false;
            object min = stats.MinInt, max = stats.MaxInt;
            foreach (var (low, li, high, hi) in range.Intervals)
            {
                var lowOk = low is null || (Compare(min, low) is var c1 && (c1 > 0 || (c1 == 0 && li)));
                var highOk = high is null || (Compare(max, high) is var c2 && (c2 < 0 || (c2 == 0 && hi)));
                if (lowOk && highOk) return true;
            }
            return false;
        }

        public bool MayMatch(ColumnStats? stats, long rowCount)
        {
            if (stats is null) return range.OnlyNull; // column absent from the file: all NULL
            if (range.OnlyNull) return stats.NullCount > 0;
            if (stats.NullCount >= rowCount) return false;
            object? min, max;
            if (type.IsString)
            {
                min = stats.MinBytes;
                max = stats.MaxBytes;
            }
            else if (type.IsApproximate)
            {
                if (!stats.HasMinMax || stats.HasNaN) return true;
                min = stats.MinFloat;
                max = stats.MaxFloat;
            }
            else
            {
                if (!stats.HasMinMax) return true;
                min = stats.MinInt;
                max = stats.MaxInt;
            }
            foreach (var (low, li, high, hi) in range.Intervals)
            {
                // The interval [low, high] overlaps [min, max]?
                if (low is not null && max is not null && (Compare(max, low) is var c1 && (c1 < 0 || (c1 == 0 && !li)))) continue;
                if (high is not null && min is not null && (Compare(min, high) is var c2 && (c2 > 0 || (c2 == 0 && !hi)))) continue;
                return true;
            }
            return false;
        }
    }

    private sealed class PartitionPredicate(List<(int PartitionIndex, Func<object?, bool> MayMatch)> conditions, DataType[] types) : IPartitionPredicate
    {
        public bool MayMatch(PartitionKey partition)
        {
            foreach (var (index, mayMatch) in conditions)
            {
                if (index >= partition.Values.Length) return true;
                var text = partition.Values[index];
                var value = text is null ? null : ParseCanonical(text, types[index]);
                if (text is not null && value is null) return true; // cannot read it back: do not prune
                if (!mayMatch(value)) return false;
            }
            return true;
        }

        /// <summary>Reads canonical partition text (storage-spec/01) back into the comparison domain.</summary>
        private static object? ParseCanonical(string text, DataType type)
        {
            if (type.IsString) return Encoding.UTF8.GetBytes(text);
            if (type.IsApproximate) return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            if (type.Kind == TypeKind.Boolean) return text == "true" ? (Int128)1 : text == "false" ? (Int128)0 : null;
            if (type.IsIntegral) return Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null;
            if (type.Kind == TypeKind.Date) return Planner.Binding.LiteralParser.TryParseDate(text, out var days) ? (Int128)days : null;
            if (type.IsTimestamp) return Planner.Binding.LiteralParser.TryParseTimestamp(text, type, out var units) ? (Int128)units : null;
            if (type.Kind == TypeKind.Decimal) return Planner.Binding.LiteralParser.TryParseDecimal(text, type.Scale, out var u) ? u : null;
            return null;
        }
    }
}
