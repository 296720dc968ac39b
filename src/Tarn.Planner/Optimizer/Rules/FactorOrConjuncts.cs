using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// <c>(A AND B) OR (A AND C)</c> → <c>A AND (B OR C)</c> in filter predicates: a conjunct shared by every branch of
/// an OR can then be pushed into a join as its key (TPC-H q19 repeats <c>p_partkey = l_partkey</c> in each branch;
/// without this the join is a nested loop over the cross product). Conjuncts are compared structurally (bound expressions are records).
/// </summary>
public sealed class FactorOrConjuncts : IOptimizerRule
{
    public string Name => "factor_or_conjuncts";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is LogicalFilter filter)
        {
            var factored = Factor(filter.Predicate);
            if (!ReferenceEquals(factored, filter.Predicate)) return filter with { Predicate = factored };
        }
        return plan;
    }

    private static BoundExpression Factor(BoundExpression e)
    {
        if (e is BoundLogical { Operator: LogicalOperator.And } and)
        {
            var operands = and.Operands.Select(Factor).ToList();
            return operands.SequenceEqual(and.Operands) ? e : BoundExpressions.And(operands);
        }
        if (e is not BoundLogical { Operator: LogicalOperator.Or } or) return e;
        var branches = or.Operands.Select(ExpressionRewriter.Conjuncts).ToList();
        var common = new List<BoundExpression>();
        foreach (var candidate in branches[0])
        {
            if (common.Contains(candidate)) continue;
            if (branches.Skip(1).All(b => b.Contains(candidate))) common.Add(candidate);
        }
        if (common.Count == 0) return e;
        var rests = new List<BoundExpression>();
        foreach (var b in branches)
        {
            var rest = b.Where(x => !common.Contains(x)).ToList();
            if (rest.Count == 0) return BoundExpressions.And(common); // one branch is just the common part: the OR is implied
            rests.Add(BoundExpressions.And(rest));
        }
        return BoundExpressions.And([.. common, BoundExpressions.Or(rests)]);
    }
}
