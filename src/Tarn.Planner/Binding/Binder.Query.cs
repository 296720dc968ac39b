using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>Binds a complete query (WITH, body, ORDER BY, LIMIT/OFFSET) into a logical plan.</summary>
    public BoundQuery BindQuery(Query query)
    {
        query = ExpandMacroCalls(query);
        var pushed = false;
        if (!query.With.IsEmpty)
        {
            var frame = new Dictionary<string, (CommonTableExpression, int)>(StringComparer.OrdinalIgnoreCase);
            foreach (var cte in query.With)
            {
                if (!frame.TryAdd(cte.Name.Value, (cte, _ctes.Count)))
                    throw Error(SqlStates.DuplicateObject, $"WITH query name '{cte.Name.Value}' specified more than once", cte.Position);
            }
            _ctes.Add(frame);
            pushed = true;
        }
        try
        {
            LogicalPlan plan;
            if (query.Body is SelectBody select) plan = BindSelect(select, query.OrderBy);
            else
            {
                plan = BindBody(query.Body);
                if (!query.OrderBy.IsEmpty && SetOperationSortKeys(query.OrderBy, plan.Output, query.Body) is { Count: > 0 } keys) plan = CollatedPlans.Sort(plan, keys);
            }
            if (query.LimitPercent) plan = BindLimitPercent(plan, query);
            else if (query.Limit is not null || query.Offset is not null)
            {
                var limit = query.Limit is null ? (long?)null : ConstantCount(query.Limit, "LIMIT");
                var offset = query.Offset is null ? 0 : ConstantCount(query.Offset, "OFFSET");
                plan = new LogicalLimit(plan, limit, offset);
            }
            return new BoundQuery(plan);
        }
        finally
        {
            if (pushed) _ctes.RemoveAt(_ctes.Count - 1);
        }
    }

    private LogicalPlan BindBody(QueryBody body)
    {
        using var chain = EnterChain(body.Position);
        return body switch
        {
            SelectBody s => BindSelect(s, NodeList<OrderItem>.Empty),
            ValuesBody v => BindValues(v, null),
            ParenthesizedBody p => BindQuery(p.Query).Plan,
            SetOperationBody s => BindSetOperation(s),
            _ => throw Error(SqlStates.FeatureNotSupported, "this query form is not supported", body.Position),
        };
    }

    private long ConstantCount(Expression e, string clause)
    {
        var bound = BindExpression(e, Scope.Empty);
        var value = bound is BoundLiteral { Value: int i } ? i : bound is BoundLiteral { Value: long l } ? l : (long?)null;
        if (value is null) throw Error(SqlStates.DatatypeMismatch, $"{clause} must be a constant integer", e.Position);
        if (value < 0) throw Error(SqlStates.InvalidParameterValue, $"{clause} must not be negative", e.Position);
        return value.Value;
    }

    /// <summary>ORDER BY over a body's output columns only (set operations, VALUES): ordinals and output names.</summary>
    private SortKey OutputSortKey(OrderItem item, IReadOnlyList<OutputColumn> output)
    {
        var index = item.Expression switch
        {
            IntegerLiteral i when i.Value >= 1 && i.Value <= output.Count => (int)i.Value - 1,
            IntegerLiteral i => throw Error(SqlStates.InvalidParameterValue, $"ORDER BY position {i.Value} is not in select list", i.Position),
            ColumnRef { Parts.Count: 1 } c => FindOutput(output, c.Name.Value) is var k and >= 0 ? k
                : throw Error(SqlStates.UndefinedColumn, $"column '{c.Name.Value}' does not exist", c.Position),
            _ => throw Error(SqlStates.FeatureNotSupported, "ORDER BY of a set operation must name an output column or position", item.Position),
        };
        return MakeSortKey(item, index);
    }

    private static int FindOutput(IReadOnlyList<OutputColumn> output, string name)
    {
        var found = -1;
        for (var i = 0; i < output.Count; i++)
        {
            if (!string.Equals(output[i].Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (found >= 0) return -2;
            found = i;
        }
        return found;
    }

    /// <summary>Without NULLS FIRST/LAST, the session's <see cref="BindContext.DefaultNullOrder"/> decides.</summary>
    private SortKey MakeSortKey(OrderItem item, int column) => new(column, item.Descending,
        item.Nulls switch { NullOrdering.First => true, NullOrdering.Last => false, _ => _context.DefaultNullOrder.NullsFirst(item.Descending) });

    private LogicalPlan BindSelectOnce(SelectBody select, NodeList<OrderItem> orderBy, SelectLevel level)
    {
        var (plan, scope) = BindFrom(select.From, select.Position);
        level.Scope = scope;
        if (select.Where is not null) plan = BindFilterWithSubqueries(scope, null, select.Where, "WHERE")(plan);
        var windows = BeginWindows(select, orderBy);

        var hasAggregation = !select.GroupBy.IsEmpty || select.Having is not null || level.HasOuterAggregates
            || select.Items.Any(i => ContainsLocalAggregate(i.Expression, scope)) || orderBy.Any(o => ContainsLocalAggregate(o.Expression, scope));
        var savedPending = (_pending, _pendingAbove);
        var below = new List<PendingApply>();
        var above = new List<PendingApply>();
        (_pending, _pendingAbove) = (below, above);
        AggregationState? aggregation = null;
        if (hasAggregation) aggregation = BindGroupBy(select, scope); // subqueries in grouping keys are applied below the aggregate

        // Select list.
        var items = new List<(BoundExpression Expr, string Name)>();
        foreach (var item in select.Items)
        {
            if (item.Expression is StarExpression star)
            {
                var any = false;
                for (var i = 0; i < scope.Columns.Count; i++)
                {
                    var col = scope.Columns[i];
                    if (col.Hidden) continue;
                    if (!star.Qualifier.IsEmpty && !string.Equals(col.Relation, star.Qualifier[^1].Value, StringComparison.OrdinalIgnoreCase)) continue;
                    any = true;
                    var reference = new ColumnRef(col.Relation is null ? [new Identifier(col.Name, true, star.Position)] : [new Identifier(col.Relation, true, star.Position), new Identifier(col.Name, true, star.Position)], star.Position);
                    var bound = aggregation is null ? BoundExpressions.Column(i, col.Type) : BindExpression(reference, scope, aggregation);
                    items.Add((bound, col.Name));
                }
                if (!any && !star.Qualifier.IsEmpty)
                    throw Error(SqlStates.UndefinedTable, $"'{star.Qualifier[^1].Value}' is not a table in FROM", star.Position);
                continue;
            }
            var expr = BindExpression(item.Expression, scope, aggregation);
            items.Add((expr, item.Alias?.Value ?? DefaultName(item.Expression)));
        }

        Func<LogicalPlan, LogicalPlan>? having = null;
        if (select.Having is not null)
        {
            aggregation?.UseSelectAliases(select.Items); // HAVING sum < 20 for SUM(a) AS sum (DuckDB, MySQL)
            having = BindFilterWithSubqueries(scope, aggregation, select.Having, "HAVING");
            aggregation?.UseSelectAliases(null);
        }

        // ORDER BY: output positions, output names, or expressions (added as hidden columns when not selected).
        var visible = items.Count;
        var sortKeys = new List<SortKey>();
        foreach (var o in orderBy)
        {
            int index;
            RejectNonIntegerLiteral(o.Expression, "ORDER BY");
            if (o.Expression is IntegerLiteral ord)
            {
                if (ord.Value < 1 || ord.Value > visible) throw Error(SqlStates.InvalidParameterValue, $"ORDER BY position {ord.Value} is not in select list", ord.Position);
                index = (int)ord.Value - 1;
            }
            else if (o.Expression is ColumnRef { Parts.Count: 1 } c
                     && FindOutput(items.Take(visible).Select(x => new OutputColumn(x.Name, x.Expr.Type)).ToList(), c.Name.Value) is >= 0 and var byName)
            {
                index = byName;
            }
            else
            {
                var expr = BindExpression(o.Expression, scope, aggregation);
                index = items.FindIndex(x => x.Expr.Equals(expr) && x.Expr.Type.Collation == expr.Type.Collation); // types compare without collation
                if (index < 0)
                {
                    index = items.Count;
                    items.Add((expr, "$order" + index));
                }
            }
            sortKeys.Add(MakeSortKey(o, index));
        }

        var distinctOn = select.Distinct && (!select.DistinctOn.IsEmpty || items.Count > visible)
            ? DistinctOnKeys(select, scope, aggregation, items, visible) : null;
        var qualify = BindQualify(select, scope, aggregation);

        // Subqueries of the select list and ORDER BY: below the aggregate (inside aggregate arguments, or without
        // aggregation), and above it (over grouping keys and aggregates).
        var hostWidth = plan.Output.Count;
        plan = AttachApplies(plan, below, BelowBase);
        if (aggregation is not null)
        {
            var aggregates = aggregation.Aggregates.Select(a => RemapPlaceholders(a, BelowBase, hostWidth)).ToList();
            for (var k = 0; k < aggregation.Keys.Count; k++) aggregation.Keys[k] = RemapPlaceholders(aggregation.Keys[k], BelowBase, hostWidth);
            var columns = aggregation.Keys.Select((k, i) => new OutputColumn(k is BoundColumnRef r && r.Index < scope.Columns.Count ? scope.Columns[r.Index].Name : "$key" + i, k.Type))
                .Concat(aggregation.Aggregates.Select((a, i) => new OutputColumn(aggregation.AggregateNames[i], a.Type))).ToList();
            plan = SortForOrderedAggregates(plan, aggregation, scope);
            if (aggregation.GroupingSets is null) plan = CollatedPlans.Aggregate(plan, aggregation.Keys, aggregates, columns);
            else
            {
                aggregation.Aggregates.Clear();
                aggregation.Aggregates.AddRange(aggregates);
                plan = BuildGroupingSetsAggregate(plan, aggregation, columns);
            }
            if (having is not null) plan = having(plan);
            hostWidth = plan.Output.Count;
            plan = AttachApplies(plan, above, AboveBase);
            for (var i = 0; i < items.Count; i++) items[i] = (RemapPlaceholders(items[i].Expr, AboveBase, hostWidth), items[i].Name);
        }
        else
        {
            for (var i = 0; i < items.Count; i++) items[i] = (RemapPlaceholders(items[i].Expr, BelowBase, hostWidth), items[i].Name);
        }
        qualify = RemapWindowSubqueries(windows, qualify, aggregation is null ? BelowBase : AboveBase, hostWidth);
        plan = EndWindows(windows, plan, items, qualify);

        plan = new LogicalProject(plan, items.Select(i => i.Expr).ToList(), items.Select(i => new OutputColumn(i.Name, i.Expr.Type)).ToList());
        if (distinctOn is not null) plan = FirstRowPerKey(plan, distinctOn, sortKeys);
        else if (select.Distinct)
        {
            var keys = plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList();
            plan = CollatedPlans.Aggregate(plan, keys, [], plan.Output);
        }
        if (sortKeys.Count > 0) plan = CollatedPlans.Sort(plan, sortKeys);
        if (items.Count > visible)
        {
            var keep = Enumerable.Range(0, visible).Select(i => (BoundExpression)BoundExpressions.Column(i, items[i].Expr.Type)).ToList();
            plan = new LogicalProject(plan, keep, plan.Output.Take(visible).ToList());
        }
        (_pending, _pendingAbove) = savedPending;
        return plan;
    }

    private static IEnumerable<Expression> AstConjuncts(Expression e)
    {
        if (e is BinaryExpression { Operator: BinaryOperator.And } and)
        {
            foreach (var x in AstConjuncts(and.Left)) yield return x;
            foreach (var x in AstConjuncts(and.Right)) yield return x;
        }
        else yield return e;
    }

    private AggregationState BindGroupBy(SelectBody select, Scope scope)
    {
        var keyAst = new List<Expression>();
        var keys = new List<BoundExpression>();
        if (select.GroupBy.Any(e => e is not ExpressionGrouping { Expression: not RowConstructor })) return BindGroupingSets(select, scope);
        foreach (var element in select.GroupBy)
        {
            var ast = ResolveGroupingExpression(select, scope, ((ExpressionGrouping)element).Expression);
            var bound = BindExpression(ast, scope);
            if (keys.Contains(bound)) continue;
            keyAst.Add(ast);
            keys.Add(bound);
        }
        return new AggregationState(scope, keyAst, keys);
    }

    /// <summary>The name of an unaliased select item: a column's name, a function's name, else "?column?" (PostgreSQL's rules).</summary>
    private static string DefaultName(Expression e) => e switch
    {
        ColumnRef c => c.Name.Value,
        FunctionCall f => f.Name.Name.Value.ToLowerInvariant(),
        CastExpression c => DefaultName(c.Operand) is var n && n != "?column?" ? n : c.Type.Kind.ToString().ToLowerInvariant(),
        ExtractExpression => "extract",
        CaseExpression => "case",
        _ => "?column?",
    };

    private LogicalPlan BindValues(ValuesBody values, IReadOnlyList<DataType>? targetTypes)
    {
        var width = values.Rows[0].Values.Count;
        var rows = new List<List<BoundExpression>>();
        foreach (var row in values.Rows)
        {
            if (row.Values.Count != width) throw Error(SqlStates.SyntaxError, $"VALUES lists must all be the same length ({width} expected, {row.Values.Count} given)", row.Position);
            var bound = new List<BoundExpression>(width);
            for (var c = 0; c < width; c++)
            {
                var e = BindExpression(row.Values[c], Scope.Empty);
                if (!e.IsConstant) throw Error(SqlStates.FeatureNotSupported, "VALUES may only contain constant expressions", row.Values[c].Position);
                if (targetTypes is not null) e = CoerceStringLiteral(e, targetTypes[c], row.Values[c].Position);
                bound.Add(e);
            }
            rows.Add(bound);
        }
        var types = new DataType[width];
        for (var c = 0; c < width; c++)
        {
            var column = c;
            types[c] = TypeRules.CommonType(rows.Select(r => r[column].Type))
                ?? throw Error(SqlStates.DatatypeMismatch, $"VALUES column {c + 1} mixes incompatible types", values.Position);
            if (types[c].Kind == TypeKind.Char) types[c] = DataType.Varchar(types[c].Length).WithNullable(types[c].Nullable);
        }
        var unified = rows.Select(r => (IReadOnlyList<BoundExpression>)r.Select((e, c) => FunctionRegistry.Coerce(e, types[c])).ToList()).ToList();
        return new LogicalValues(unified, types.Select((t, c) => new OutputColumn("column" + (c + 1), t)).ToList());
    }

    private LogicalPlan BindSetOperation(SetOperationBody s)
    {
        var left = BindBody(s.Left);
        var right = BindBody(s.Right);
        _setOperands.Add(left.Output);
        _setOperands.Add(right.Output);
        var name = s.Operator.ToString().ToUpperInvariant();
        if (left.Output.Count != right.Output.Count)
            throw Error(SqlStates.SyntaxError, $"each {name} query must have the same number of columns ({left.Output.Count} and {right.Output.Count})", s.Position);
        var types = left.Output.Zip(right.Output).Select((p, i) => TypeRules.CommonType(p.First.Type, p.Second.Type) ?? StringUnion(p.First.Type, p.Second.Type)
            ?? throw Error(SqlStates.DatatypeMismatch, $"{name} column {i + 1} mixes {p.First.Type.ToSql()} and {p.Second.Type.ToSql()}", s.Position)).ToList();
        var columns = left.Output.Select((c, i) => new OutputColumn(c.Name, types[i])).ToList();
        LogicalPlan Conform(LogicalPlan p) => p.Output.Select((c, i) => c.Type.Equals(types[i])).All(x => x) ? p
            : new LogicalProject(p, p.Output.Select((c, i) => FunctionRegistry.Coerce(BoundExpressions.Column(i, c.Type), types[i])).ToList(), columns);

        if (s.Operator == SetOperator.Union)
        {
            LogicalPlan plan = new LogicalUnionAll([Conform(left), Conform(right)], columns);
            if (!s.All)
            {
                var keys = plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList();
                plan = CollatedPlans.Aggregate(plan, keys, [], plan.Output);
            }
            return plan;
        }
        // INTERSECT / EXCEPT (distinct): tag each side's rows, union them, group by every column (GROUP BY treats NULLs
        // as equal, as set operations must), and keep the groups seen on both sides / only on the left.
        var n = columns.Count;
        LogicalPlan Tagged(LogicalPlan p, int fromLeft)
        {
            var exprs = Enumerable.Range(0, n).Select(i => (BoundExpression)BoundExpressions.Column(i, types[i]))
                .Append(BoundLiteral.Of(fromLeft)).Append(BoundLiteral.Of(1 - fromLeft)).ToList();
            return new LogicalProject(Conform(p), exprs, [.. columns, new OutputColumn("$left", DataType.Int), new OutputColumn("$right", DataType.Int)]);
        }
        var union = new LogicalUnionAll([Tagged(left, 1), Tagged(right, 0)], [.. columns, new OutputColumn("$left", DataType.Int.WithNullable(false)), new OutputColumn("$right", DataType.Int.WithNullable(false))]);
        var groupKeys = Enumerable.Range(0, n).Select(i => (BoundExpression)BoundExpressions.Column(i, types[i])).ToList();
        var inLeft = BoundExpressions.Aggregate(AggregateKind.Sum, BoundExpressions.Column(n, DataType.Int.WithNullable(false)));
        var inRight = BoundExpressions.Aggregate(AggregateKind.Sum, BoundExpressions.Column(n + 1, DataType.Int.WithNullable(false)));
        // A collated column shows a left operand's spelling of its group: the rows INTERSECT and EXCEPT keep all have one.
        var aggregate = CollatedPlans.Aggregate(union, groupKeys, [inLeft, inRight],
            [.. columns, new OutputColumn("$in_left", inLeft.Type), new OutputColumn("$in_right", inRight.Type)],
            i => BoundExpressions.Case([new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(n, DataType.Int.WithNullable(false)), BoundLiteral.Of(1)), groupKeys[i])], null));
        var leftCount = BoundExpressions.Column(n, inLeft.Type);
        var rightCount = BoundExpressions.Column(n + 1, inRight.Type);
        if (s.All) return ReplicateMultiplicities(aggregate, s.Operator, leftCount, rightCount, groupKeys, columns);
        var keep = BoundExpressions.And(
            BoundExpressions.Compare(ComparisonOperator.Greater, leftCount, BoundLiteral.Of(0L)),
            BoundExpressions.Compare(s.Operator == SetOperator.Intersect ? ComparisonOperator.Greater : ComparisonOperator.Equal, rightCount, BoundLiteral.Of(0L)));
        var filtered = new LogicalFilter(aggregate, keep);
        return new LogicalProject(filtered, groupKeys, columns);
    }
}
