namespace Tarn.Planner.Logical;

/// <summary>
/// Whether a plan evaluates a volatile expression (NEXTVAL, RAND, UUID, ...). A correlated subquery that does must
/// run once per outer row, as written: decorrelating it (or caching its result per distinct outer value) would change
/// how often the volatile expression is evaluated.
/// </summary>
public static class PlanVolatility
{
    public static bool ContainsVolatile(LogicalPlan plan)
    {
        var found = false;
        PlanExpressions.Walk(plan, (e, _) => { if (!found && e is Expressions.BoundFunctionCall && e.IsVolatile) found = true; });
        return found;
    }

    /// <summary>A correlated subquery (the right input of an apply) that evaluates a volatile expression.</summary>
    public static bool IsPerRowSubquery(LogicalPlan right) => PlanExpressions.IsCorrelated(right) && ContainsVolatile(right);
}
