using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// <c>(a.x = 1 AND b.y = 2) OR (a.x = 3 AND b.y = 4)</c> over a join of a and b also implies <c>a.x = 1 OR a.x = 3</c>
/// and <c>b.y = 2 OR b.y = 4</c>: each of those only reads one relation, so it can be pushed to that relation's scan
/// and shrinks the join's inputs (TPC-H q7's two nations, q19's parts and line items). The disjunction itself stays.
/// A derived conjunct is added only when every branch of the OR constrains the relation; it is implied whenever the
/// disjunction is TRUE, which is all a WHERE clause or an inner join condition keeps.
/// </summary>
public sealed class DeriveFiltersFromDisjunctions : IOptimizerRule
{
    public string Name => "derive_filters_from_disjunctions";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        switch (plan)
        {
            case LogicalFilter filter:
            {
                var derived = Derive(filter.Predicate, Relations(filter.Input, 0));
                return derived is null ? plan : filter with { Predicate = derived };
            }
            case LogicalJoin { Kind: LogicalJoinKind.Inner, Condition: { } condition } join:
            {
                var derived = Derive(condition, Relations(join, 0));
                return derived is null ? plan : join with { Condition = derived };
            }
            default:
                return plan;
        }
    }

    /// <summary>The column ranges [start, end) of the relations an inner/cross join tree combines, left to right.</summary>
    private static List<(int Start, int End)> Relations(LogicalPlan plan, int offset)
    {
        if (plan is LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross } join)
        {
            var left = Relations(join.Left, offset);
            left.AddRange(Relations(join.Right, offset + join.Left.Output.Count));
            return left;
        }
        return [(offset, offset + plan.Output.Count)];
    }

    /// <summary>The predicate with the derived conjuncts appended, or null when nothing can be derived.</summary>
    private static BoundExpression? Derive(BoundExpression predicate, List<(int Start, int End)> relations)
    {
        if (relations.Count < 2) return null;
        var conjuncts = ExpressionRewriter.Conjuncts(predicate);
        var added = new List<BoundExpression>();
        foreach (var c in conjuncts)
        {
            if (c is not BoundLogical { Operator: LogicalOperator.Or } or || c.IsVolatile) continue;
            var branches = or.Operands.Select(ExpressionRewriter.Conjuncts).ToList();
            foreach (var (start, end) in relations)
            {
                var columns = c.ReferencedColumns();
                if (columns.All(i => i >= start && i < end)) continue; // the whole OR already belongs to this relation
                var perBranch = new List<BoundExpression>(branches.Count);
                foreach (var branch in branches)
                {
                    var mine = branch.Where(x => x.ReferencedColumns() is { Count: > 0 } cols && cols.All(i => i >= start && i < end)).ToList();
                    if (mine.Count == 0) break;
                    perBranch.Add(BoundExpressions.And(mine));
                }
                if (perBranch.Count != branches.Count) continue;
                var implied = BoundExpressions.Or(perBranch);
                if (!conjuncts.Contains(implied) && !added.Contains(implied)) added.Add(implied);
            }
        }
        return added.Count == 0 ? null : BoundExpressions.And([.. conjuncts, .. added]);
    }
}
