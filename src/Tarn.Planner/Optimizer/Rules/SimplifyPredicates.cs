using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Folds constant truth values in filters and join conditions: TRUE conjuncts disappear, a filter left with none is
/// removed, and a filter that is FALSE or NULL for every row becomes an empty relation, so nothing under it is read.
/// </summary>
public sealed class SimplifyPredicates : IOptimizerRule
{
    public string Name => "simplify_predicates";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        switch (plan)
        {
            case LogicalFilter filter:
            {
                var simplified = Simplify(filter.Predicate);
                if (simplified is null) return filter.Input;
                if (IsNeverTrue(simplified)) return new LogicalValues([], filter.Output);
                return ReferenceEquals(simplified, filter.Predicate) ? filter : filter with { Predicate = simplified };
            }
            case LogicalJoin { Condition: { } condition } join:
            {
                var simplified = Simplify(condition);
                if (ReferenceEquals(simplified, condition)) return join;
                if (simplified is null && join.Kind == LogicalJoinKind.Inner) return join with { Condition = null, Kind = LogicalJoinKind.Cross };
                return join with { Condition = simplified ?? BoundLiteral.Of(true) };
            }
            default:
                return plan;
        }
    }

    /// <summary>The predicate without TRUE conjuncts (null when nothing is left); FALSE when a conjunct is FALSE/NULL.</summary>
    private static BoundExpression? Simplify(BoundExpression predicate)
    {
        var conjuncts = ExpressionRewriter.Conjuncts(predicate);
        var kept = new List<BoundExpression>(conjuncts.Count);
        foreach (var c in conjuncts)
        {
            if (c is BoundLiteral literal)
            {
                if (literal.Value is true) continue;
                return BoundLiteral.Of(false); // FALSE or NULL: no row passes
            }
            kept.Add(c);
        }
        if (kept.Count == conjuncts.Count) return predicate;
        return kept.Count == 0 ? null : BoundExpressions.And(kept);
    }

    private static bool IsNeverTrue(BoundExpression e) => e is BoundLiteral l && l.Value is not true;
}
