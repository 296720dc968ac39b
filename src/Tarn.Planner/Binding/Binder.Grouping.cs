using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// GROUP BY with GROUPING SETS, ROLLUP and CUBE. The GROUP BY list is the cross product of its elements' grouping sets;
/// the distinct grouping expressions of all sets become the aggregation's keys.
/// <para>Plan shape (Calcite/Flink): <see cref="LogicalExpand"/> emits each input row once per grouping set, with the
/// keys the set leaves out replaced by NULL and the set's index appended, and ONE <see cref="LogicalAggregate"/>
/// groups by (keys, set index). Chosen over a union of one aggregate per set because the input is read once, the
/// aggregate stays an ordinary node that every rule and both runtimes already handle, and the set index keeps apart a
/// group whose key is NULL from a group the set does not key on, and duplicate sets from each other (both must
/// produce their own rows). GROUPING(...) and GROUP_ID() are CASE expressions over the set index.</para>
/// </summary>
public sealed partial class Binder
{
    /// <summary>More sets than this is almost certainly a mistake (CUBE of 12 columns is 4096).</summary>
    private const int MaxGroupingSets = 4096;

    private AggregationState BindGroupingSets(SelectBody select, Scope scope)
    {
        List<List<Expression>> sets = [[]];
        foreach (var element in select.GroupBy)
        {
            var alternatives = GroupingSetsOf(element);
            if ((long)sets.Count * alternatives.Count > MaxGroupingSets)
                throw Error(SqlStates.FeatureNotSupported, $"GROUP BY produces more than {MaxGroupingSets} grouping sets", element.Position);
            var product = new List<List<Expression>>(sets.Count * alternatives.Count);
            foreach (var set in sets)
                foreach (var alternative in alternatives)
                    product.Add([.. set, .. alternative]);
            sets = product;
        }

        var keyAst = new List<Expression>();
        var keys = new List<BoundExpression>();
        var members = new List<int[]>();
        foreach (var set in sets)
        {
            var indexes = new SortedSet<int>();
            foreach (var e in set)
            {
                var ast = ResolveGroupingExpression(select, scope, e);
                // an expression met in an earlier set is that key (a subquery would bind to a second apply)
                var index = keyAst.IndexOf(ast);
                if (index < 0)
                {
                    var bound = BindExpression(ast, scope);
                    index = keys.IndexOf(bound);
                    if (index < 0)
                    {
                        index = keys.Count;
                        keyAst.Add(ast);
                        keys.Add(bound);
                    }
                }
                indexes.Add(index);
            }
            members.Add([.. indexes]);
        }
        // One set is an ordinary GROUP BY (e.g. GROUP BY a, () or GROUPING SETS ((a, b))).
        return new AggregationState(scope, keyAst, keys) { GroupingSets = members.Count == 1 ? null : members };
    }

    /// <summary>The grouping sets one GROUP BY element stands for, each a list of expressions.</summary>
    private static List<List<Expression>> GroupingSetsOf(GroupingElement element)
    {
        switch (element)
        {
            case ExpressionGrouping g:
                return [Composite(g.Expression)];
            case GroupingSets gs:
                return [.. gs.Sets.SelectMany(s => s.Nested is { } nested ? GroupingSetsOf(nested) : [s.Expressions.SelectMany(Composite).ToList()])];
            case Rollup r:
            {
                // ROLLUP (a, b, c) = (a, b, c), (a, b), (a), ()
                var items = r.Expressions.Select(Composite).ToList();
                var result = new List<List<Expression>>();
                for (var n = items.Count; n >= 0; n--) result.Add([.. items.Take(n).SelectMany(x => x)]);
                return result;
            }
            case Cube c:
            {
                // CUBE (a, b) = every subset: (a, b), (a), (b), ()
                var items = c.Expressions.Select(Composite).ToList();
                if (items.Count > 12) throw new TarnException(SqlStates.FeatureNotSupported, $"CUBE supports at most 12 elements at {c.Position}", c.Position);
                var result = new List<List<Expression>>();
                for (var mask = (1 << items.Count) - 1; mask >= 0; mask--)
                {
                    var set = new List<Expression>();
                    for (var j = 0; j < items.Count; j++)
                        if ((mask & (1 << (items.Count - 1 - j))) != 0) set.AddRange(items[j]);
                    result.Add(set);
                }
                return result;
            }
            default:
                throw new TarnException(SqlStates.FeatureNotSupported, $"unsupported GROUP BY element at {element.Position}", element.Position);
        }
    }

    /// <summary>A parenthesized composite (a, b) inside ROLLUP/CUBE/GROUPING SETS groups by both.</summary>
    private static List<Expression> Composite(Expression e) => e is RowConstructor row ? [.. row.Fields] : [e];

    /// <summary>A GROUP BY expression: a select-list position, a select-list alias, or an expression over FROM.</summary>
    private Expression ResolveGroupingExpression(SelectBody select, Scope scope, Expression ast)
    {
        if (ast is IntegerLiteral ordinal)
        {
            if (ordinal.Value < 1 || ordinal.Value > select.Items.Count || select.Items[(int)ordinal.Value - 1].Expression is StarExpression)
                throw Error(SqlStates.InvalidParameterValue, $"GROUP BY position {ordinal.Value} is not in select list", ordinal.Position);
            ast = select.Items[(int)ordinal.Value - 1].Expression;
        }
        else if (ast is ColumnRef { Parts.Count: 1 } c && !scope.Columns.Any(x => string.Equals(x.Name, c.Name.Value, StringComparison.OrdinalIgnoreCase))
                 && select.Items.FirstOrDefault(i => i.Alias is not null && string.Equals(i.Alias.Value, c.Name.Value, StringComparison.OrdinalIgnoreCase)) is { } aliased)
        {
            ast = aliased.Expression; // GROUP BY a select-list alias (DuckDB, MySQL)
        }
        if (ContainsAggregate(ast)) throw Error(SqlStates.GroupingError, "aggregate functions are not allowed in GROUP BY", ast.Position);
        return ast;
    }

    /// <summary>
    /// The aggregation of a GROUP BY with several grouping sets: Expand (input columns, then the keys nulled per set,
    /// then the set index) and an aggregate keyed on the nulled keys and the set index. Output: keys, set index,
    /// aggregates. The empty grouping set () is a separate aggregate without keys, unioned in: like a global aggregate
    /// it must produce its row even for empty input, which a keyed aggregate would not.
    /// </summary>
    private static LogicalPlan BuildGroupingSetsAggregate(LogicalPlan input, AggregationState aggregation, IReadOnlyList<OutputColumn> keyColumns)
    {
        var sets = aggregation.GroupingSets!;
        var width = input.Output.Count;
        var keyCount = aggregation.Keys.Count;
        var setColumn = new OutputColumn("$grouping_set", DataType.Int.WithNullable(false));
        var columns = keyColumns.Take(keyCount).Select((c, k) => c with { Type = aggregation.KeyType(k) }).Append(setColumn)
            .Concat(aggregation.Aggregates.Select((a, i) => new OutputColumn(aggregation.AggregateNames[i], a.Type))).ToList();
        var parts = new List<LogicalPlan>();

        var projections = new List<IReadOnlyList<BoundExpression>>(sets.Count);
        for (var s = 0; s < sets.Count; s++)
        {
            if (sets[s].Length == 0) continue;
            var row = new List<BoundExpression>(width + keyCount + 1);
            for (var i = 0; i < width; i++) row.Add(BoundExpressions.Column(i, input.Output[i].Type));
            for (var k = 0; k < keyCount; k++)
                row.Add(Array.IndexOf(sets[s], k) >= 0 ? aggregation.Keys[k] : BoundLiteral.Null(aggregation.KeyType(k)));
            row.Add(BoundLiteral.Of(s));
            projections.Add(row);
        }
        if (projections.Count > 0)
        {
            var expandColumns = input.Output
                .Concat(Enumerable.Range(0, keyCount).Select(k => new OutputColumn(keyColumns[k].Name, aggregation.KeyType(k))))
                .Append(setColumn).ToList();
            var expand = new LogicalExpand(input, projections, expandColumns);
            var keys = Enumerable.Range(0, keyCount + 1).Select(k => (BoundExpression)BoundExpressions.Column(width + k, expandColumns[width + k].Type)).ToList();
            parts.Add(new LogicalAggregate(expand, keys, aggregation.Aggregates, columns));
        }

        LogicalAggregate? total = null;
        for (var s = 0; s < sets.Count; s++)
        {
            if (sets[s].Length != 0) continue;
            total ??= new LogicalAggregate(input, [], aggregation.Aggregates, columns.Skip(keyCount + 1).ToList());
            var row = Enumerable.Range(0, keyCount).Select(k => (BoundExpression)BoundLiteral.Null(aggregation.KeyType(k)))
                .Append(BoundLiteral.Of(s))
                .Concat(aggregation.Aggregates.Select((a, i) => BoundExpressions.Column(i, a.Type))).ToList();
            parts.Add(new LogicalProject(total, row, columns));
        }
        return parts.Count == 1 ? parts[0] : new LogicalUnionAll(parts, columns);
    }
}
