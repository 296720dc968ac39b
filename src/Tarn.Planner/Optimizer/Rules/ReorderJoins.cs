using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Statistics;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Orders a tree of inner and cross joins by estimated cardinality, greedily (as DuckDB does beyond its exact
/// dynamic-programming limit): the largest input is the probe side at the bottom-left, then each step joins the input,
/// connected by an equality where possible, that gives the smallest estimated intermediate result. Hash joins build on
/// the right, so dimension-like inputs become build sides and the fact table streams through once. Join conditions are
/// placed at the first join where all their columns exist; a projection restores the original column order. A filtered
/// input joined to only one other input is joined to it first, as its own build side (see MergeReducingDimensions).
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

    private static bool IsIdentity(List<Item> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i].Leaves is not [var only] || only != i) return false;
        }
        return true;
    }

    private static int LeafOf(int column, List<int> starts)
    {
        var leaf = 0;
        while (leaf + 1 < starts.Count && starts[leaf + 1] <= column) leaf++;
        return leaf;
    }

    /// <summary>
    /// A unit of the greedy order: one leaf, or a small join of leaves built on its own (a bushy build side), in the
    /// order its leaves join.
    /// </summary>
    private sealed record Item(List<int> Leaves, double Estimate, double Base);

    /// <summary>The greedy join order, largest input first.</summary>
    private static List<Item>? Order(List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts)
    {
        var n = leaves.Count;
        var items = new List<Item>(n);
        var first = 0;
        for (var i = 0; i < n; i++)
        {
            items.Add(new Item([i], CardinalityEstimator.Estimate(leaves[i]), CardinalityEstimator.BaseRows(leaves[i])));
            if (items[i].Estimate > items[first].Estimate) first = i;
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
        var firstItem = items[first];
        MergeReducingDimensions(items, firstItem, equalities);
        var chosen = new List<Item> { firstItem };
        var inSet = new bool[n];
        inSet[first] = true;
        var remaining = items.Where(i => !ReferenceEquals(i, firstItem)).ToList();
        double current = firstItem.Estimate, currentBase = firstItem.Base;
        while (remaining.Count > 0)
        {
            Item? best = null;
            var bestConnected = false;
            double bestEstimate = double.MaxValue;
            foreach (var c in remaining)
            {
                var connected = Connected(equalities, l => l.All(x => inSet[x]), r => r.All(c.Leaves.Contains));
                var estimate = connected ? CardinalityEstimator.EquiJoin(current, currentBase, c.Estimate, c.Base) : current * c.Estimate;
                var better = best is null
                    || (connected && !bestConnected)
                    || (connected == bestConnected && (estimate < bestEstimate || (estimate == bestEstimate && c.Estimate < best.Estimate)));
                if (!better) continue;
                best = c;
                bestConnected = connected;
                bestEstimate = estimate;
            }
            chosen.Add(best!);
            remaining.Remove(best!);
            foreach (var leaf in best!.Leaves) inSet[leaf] = true;
            current = bestEstimate;
            currentBase = Math.Max(currentBase, best.Base);
        }
        return chosen;
    }

    /// <summary>True when some equality has one side satisfying <paramref name="one"/> and the other <paramref name="other"/>.</summary>
    private static bool Connected(List<(HashSet<int> Left, HashSet<int> Right)> equalities, Func<HashSet<int>, bool> one, Func<HashSet<int>, bool> other)
    {
        foreach (var (l, r) in equalities)
            if ((one(l) && other(r)) || (one(r) && other(l))) return true;
        return false;
    }

    /// <summary>
    /// Joins a filtered dimension to the one input it is connected to first when that shrinks the input (supplier ⋈
    /// nation WHERE n_name = 'FRANCE' in TPC-H q7): a left-deep order starting at the fact table would otherwise carry
    /// the fact table's rows through the unfiltered input before the dimension's filter takes effect. The fact table
    /// (<paramref name="first"/>) is never merged.
    /// </summary>
    private static void MergeReducingDimensions(List<Item> items, Item first, List<(HashSet<int> Left, HashSet<int> Right)> equalities)
    {
        for (var merged = true; merged;)
        {
            merged = false;
            foreach (var dimension in items)
            {
                if (ReferenceEquals(dimension, first)) continue;
                var partners = items.Where(o => !ReferenceEquals(o, dimension)
                    && Connected(equalities, l => l.All(dimension.Leaves.Contains), r => r.All(o.Leaves.Contains))).ToList();
                if (partners.Count != 1 || ReferenceEquals(partners[0], first)) continue;
                var target = partners[0];
                var estimate = CardinalityEstimator.EquiJoin(target.Estimate, target.Base, dimension.Estimate, dimension.Base);
                if (estimate >= target.Estimate || dimension.Estimate > target.Estimate) continue;
                var index = items.IndexOf(target);
                items[index] = new Item([.. target.Leaves, .. dimension.Leaves], estimate, Math.Max(target.Base, dimension.Base));
                items.Remove(dimension);
                merged = true;
                break;
            }
        }
    }

    private static LogicalPlan Build(LogicalJoin original, List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts, List<Item> order)
    {
        var placed = new bool[conjuncts.Count];
        var conjunctLeaves = conjuncts.Select(c => c.ReferencedColumns().Select(i => LeafOf(i, starts)).ToHashSet()).ToList();
        var available = new HashSet<int>();
        var (plan, columns) = Chain(order[0].Leaves, leaves, starts, conjuncts, conjunctLeaves, placed, available);
        for (var k = 1; k < order.Count; k++)
        {
            var (item, itemColumns) = Chain(order[k].Leaves, leaves, starts, conjuncts, conjunctLeaves, placed, new HashSet<int>());
            available.UnionWith(order[k].Leaves);
            (plan, columns) = JoinStep(plan, columns, item, itemColumns, conjuncts, conjunctLeaves, placed, available);
        }
        var at = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++) at[columns[i]] = i;
        var output = original.Output;
        var projections = new List<BoundExpression>(output.Count);
        for (var g = 0; g < output.Count; g++) projections.Add(new BoundColumnRef(at[g], plan.Output[at[g]].Type));
        return new LogicalProject(plan, projections, output);
    }

    /// <summary>A left-deep join of <paramref name="chain"/>'s leaves in order, with the conjuncts they cover; returns the global column index of each output column.</summary>
    private static (LogicalPlan Plan, List<int> Columns) Chain(List<int> chain, List<LogicalPlan> leaves, List<int> starts, List<BoundExpression> conjuncts,
        List<HashSet<int>> conjunctLeaves, bool[] placed, HashSet<int> available)
    {
        available.Add(chain[0]);
        LogicalPlan plan = leaves[chain[0]];
        var columns = Enumerable.Range(starts[chain[0]], leaves[chain[0]].Output.Count).ToList();
        for (var k = 1; k < chain.Count; k++)
        {
            var leaf = chain[k];
            available.Add(leaf);
            (plan, columns) = JoinStep(plan, columns, leaves[leaf], Enumerable.Range(starts[leaf], leaves[leaf].Output.Count).ToList(), conjuncts, conjunctLeaves, placed, available);
        }
        return (plan, columns);
    }

    /// <summary>Joins <paramref name="right"/> to <paramref name="left"/> on every conjunct not yet placed whose leaves are all <paramref name="available"/>.</summary>
    private static (LogicalPlan Plan, List<int> Columns) JoinStep(LogicalPlan left, List<int> leftColumns, LogicalPlan right, List<int> rightColumns,
        List<BoundExpression> conjuncts, List<HashSet<int>> conjunctLeaves, bool[] placed, HashSet<int> available)
    {
        var combined = new List<int>(leftColumns);
        combined.AddRange(rightColumns);
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
        return (new LogicalJoin(left, right, kind, here.Count > 0 ? BoundExpressions.And(here) : null, LogicalJoin.ColumnsOf(left, right, kind)), combined);
    }
}
