using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Plans with parameter slots, for a plan cache: a statement is bound once with its first parameter values (as
/// literals, exactly as an uncached execution binds it), the literals that came from parameters are turned back into
/// <see cref="BoundParameter"/> slots, and each later execution substitutes its own values. A plan is only reusable
/// when the binder used every parameter as an opaque value: if it consumed a value (LIMIT ?, a string parameter
/// parsed as a DATE, time travel AS OF ?, a LISTAGG separator), the literal is not in the plan any more and
/// <see cref="TryAbstract"/> refuses. Plans with nodes whose expressions the rewriter does not reach (windows,
/// grouping-set expansion, connector scans) are refused too.
/// </summary>
public static class ParameterizedPlans
{
    /// <summary>The SQL type a parameter value binds as (part of a plan cache key: a plan is reused only for values of the same types).</summary>
    public static DataType TypeOf(object? value) => Binder.ParameterLiteral(value, default).Type;

    /// <summary>
    /// <paramref name="plan"/> with the recorded parameter literals replaced by slots, or null when the plan is not
    /// reusable for other values of the same types.
    /// </summary>
    public static LogicalPlan? TryAbstract(LogicalPlan plan, IReadOnlyList<(BoundLiteral Literal, int Index)> literals)
    {
        if (!OnlyRewritableNodes(plan)) return null;
        var slots = new Dictionary<BoundLiteral, int>(ReferenceEqualityComparer.Instance);
        foreach (var (literal, index) in literals)
        {
            if (index < 0) return null; // named parameters are not cached
            slots[literal] = index;
        }
        var found = new HashSet<BoundLiteral>(ReferenceEqualityComparer.Instance);
        var result = PlanExpressions.Rewrite(plan, (e, _) =>
        {
            if (e is not BoundLiteral l || !slots.TryGetValue(l, out var index)) return null;
            found.Add(l);
            return new BoundParameter(index, l.Type);
        });
        return found.Count == slots.Count ? result : null;
    }

    /// <summary>The plan with every slot replaced by the literal its value binds as (the types were checked by the cache key).</summary>
    public static LogicalPlan Substitute(LogicalPlan plan, IReadOnlyList<object?> values) =>
        PlanExpressions.Rewrite(plan, (e, _) => e is BoundParameter p ? Binder.ParameterLiteral(values[p.Index], default) : null);

    private static bool OnlyRewritableNodes(LogicalPlan plan)
    {
        if (plan is not (LogicalScan or LogicalFilter or LogicalProject or LogicalAggregate or LogicalJoin or LogicalValues
            or LogicalSort or LogicalLimit or LogicalUnionAll or LogicalApply or LogicalReplicateRows)) return false;
        foreach (var input in plan.Inputs)
            if (!OnlyRewritableNodes(input)) return false;
        return true;
    }
}
