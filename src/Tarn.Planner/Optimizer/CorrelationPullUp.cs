using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer;

/// <summary>
/// The right input of an apply with its correlated predicates pulled to the top (Neumann and Kemper; Calcite's
/// decorrelator does the same for the common shapes): <see cref="Plan"/> no longer reads the apply's left input;
/// <see cref="Predicates"/> (that must hold for a right row to belong to the subquery's result for a left row) and
/// <see cref="Outputs"/> (the subquery's output columns) are expressions over <see cref="Plan"/>'s columns and
/// <see cref="BoundOuterRef"/>s of depth 1. <see cref="EmptyOutputs"/> is set when an ungrouped aggregate became
/// grouped by the correlation keys: the outputs for a left row without any group (COUNT is 0 there, not NULL).
/// <see cref="MatchedColumn"/> is then a grouping column that is NULL exactly for left rows without a group.
/// </summary>
internal sealed record PulledUp(LogicalPlan Plan, List<BoundExpression> Predicates, List<BoundExpression> Outputs,
    List<BoundExpression>? EmptyOutputs = null, int MatchedColumn = -1);

internal static class CorrelationPullUp
{
    /// <summary>
    /// Pulls up the correlated predicates of <paramref name="plan"/>, or returns null for shapes it does not handle
    /// (the apply then stays and runs per outer value). <paramref name="setSemantics"/>: only whether rows exist or
    /// compare matters (EXISTS, IN, ANY), so DISTINCT and LIMIT (≥ 1) may be dropped.
    /// </summary>
    public static PulledUp? Pull(LogicalPlan plan, bool setSemantics)
    {
        if (!PlanExpressions.ReferencesApplyLeft(plan))
            return new PulledUp(plan, [], Columns(plan));
        switch (plan)
        {
            case LogicalFilter filter:
            {
                var input = Pull(filter.Input, setSemantics);
                if (input is null || input.EmptyOutputs is not null) return null;
                var predicate = ExpressionRewriter.Substitute(filter.Predicate, input.Outputs);
                var keep = new List<BoundExpression>();
                var predicates = new List<BoundExpression>(input.Predicates);
                foreach (var c in ExpressionRewriter.Conjuncts(predicate))
                {
                    if (HasOuter(c)) predicates.Add(c);
                    else keep.Add(c);
                }
                var result = keep.Count == 0 ? input.Plan : new LogicalFilter(input.Plan, BoundExpressions.And(keep));
                return input with { Plan = result, Predicates = predicates };
            }
            case LogicalProject project:
            {
                var input = Pull(project.Input, setSemantics);
                if (input is null) return null;
                return input with
                {
                    Outputs = project.Expressions.Select(e => ExpressionRewriter.Substitute(e, input.Outputs)).ToList(),
                    EmptyOutputs = input.EmptyOutputs is null ? null : project.Expressions.Select(e => ExpressionRewriter.Substitute(e, input.EmptyOutputs)).ToList(),
                };
            }
            case LogicalSort sort:
                return Pull(sort.Input, setSemantics);
            case LogicalLimit { Offset: 0, Limit: null or >= 1 } limit when setSemantics:
                return Pull(limit.Input, setSemantics);
            case LogicalAggregate { Aggregates.Count: 0 } distinct when setSemantics:
            {
                var input = Pull(distinct.Input, setSemantics);
                if (input is null || input.EmptyOutputs is not null) return null;
                return input with { Outputs = distinct.Keys.Select(k => ExpressionRewriter.Substitute(k, input.Outputs)).ToList() };
            }
            case LogicalAggregate aggregate:
                return PullAggregate(aggregate, setSemantics);
            case LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross } join:
            {
                var left = Pull(join.Left, setSemantics);
                var right = Pull(join.Right, setSemantics);
                if (left is null || right is null || left.EmptyOutputs is not null || right.EmptyOutputs is not null) return null;
                var shift = left.Plan.Output.Count;
                var rightOutputs = right.Outputs.Select(e => ExpressionRewriter.RemapColumns(e, i => i + shift)).ToList();
                var outputs = left.Outputs.Concat(rightOutputs).ToList();
                var predicates = left.Predicates.Concat(right.Predicates.Select(e => ExpressionRewriter.RemapColumns(e, i => i + shift))).ToList();
                var keep = new List<BoundExpression>();
                if (join.Condition is not null)
                {
                    foreach (var c in ExpressionRewriter.Conjuncts(ExpressionRewriter.Substitute(join.Condition, outputs)))
                    {
                        if (HasOuter(c)) predicates.Add(c);
                        else keep.Add(c);
                    }
                }
                var kind = keep.Count == 0 ? LogicalJoinKind.Cross : LogicalJoinKind.Inner;
                var joined = new LogicalJoin(left.Plan, right.Plan, kind, keep.Count == 0 ? null : BoundExpressions.And(keep), LogicalJoin.ColumnsOf(left.Plan, right.Plan, kind));
                return new PulledUp(joined, predicates, outputs);
            }
            case LogicalJoin { Kind: LogicalJoinKind.Semi or LogicalJoinKind.Anti or LogicalJoinKind.Mark or LogicalJoinKind.Left or LogicalJoinKind.Single } join
                when !PlanExpressions.ReferencesApplyLeft(join.Right):
                return PullThroughLeftSide(join, setSemantics);
            default:
                return null;
        }
    }

    /// <summary>
    /// A join that keeps every row of its left side (or filters only by the right side: semi, anti, mark) commutes
    /// with filters on that side, so correlated predicates of the left side move above it.
    /// </summary>
    private static PulledUp? PullThroughLeftSide(LogicalJoin join, bool setSemantics)
    {
        var left = Pull(join.Left, setSemantics);
        if (left is null || left.EmptyOutputs is not null) return null;
        var oldLeft = join.Left.Output.Count;
        var newLeft = left.Plan.Output.Count;
        var mapping = left.Outputs.Concat(join.Right.Output.Select((c, j) => (BoundExpression)BoundExpressions.Column(newLeft + j, c.Type))).ToList();
        BoundExpression? Remap(BoundExpression? e) => e is null ? null : ExpressionRewriter.Substitute(e, mapping);
        var condition = Remap(join.Condition);
        var mark = Remap(join.MarkCondition);
        if ((condition is not null && HasOuter(condition)) || (mark is not null && HasOuter(mark))) return null;
        var rebuilt = new LogicalJoin(left.Plan, join.Right, join.Kind, condition, LogicalJoin.ColumnsOf(left.Plan, join.Right, join.Kind)) { MarkCondition = mark };
        var outputs = new List<BoundExpression>(left.Outputs);
        if (join.Kind == LogicalJoinKind.Mark) outputs.Add(BoundExpressions.Column(newLeft, rebuilt.Output[newLeft].Type));
        else if (join.Kind is LogicalJoinKind.Left or LogicalJoinKind.Single)
            outputs.AddRange(join.Output.Skip(oldLeft).Select((c, j) => (BoundExpression)BoundExpressions.Column(newLeft + j, rebuilt.Output[newLeft + j].Type)));
        return new PulledUp(rebuilt, left.Predicates, outputs);
    }

    /// <summary>
    /// An aggregate over a correlated input: the correlation must be equalities "inner expression = outer
    /// expression", whose inner sides become extra grouping keys (one group per outer value instead of one per row).
    /// </summary>
    private static PulledUp? PullAggregate(LogicalAggregate aggregate, bool setSemantics)
    {
        var input = Pull(aggregate.Input, setSemantics);
        if (input is null || input.EmptyOutputs is not null || input.Predicates.Count == 0) return null;
        var inner = new List<BoundExpression>();
        var outer = new List<BoundExpression>();
        foreach (var p in input.Predicates)
        {
            if (p is not BoundComparison { Operator: ComparisonOperator.Equal } eq) return null;
            if (IsInnerOnly(eq.Left) && IsOuterOnly(eq.Right)) { inner.Add(eq.Left); outer.Add(eq.Right); }
            else if (IsInnerOnly(eq.Right) && IsOuterOnly(eq.Left)) { inner.Add(eq.Right); outer.Add(eq.Left); }
            else return null;
        }
        var keys = aggregate.Keys.Select(k => ExpressionRewriter.Substitute(k, input.Outputs)).ToList();
        var aggregates = aggregate.Aggregates.Select(a => a with
        {
            Argument = a.Argument is null ? null : ExpressionRewriter.Substitute(a.Argument, input.Outputs),
            Filter = a.Filter is null ? null : ExpressionRewriter.Substitute(a.Filter, input.Outputs),
        }).ToList();
        if (keys.Any(HasOuter) || aggregates.Any(a => (a.Argument is not null && HasOuter(a.Argument)) || (a.Filter is not null && HasOuter(a.Filter)))) return null;

        var k = keys.Count;
        var m = inner.Count;
        var columns = aggregate.Output.Take(k)
            .Concat(inner.Select((e, i) => new OutputColumn("$corr" + i, e.Type)))
            .Concat(aggregate.Output.Skip(k)).ToList();
        var grouped = new LogicalAggregate(input.Plan, [.. keys, .. inner], aggregates, columns);
        var outputs = new List<BoundExpression>();
        for (var i = 0; i < k; i++) outputs.Add(BoundExpressions.Column(i, columns[i].Type));
        for (var j = 0; j < aggregates.Count; j++) outputs.Add(BoundExpressions.Column(k + m + j, columns[k + m + j].Type));
        var predicates = outer.Select((o, i) => (BoundExpression)BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(k + i, inner[i].Type), o)).ToList();
        if (k > 0) return new PulledUp(grouped, predicates, outputs);

        // An ungrouped aggregate yields one row even over no input: remember what that row holds.
        var empty = aggregates.Select(a => (BoundExpression)(a.Kind is AggregateKind.Count or AggregateKind.CountStar
            ? BoundExpressions.Literal(0L, a.Type) : BoundLiteral.Null(a.Type))).ToList();
        return new PulledUp(grouped, predicates, outputs, empty, MatchedColumn: 0);
    }

    private static List<BoundExpression> Columns(LogicalPlan plan) =>
        plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList();

    /// <summary>True when the expression reads the apply's left input (an outer reference of depth 1).</summary>
    public static bool HasOuter(BoundExpression e)
    {
        var found = false;
        e.Walk(x => { if (x is BoundOuterRef { Depth: 1 }) found = true; });
        return found;
    }

    private static bool IsInnerOnly(BoundExpression e)
    {
        var outer = false;
        e.Walk(x => { if (x is BoundOuterRef) outer = true; });
        return !outer && e.ReferencedColumns().Count > 0;
    }

    private static bool IsOuterOnly(BoundExpression e) => HasOuter(e) && e.ReferencedColumns().Count == 0;
}
