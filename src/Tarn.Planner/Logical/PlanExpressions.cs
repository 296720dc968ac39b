using Tarn.Planner.Expressions;
using Tarn.Planner.Optimizer;

namespace Tarn.Planner.Logical;

/// <summary>
/// Walks and rewrites the expressions held by plan nodes, tracking how many <see cref="LogicalApply"/> boundaries
/// (right inputs) lie between the root and each node: the "level" that <see cref="BoundOuterRef.Depth"/> counts from.
/// </summary>
public static class PlanExpressions
{
    /// <summary>Rewrites every expression node of every plan node; <paramref name="replace"/> gets the node and its apply level.</summary>
    public static LogicalPlan Rewrite(LogicalPlan plan, Func<BoundExpression, int, BoundExpression?> replace, int level = 0)
    {
        BoundExpression R(BoundExpression e) => ExpressionRewriter.Rewrite(e, x => replace(x, level));
        AggregateCall RA(AggregateCall a) => a with { Argument = a.Argument is null ? null : R(a.Argument), Filter = a.Filter is null ? null : R(a.Filter) };
        switch (plan)
        {
            case LogicalApply apply:
                return apply with
                {
                    Left = Rewrite(apply.Left, replace, level),
                    Right = Rewrite(apply.Right, replace, level + 1),
                    Operand = apply.Operand is null ? null : R(apply.Operand),
                };
            case LogicalFilter f: return new LogicalFilter(Rewrite(f.Input, replace, level), R(f.Predicate));
            case LogicalProject p: return p with { Input = Rewrite(p.Input, replace, level), Expressions = p.Expressions.Select(R).ToList() };
            case LogicalAggregate a:
                return a with { Input = Rewrite(a.Input, replace, level), Keys = a.Keys.Select(R).ToList(), Aggregates = a.Aggregates.Select(RA).ToList() };
            case LogicalJoin j:
                return j with
                {
                    Left = Rewrite(j.Left, replace, level),
                    Right = Rewrite(j.Right, replace, level),
                    Condition = j.Condition is null ? null : R(j.Condition),
                    MarkCondition = j.MarkCondition is null ? null : R(j.MarkCondition),
                };
            case LogicalScan s: return s with { Filters = s.Filters.Select(R).ToList() };
            case LogicalValues v: return v with { Rows = v.Rows.Select(r => (IReadOnlyList<BoundExpression>)r.Select(R).ToList()).ToList() };
            default:
                var inputs = plan.Inputs.Select(i => Rewrite(i, replace, level)).ToList();
                return inputs.Count == 0 ? plan : plan.WithInputs(inputs);
        }
    }

    /// <summary>Visits every expression of every node with its apply level.</summary>
    public static void Walk(LogicalPlan plan, Action<BoundExpression, int> visit, int level = 0)
    {
        void V(BoundExpression? e)
        {
            e?.Walk(x => visit(x, level));
        }
        switch (plan)
        {
            case LogicalApply apply:
                Walk(apply.Left, visit, level);
                Walk(apply.Right, visit, level + 1);
                V(apply.Operand);
                return;
            case LogicalFilter f: V(f.Predicate); break;
            case LogicalProject p: foreach (var e in p.Expressions) V(e); break;
            case LogicalAggregate a:
                foreach (var k in a.Keys) V(k);
                foreach (var c in a.Aggregates) { V(c.Argument); V(c.Filter); }
                break;
            case LogicalJoin j: V(j.Condition); V(j.MarkCondition); break;
            case LogicalScan s: foreach (var e in s.Filters) V(e); break;
            case LogicalValues v: foreach (var r in v.Rows) foreach (var e in r) V(e); break;
        }
        foreach (var i in plan.Inputs) Walk(i, visit, level);
    }

    /// <summary>
    /// The outer references of <paramref name="plan"/> (seen as the right input of an apply) that point at that apply's
    /// left input: depth equal to the level + 1.
    /// </summary>
    public static bool ReferencesApplyLeft(LogicalPlan plan)
    {
        var found = false;
        Walk(plan, (e, level) => { if (e is BoundOuterRef o && o.Depth == level + 1) found = true; });
        return found;
    }

    /// <summary>True when some outer reference reaches beyond the apply whose right input is <paramref name="plan"/>.</summary>
    public static bool ReferencesBeyond(LogicalPlan plan)
    {
        var found = false;
        Walk(plan, (e, level) => { if (e is BoundOuterRef o && o.Depth > level + 1) found = true; });
        return found;
    }

    /// <summary>True when the plan has any outer reference at all.</summary>
    public static bool IsCorrelated(LogicalPlan plan)
    {
        var found = false;
        Walk(plan, (e, _) => { if (e is BoundOuterRef) found = true; });
        return found;
    }
}
