using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Statistics;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Orders a tree of inner and cross joins by estimated cardinality, greedily (as DuckDB does beyond its exact
/// dynamic-programming limit): the largest input is the probe side at the bottom-left, then each step joins the input,
/// connected by an equality where possible, that gives the smallest estimated intermediate result. Hash joins build on
/// the right, so dimension-like inputs become build sides and the fact table streams through once. Join conditions are
/// placed at the first join where all their columns exist; a projection restores the original column order.
/// </summary>
public sealed class ReorderJoins : IOptimizerRule
{
    public string Name => "reorder_joins";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        if (plan is LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross } join)
        {
            var leaves = new List<LogicalPlan>();
            var starts = new List<int>();
            var conjuncts = new List<BoundExpression>();
            Flatten(join, 0, leaves, starts, conjuncts);
            if (leaves.Count >= 2 && Order(leaves, starts, conjuncts) is { } order && !IsIdentity(order))
            {
                for (var i = 0; i < leaves.Count; i++) leaves[i] = Apply(leaves[i]);
                return Build(join, leaves, starts, conjuncts, order);
            }
        }
        var inputs = plan.Inputs.Select(Apply).ToList();
        return inputs.Count > 0 && !inputs.SequenceEqual(plan.Inputs) ? plan.WithInputs(inputs) : plan;
    }

    /// <summary>Collects the leaves (non-inner-join inputs) left to right and every condition conjunct over global column indexes.</summary>
    private static void Flatten(LogicalPlan plan, int offset, List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts)
    {
        if (plan is LogicalJoin { Kind: LogicalJoinKind.Inner or LogicalJoinKind.Cross } j)
        {
            Flatten(j.Left, offset, leaves, starts, conjuncts);
            Flatten(j.Right, offset + j.Left.Output.Count, leaves, starts, conjuncts);
            if (j.Condition is not null)
            {
                foreach (var c in ExpressionRewriter.Conjuncts(j.Condition)) conjuncts.Add(offset == 0 ? c : ExpressionRewriter.RemapColumns(c, i => i + offset));
            }
            return;
        }
        leaves.Add(plan);
        starts.Add(offset);
    }

    private static bool IsIdentity(List<int> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] != i) return false;
        }
        return true;
    }

    private static int LeafOf(int column, List<int> starts)
    {
        var leaf = 0;
        while (leaf + 1 < starts.Count && starts[leaf + 1] <= column) leaf++;
        return leaf;
    }

    /// <summary>The greedy join order (leaf indexes), largest input first.</summary>
    private static List<int>? Order(List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts)
    {
        var n = leaves.Count;
        var estimates = new double[n];
        var bases = new double[n];
        var first = 0;
        for (var i = 0; i < n; i++)
        {
            estimates[i] = CardinalityEstimator.Estimate(leaves[i]);
            bases[i] = CardinalityEstimator.BaseRows(leaves[i]);
            if (estimates[i] > estimates[first]) first = i;
        }
        // For each equality conjunct, the leaves of its two sides.
        var equalities = new List<(HashSet<int> Left, HashSet<int> Right)>();
        foreach (var c in conjuncts)
        {
            if (c is BoundComparison { Operator: ComparisonOperator.Equal } eq)
            {
                var l = eq.Left.ReferencedColumns().Select(i => LeafOf(i, starts)).ToHashSet();
                var r = eq.Right.ReferencedColumns().Select(i => LeafOf(i, starts)).ToHashSet();
                if (l.Count > 0 && r.Count > 0 && !l.Overlaps(r)) equalities.Add((l, r));
            }
        }
        var chosen = new List<int> { first };
        var inSet = new bool[n];
        inSet[first] = true;
        double current = estimates[first], currentBase = bases[first];
        while (chosen.Count < n)
        {
            var best = -1;
            var bestConnected = false;
            double bestEstimate = double.MaxValue;
            for (var c = 0; c < n; c++)
            {
                if (inSet[c]) continue;
                var connected = false;
                foreach (var (l, r) in equalities)
                {
                    if ((l.All(x => inSet[x]) && r.Count == 1 && r.Contains(c)) || (r.All(x => inSet[x]) && l.Count == 1 && l.Contains(c))) connected = true;
                }
                var estimate = connected ? CardinalityEstimator.EquiJoin(current, currentBase, estimates[c], bases[c]) : current * estimates[c];
                var better = best < 0
                    || (connected && !bestConnected)
                    || (connected == bestConnected && (estimate < bestEstimate || (estimate == bestEstimate && estimates[c] < estimates[best])));
                if (!better) continue;
                best = c;
                bestConnected = connected;
                bestEstimate = estimate;
            }
            chosen.Add(best);
            inSet[best] = true;
            current = bestEstimate;
            currentBase = Math.Max(currentBase, bases[best]);
        }
        return chosen;
    }

    private static LogicalPlan Build(LogicalJoin original, List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts, List<int> order)
    {
        var placed = new bool[conjuncts.Count];
        var conjunctLeaves = conjuncts.Select(c => c.ReferencedColumns().Select(i => LeafOf(i, starts)).ToHashSet()).ToList();
        var available = new HashSet<int> { order[0] };
        LogicalPlan plan = leaves[order[0]];
        var columns = new List<int>(); // global column index of each output column of `plan`
        columns.AddRange(Enumerable.Range(starts[order[0]], leaves[order[0]].Output.Count));
        for (var k = 1; k < order.Count; k++)
        {
            var leaf = order[k];
            available.Add(leaf);
            var combined = new List<int>(columns);
            combined.AddRange(Enumerable.Range(starts[leaf], leaves[leaf].Output.Count));
            var position = new Dictionary<int, int>();
            for (var i = 0; i < combined.Count; i++) position[combined[i]] = i;
            var here = new List<BoundExpression>();
            for (var c = 0; c < conjuncts.Count; c++)
            {
                if (placed[c] || !conjunctLeaves[c].IsSubsetOf(available)) continue;
                placed[c] = true;
                here.Add(ExpressionRewriter.RemapColumns(conjuncts[c], g => position[g]));
            }
            var kind = here.Count > 0 ? LogicalJoinKind.Inner : LogicalJoinKind.Cross;
            plan = new LogicalJoin(plan, leaves[leaf], kind, here.Count > 0 ? BoundExpressions.And(here) : null, LogicalJoin.ColumnsOf(plan, leaves[leaf], kind));
            columns = combined;
        }
        var at = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++) at[columns[i]] = i;
        var output = original.Output;
        var projections = new List<BoundExpression>(output.Count);
        for (var g = 0; g < output.Count; g++) projections.Add(new BoundColumnRef(at[g], plan.Output[at[g]].Type));
        return new LogicalProject(plan, projections, output);
    }
}
