using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// Sorting and grouping plans that honour the collations of their keys (see <see cref="Collations"/>): a collated key
/// is replaced by its collation key, and the plans keep the output of the plain node they stand for.
/// </summary>
public static class CollatedPlans
{
    /// <summary><c>LogicalSort(input, keys)</c>, sorting collated string columns by their collation keys.</summary>
    public static LogicalPlan Sort(LogicalPlan input, IReadOnlyList<SortKey> keys)
    {
        var output = input.Output;
        if (!keys.Any(k => Collations.Of(output[k.Column].Type) is not null)) return new LogicalSort(input, keys);
        // Append each collated key's collation key as a column, sort on those, then drop them.
        var exprs = output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList();
        var columns = output.ToList();
        var sortKeys = new List<SortKey>(keys.Count);
        foreach (var k in keys)
        {
            if (Collations.Of(output[k.Column].Type) is null)
            {
                sortKeys.Add(k);
                continue;
            }
            var key = Collations.Key(exprs[k.Column]);
            sortKeys.Add(k with { Column = exprs.Count });
            exprs.Add(key);
            columns.Add(new OutputColumn("$collated" + k.Column, key.Type));
        }
        var sorted = new LogicalSort(new LogicalProject(input, exprs, columns), sortKeys);
        return new LogicalProject(sorted, output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(), output);
    }

    /// <summary>
    /// <c>LogicalAggregate(input, keys, aggregates, columns)</c> grouping collated string keys by their collation
    /// keys. Each such key's output is a representative original value of its group: the smallest (code point order)
    /// of <paramref name="representative"/>(key index) over the group, by default of the key itself.
    /// </summary>
    public static LogicalPlan Aggregate(LogicalPlan input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates,
        IReadOnlyList<OutputColumn> columns, Func<int, BoundExpression>? representative = null)
    {
        if (!keys.Any(k => Collations.Of(k.Type) is not null)) return new LogicalAggregate(input, keys, aggregates, columns);
        var groupKeys = keys.Select(k => Collations.Key(k)).ToList();
        var allAggregates = aggregates.ToList();
        var representativeOf = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            representativeOf[i] = -1;
            if (Collations.Of(keys[i].Type) is null) continue;
            representativeOf[i] = allAggregates.Count;
            allAggregates.Add(BoundExpressions.Aggregate(AggregateKind.Min, representative?.Invoke(i) ?? keys[i]));
        }
        var innerColumns = groupKeys.Select((k, i) => new OutputColumn(columns[i].Name, k.Type))
            .Concat(allAggregates.Select((a, i) => new OutputColumn(i < aggregates.Count ? columns[keys.Count + i].Name : "$representative" + i, a.Type))).ToList();
        var aggregate = new LogicalAggregate(input, groupKeys, allAggregates, innerColumns);
        var exprs = new List<BoundExpression>(columns.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (representativeOf[i] < 0) exprs.Add(BoundExpressions.Column(i, innerColumns[i].Type));
            else exprs.Add(BoundExpressions.Column(keys.Count + representativeOf[i], innerColumns[keys.Count + representativeOf[i]].Type));
        }
        for (var i = 0; i < aggregates.Count; i++) exprs.Add(BoundExpressions.Column(keys.Count + i, innerColumns[keys.Count + i].Type));
        return new LogicalProject(aggregate, exprs, columns);
    }
}
