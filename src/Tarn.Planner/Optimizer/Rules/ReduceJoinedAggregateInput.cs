using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Statistics;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// A decorrelated subquery becomes an aggregate grouped by the correlation key and joined back on it (TPC-H q17's
/// <c>avg(l_quantity)</c> per part, q2's <c>min(ps_supplycost)</c> per part). Only groups whose key the other side
/// holds can match, so when that key comes from a small input (the 200 parts of one brand and container) the
/// aggregate's input is first semi-joined with that input: it aggregates the few matching rows instead of the whole
/// table (what DuckDB's delim join achieves). Groups are kept or dropped whole, since the filter is on a group key.
/// </summary>
public sealed class ReduceJoinedAggregateInput : IOptimizerRule
{
    /// <summary>The key source must be at least this many times smaller than the aggregate's input to be worth reading twice.</summary>
    private const double MinReduction = 2;

    public string Name => "reduce_joined_aggregate_input";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs.Select(Apply).ToList();
        if (inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs)) plan = plan.WithInputs(inputs);
        if (plan is not LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Left, Condition: { } condition, Right: LogicalAggregate aggregate } join)
            return plan;
        var leftCount = join.Left.Output.Count;
        var inputRows = CardinalityEstimator.Estimate(aggregate.Input);
        // Group the key equalities by the small input their outer column comes from.
        var bySource = new Dictionary<LogicalPlan, List<(int Column, BoundColumnRef Key)>>(ReferenceEqualityComparer.Instance);
        foreach (var c in ExpressionRewriter.Conjuncts(condition))
        {
            if (c is not BoundComparison { Operator: ComparisonOperator.Equal, Left: BoundColumnRef a, Right: BoundColumnRef b }) continue;
            var (outer, inner) = a.Index < leftCount && b.Index >= leftCount ? (a.Index, b.Index - leftCount)
                : b.Index < leftCount && a.Index >= leftCount ? (b.Index, a.Index - leftCount) : (-1, -1);
            if (outer < 0 || inner >= aggregate.Keys.Count || aggregate.Keys[inner] is not BoundColumnRef key) continue;
            if (Trace(join.Left, outer) is not { } source || !source.Source.Output[source.Column].Type.Equals(key.Type)) continue;
            if (!bySource.TryGetValue(source.Source, out var pairs)) bySource[source.Source] = pairs = [];
            pairs.Add((source.Column, key));
        }
        LogicalPlan? best = null;
        var bestRows = double.MaxValue;
        foreach (var (source, pairs) in bySource)
        {
            var rows = CardinalityEstimator.Estimate(source);
            if (rows * MinReduction > inputRows || rows > bestRows || (rows == bestRows && pairs.Count <= bySource[best!].Count)) continue;
            best = source;
            bestRows = rows;
        }
        if (best is null) return plan;
        var width = aggregate.Input.Output.Count;
        var equalities = bySource[best].Select(p => (BoundExpression)BoundExpressions.Compare(ComparisonOperator.Equal,
            new BoundColumnRef(p.Key.Index, aggregate.Input.Output[p.Key.Index].Type),
            new BoundColumnRef(width + p.Column, best.Output[p.Column].Type))).ToList();
        var semi = new LogicalJoin(aggregate.Input, best, LogicalJoinKind.Semi, BoundExpressions.And(equalities),
            LogicalJoin.ColumnsOf(aggregate.Input, best, LogicalJoinKind.Semi));
        return join with { Right = aggregate with { Input = semi } };
    }

    /// <summary>
    /// Follows output column <paramref name="column"/> of <paramref name="plan"/> down through projections and joins
    /// to the cheap input it comes from (see IsCheapSource): every value the column takes is one of that input's values (or NULL).
    /// Null when the column is computed or comes from nothing cheap.
    /// </summary>
    private static (LogicalPlan Source, int Column)? Trace(LogicalPlan plan, int column)
    {
        if (IsCheapSource(plan)) return (plan, column);
        switch (plan)
        {
            case LogicalProject { Expressions: var expressions } project when expressions[column] is BoundColumnRef r:
                return Trace(project.Input, r.Index);
            case LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross or LogicalJoinKind.Left } join:
                return column < join.Left.Output.Count ? Trace(join.Left, column) : Trace(join.Right, column - join.Left.Output.Count);
            case LogicalJoin { Kind: LogicalJoinKind.Semi or LogicalJoinKind.Anti } join:
                return Trace(join.Left, column);
            default:
                return null;
        }
    }

    /// <summary>A scan with filters and projections, possibly semi-joined with another such: cheap to read a second time.</summary>
    private static bool IsCheapSource(LogicalPlan plan) => plan switch
    {
        LogicalScan => true,
        LogicalFilter f => !f.Predicate.IsVolatile && IsCheapSource(f.Input),
        LogicalProject p => p.Expressions.All(e => !e.IsVolatile) && IsCheapSource(p.Input),
        LogicalJoin { Kind: LogicalJoinKind.Semi, MarkCondition: null } j => IsCheapSource(j.Left) && IsCheapSource(j.Right),
        _ => false,
    };
}
