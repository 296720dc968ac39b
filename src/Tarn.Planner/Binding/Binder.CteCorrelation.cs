using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A WITH query inside a subquery may read the enclosing query's columns (PostgreSQL, DuckDB). Its body binds with
    /// the enclosing scopes of the query that defines it; <paramref name="hops"/> is how many subquery levels the
    /// reference lies below that query, by which the body's outer references must reach further.
    /// </summary>
    private (Binder Binder, Scope Scope, AggregationState? Aggregation)? CteOuter(int frameIndex, out int hops)
    {
        hops = 0;
        var frame = _ctes[frameIndex];
        (Binder Binder, Scope Scope, AggregationState? Aggregation)? outer = null;
        var level = 0;
        for (var b = this; b is not null; b = b._outer?.Binder, level++)
        {
            if (b._ctes.Count <= frameIndex || !ReferenceEquals(b._ctes[frameIndex], frame)) continue;
            outer = b._outer;
            hops = level;
        }
        return outer;
    }

    private static LogicalPlan ReachFurther(LogicalPlan plan, int hops) => hops == 0 ? plan
        : PlanExpressions.Rewrite(plan, (e, level) => e is BoundOuterRef o && o.Depth > level ? o with { Depth = o.Depth + hops } : null);
}
