using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Statistics;

/// <summary>
/// Estimated row counts of logical plans, for join ordering and EXPLAIN. Table sizes are exact (the storage version's
/// row count); predicates use the classic System R selectivities (equality 1/10, range 1/3, LIKE 1/4...), and an
/// equi-join is assumed to follow a foreign key to the side whose base table is smaller, so each row of the larger
/// side keeps its match with the probability the smaller side's filters leave (|L ⋈ R| = |L| · |R| / base(R)).
/// Plans are small, so nothing is cached.
/// </summary>
public static class CardinalityEstimator
{
    private const double EqualitySelectivity = 0.1;
    private const double RangeSelectivity = 1.0 / 3;
    private const double LikeSelectivity = 0.25;
    private const double DefaultSelectivity = 0.5;

    public static double Estimate(LogicalPlan plan) => plan switch
    {
        LogicalScan s => Math.Max(1, s.Storage.TotalRows),
        LogicalValues v => v.Rows.Count,
        LogicalFilter f => Math.Max(1, Estimate(f.Input) * Selectivity(f.Predicate)),
        LogicalProject p => Estimate(p.Input),
        LogicalSort s => Estimate(s.Input),
        LogicalLimit l => l.Limit is { } n ? Math.Min(Estimate(l.Input), n) : Math.Max(0, Estimate(l.Input) - l.Offset),
        LogicalAggregate a => a.Keys.Count == 0 ? 1 : Math.Max(1, Math.Min(Estimate(a.Input), Math.Pow(Estimate(a.Input), 0.75))),
        LogicalUnionAll u => u.Children.Sum(Estimate),
        LogicalJoin j => Join(j),
        _ => plan.Inputs.Count == 0 ? 1 : plan.Inputs.Max(Estimate),
    };

    /// <summary>The row count of the largest table under <paramref name="plan"/> before any filter: the "key space" of a join side.</summary>
    public static double BaseRows(LogicalPlan plan) => plan switch
    {
        LogicalScan s => Math.Max(1, s.Storage.TotalRows),
        LogicalValues v => Math.Max(1, v.Rows.Count),
        LogicalAggregate a => Estimate(a),
        _ => plan.Inputs.Count == 0 ? 1 : plan.Inputs.Max(BaseRows),
    };

    /// <summary>Estimated rows of an inner equi-join of two inputs with the given estimates and base sizes.</summary>
    /// <remarks>The side with the smaller base table is taken as the key side: each row of the other side finds its one match
    /// with the probability that the key side's filters leave.</remarks>
    public static double EquiJoin(double left, double leftBase, double right, double rightBase) =>
        Math.Max(1, rightBase <= leftBase ? left * Math.Min(1, right / Math.Max(1, rightBase)) : right * Math.Min(1, left / Math.Max(1, leftBase)));

    private static double Join(LogicalJoin j)
    {
        double l = Estimate(j.Left), r = Estimate(j.Right);
        var equi = j.Condition is not null && HasEquality(j.Condition, j.Left.Output.Count);
        var inner = j.Condition is null ? l * r : equi ? EquiJoin(l, BaseRows(j.Left), r, BaseRows(j.Right)) : l * r * Selectivity(j.Condition);
        return j.Kind switch
        {
            LogicalJoinKind.Semi => Math.Max(1, l * (equi ? Math.Min(1, r / BaseRows(j.Right)) : DefaultSelectivity)),
            LogicalJoinKind.Anti => Math.Max(1, l * (equi ? Math.Max(0.1, 1 - r / BaseRows(j.Right)) : DefaultSelectivity)),
            LogicalJoinKind.Left => Math.Max(inner, l),
            LogicalJoinKind.Right => Math.Max(inner, r),
            LogicalJoinKind.Full => Math.Max(inner, l + r),
            _ => Math.Max(1, inner),
        };
    }

    /// <summary>True when a conjunct compares a left expression with a right one for equality (a hash-join key).</summary>
    public static bool HasEquality(BoundExpression condition, int leftCount)
    {
        foreach (var c in Optimizer.ExpressionRewriter.Conjuncts(condition))
        {
            if (c is not BoundComparison { Operator: ComparisonOperator.Equal } eq) continue;
            var l = eq.Left.ReferencedColumns();
            var r = eq.Right.ReferencedColumns();
            if (l.Count == 0 || r.Count == 0) continue;
            if ((l.All(i => i < leftCount) && r.All(i => i >= leftCount)) || (l.All(i => i >= leftCount) && r.All(i => i < leftCount))) return true;
        }
        return false;
    }

    /// <summary>The fraction of rows a predicate keeps.</summary>
    public static double Selectivity(BoundExpression predicate) => predicate switch
    {
        BoundLiteral l => l.Value is true ? 1 : 0,
        BoundLogical { Operator: LogicalOperator.And } and => and.Operands.Aggregate(1.0, (s, o) => s * Selectivity(o)),
        BoundLogical or => Math.Min(1, 1 - or.Operands.Aggregate(1.0, (s, o) => s * (1 - Selectivity(o)))),
        BoundNot n => 1 - Selectivity(n.Operand),
        BoundComparison { Operator: ComparisonOperator.Equal } => EqualitySelectivity,
        BoundComparison { Operator: ComparisonOperator.NotEqual } => 1 - EqualitySelectivity,
        BoundComparison => RangeSelectivity,
        BoundInList i => i.Negated ? 1 - Math.Min(1, i.Values.Count * EqualitySelectivity) : Math.Min(1, i.Values.Count * EqualitySelectivity),
        BoundIsNull n => n.Negated ? 0.9 : 0.1,
        BoundLike l => l.Negated ? 1 - LikeSelectivity : LikeSelectivity,
        _ => DefaultSelectivity,
    };
}
