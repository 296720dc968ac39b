using System.Diagnostics.CodeAnalysis;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// A Top-N (or deduplication) query as the binder plans it:
/// <c>[Project] → Filter(rn ≤ N ...) → Project* → Window[ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..)]</c>.
/// <see cref="Start"/>..<see cref="End"/> is the range of row numbers the filter keeps (1-based, inclusive).
/// <see cref="RankInOutput"/> is false when nothing above the filter reads the row number (then a row moving
/// inside the range changes nothing and only rows entering or leaving it are emitted, like Flink's Top-N without
/// the rank column). <see cref="KeepFirst"/> marks Flink's keep-first deduplication: ROW_NUMBER ordered by one
/// ascending time column, rn = 1, on an insert-only input.
/// </summary>
public sealed record RankingMatch(
    LogicalProject? OuterProject,
    LogicalFilter Filter,
    IReadOnlyList<LogicalProject> InnerProjects,
    LogicalWindow Window,
    long Start,
    long End,
    bool RankInOutput,
    bool KeepFirst)
{
    /// <summary>Keep-first deduplication never revises a row it emitted; every other ranking does.</summary>
    public ChangelogMode OutputMode => KeepFirst ? ChangelogMode.InsertOnly : ChangelogMode.All;
}

/// <summary>Recognizes <see cref="RankingMatch"/> plans (Flink's FlinkLogicalRank / deduplicate rules, simplified).</summary>
public static class RankingPattern
{
    /// <summary>
    /// Matches a filter on ROW_NUMBER (<paramref name="plan"/> is the filter, or a projection directly over it).
    /// The filter needs an upper bound on the row number (rn = n, rn &lt;= n, rn &lt; n, rn BETWEEN a AND n).
    /// </summary>
    public static bool TryMatch(LogicalPlan plan, [NotNullWhen(true)] out RankingMatch? match)
    {
        match = null;
        LogicalProject? outer = null;
        if (plan is LogicalProject { Input: LogicalFilter } p)
        {
            outer = p;
            plan = p.Input;
        }
        if (plan is not LogicalFilter filter) return false;
        var inner = new List<LogicalProject>();
        var node = filter.Input;
        while (node is LogicalProject ip)
        {
            inner.Add(ip);
            node = ip.Input;
        }
        if (node is not LogicalWindow { Functions: [{ Kind: WindowFunctionKind.RowNumber } function] } window) return false;

        // Follow the row number column up through the projections; any other use of it needs its value downstream.
        var rankNeeded = outer is null;
        var rankColumns = new HashSet<int> { window.Input.Output.Count };
        for (var i = inner.Count - 1; i >= 0; i--)
        {
            var next = new HashSet<int>();
            var expressions = inner[i].Expressions;
            for (var c = 0; c < expressions.Count; c++)
            {
                if (expressions[c] is BoundColumnRef r && rankColumns.Contains(r.Index)) next.Add(c);
                else rankNeeded |= References(expressions[c], rankColumns);
            }
            rankColumns = next;
        }

        long start = 1, end = long.MaxValue;
        foreach (var conjunct in ExpressionRewriter.Conjuncts(filter.Predicate))
        {
            if (TryRankBound(conjunct, rankColumns, ref start, ref end)) continue;
            rankNeeded |= References(conjunct, rankColumns);
        }
        if (end == long.MaxValue) return false;
        if (outer is not null)
            foreach (var e in outer.Expressions) rankNeeded |= References(e, rankColumns);

        var keepFirst = start == 1 && end == 1
            && function.OrderBy is [{ Descending: false } key] && key.Expression.Type.Kind is TypeKind.Timestamp or TypeKind.TimestampLtz or TypeKind.Date
            && ChangelogModeInference.Of(window.Input).IsInsertOnly();
        match = new RankingMatch(outer, filter, inner, window, start, end, rankNeeded, keepFirst);
        return true;
    }

    private static bool References(BoundExpression e, HashSet<int> columns)
    {
        foreach (var c in e.ReferencedColumns())
            if (columns.Contains(c)) return true;
        return false;
    }

    /// <summary>Narrows [start, end] by a conjunct <c>rn op constant</c> (either side), else returns false.</summary>
    private static bool TryRankBound(BoundExpression conjunct, HashSet<int> rankColumns, ref long start, ref long end)
    {
        if (conjunct is not BoundComparison cmp) return false;
        var op = cmp.Operator;
        long value;
        if (IsRank(cmp.Left, rankColumns) && TryInteger(cmp.Right, out value)) { }
        else if (IsRank(cmp.Right, rankColumns) && TryInteger(cmp.Left, out value)) op = BoundComparison.Flip(op);
        else return false;
        switch (op)
        {
            case ComparisonOperator.Equal or ComparisonOperator.IsNotDistinctFrom:
                start = Math.Max(start, value);
                end = Math.Min(end, value);
                return true;
            case ComparisonOperator.LessOrEqual: end = Math.Min(end, value); return true;
            case ComparisonOperator.Less: end = Math.Min(end, value - 1); return true;
            case ComparisonOperator.GreaterOrEqual: start = Math.Max(start, value); return true;
            case ComparisonOperator.Greater: start = Math.Max(start, value + 1); return true;
            default: return false;
        }
    }

    private static bool IsRank(BoundExpression e, HashSet<int> rankColumns)
    {
        while (e is BoundCast c) e = c.Operand;
        return e is BoundColumnRef r && rankColumns.Contains(r.Index);
    }

    private static bool TryInteger(BoundExpression e, out long value)
    {
        while (e is BoundCast c) e = c.Operand;
        value = 0;
        switch (e)
        {
            case BoundLiteral { Value: long l }: value = l; return l is > long.MinValue and < long.MaxValue;
            case BoundLiteral { Value: int i }: value = i; return true;
            case BoundLiteral { Value: short s }: value = s; return true;
            case BoundLiteral { Value: sbyte b }: value = b; return true;
            default: return false;
        }
    }
}
