namespace Tarn.Tests.Differential;

/// <summary>A FROM clause and the columns it makes visible, with an upper bound on the rows it produces.</summary>
internal sealed record FromClause(DiffSql Sql, List<ScopeColumn> Columns, int MaxRows);

/// <summary>
/// Random queries over a <see cref="RandomSchema"/> whose results are fully determined as multisets, so that Tarn and
/// SQLite must agree row for row: projections, WHERE, DISTINCT, joins, GROUP BY/HAVING, set operations, ORDER BY with
/// LIMIT over every output column, and uncorrelated IN (subquery).
/// </summary>
internal sealed class QueryGenerator(Random random, IReadOnlyList<DiffTable> tables)
{
    private const int MaxDepth = 3;

    public DiffSql Next() => random.Next(14) switch
    {
        0 or 1 or 2 => Select(),
        3 or 4 => Aggregate(),
        5 => Aggregate(grouped: false),
        6 => SetOperation(),
        7 => OrderedLimit(),
        8 => InSubquery(),
        9 => AggregateOverDerivedTable(),
        10 => WithClause(),
        11 => AggregateOverSetOperation(),
        12 => ThreeWayJoin(),
        _ => Select(),
    };

    public FromClause From(bool allowJoin = true)
    {
        var first = tables[random.Next(tables.Count)];
        var columns = Columns(first, "a");
        if (!allowJoin || random.Next(3) == 0)
            return new FromClause(DiffSql.Same($"{first.Name} a"), columns, first.Rows.Count);
        var second = tables[random.Next(tables.Count)];
        var secondColumns = Columns(second, "b");
        var both = columns.Concat(secondColumns).ToList();
        var product = first.Rows.Count * second.Rows.Count;
        var kind = random.Next(3);
        var equiJoinable = columns.Any(l => l.Type != ColumnType.Boolean && secondColumns.Any(r => Generated.KindOf(l.Type) == Generated.KindOf(r.Type)));
        if (product > 6000 && !equiJoinable)
            return new FromClause(DiffSql.Same($"{first.Name} a"), columns, first.Rows.Count);
        if (kind == 0 && product <= 6000)
            return new FromClause(DiffSql.Same($"{first.Name} a CROSS JOIN {second.Name} b"), both, product);
        var on = JoinCondition(columns, secondColumns, both, equiOnly: product > 6000);
        var join = kind == 1 ? "LEFT JOIN" : "JOIN";
        return new FromClause(DiffSql.Concat($"{first.Name} a {join} {second.Name} b ON ", on), both, product);
    }

    /// <summary>An ON condition; large inputs always get an equality so that results stay small (a few thousand rows).</summary>
    private DiffSql JoinCondition(List<ScopeColumn> left, List<ScopeColumn> right, List<ScopeColumn> both, bool equiOnly)
    {
        var pairs = (from l in left from r in right where Generated.KindOf(l.Type) == Generated.KindOf(r.Type) && l.Type != ColumnType.Boolean select (l, r)).ToList();
        if (pairs.Count > 0 && (equiOnly || random.Next(3) != 0))
        {
            // An equi-join on one pair of columns, optionally with a residual predicate.
            var (l, r) = pairs[random.Next(pairs.Count)];
            var equality = DiffSql.Same($"{l.Qualified} = {r.Qualified}");
            return random.Next(3) == 0 ? DiffSql.Concat("(", equality, " AND ", new ExpressionGenerator(random, both).Bool(1).Sql, ")") : equality;
        }
        return new ExpressionGenerator(random, both).Bool(2).Sql;
    }

    private static List<ScopeColumn> Columns(DiffTable table, string alias) =>
        table.Columns.Select(c => new ScopeColumn($"{alias}.{c.Name}", c.Type, c.NotNull)).ToList();

    private DiffSql Where(ExpressionGenerator expressions) =>
        random.Next(4) == 0 ? DiffSql.Same("") : DiffSql.Concat(" WHERE ", expressions.Bool(MaxDepth).Sql);

    public DiffSql Select()
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var list = Enumerable.Range(0, random.Next(1, 5)).Select(_ => expressions.Any(random.Next(MaxDepth + 1)).Sql);
        var distinct = random.Next(4) == 0 ? "DISTINCT " : "";
        return DiffSql.Concat($"SELECT {distinct}", DiffSql.Join(", ", list), " FROM ", from.Sql, Where(expressions));
    }

    public DiffSql Aggregate(bool grouped = true)
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var list = new List<DiffSql>();
        var groupBy = DiffSql.Same("");
        if (grouped)
        {
            var keys = Enumerable.Range(0, random.Next(1, 3)).Select(_ => from.Columns[random.Next(from.Columns.Count)].Qualified).Distinct().ToList();
            list.AddRange(keys.Select(DiffSql.Same));
            groupBy = DiffSql.Same(" GROUP BY " + string.Join(", ", keys));
        }
        if (grouped && random.Next(3) == 0)
        {
            // GROUP BY an expression, repeated verbatim in the select list. It must use a column: SQLite reads a
            // constant integer there as a position in the select list.
            var key = expressions.Any(2).Sql;
            if (from.Columns.Any(c => key.Tarn.Contains(c.Qualified, StringComparison.Ordinal)))
            {
                list.Add(key);
                groupBy = DiffSql.Concat(groupBy, ", ", key);
            }
        }
        for (var i = random.Next(1, 4); i > 0; i--)
            list.Add(random.Next(4) == 0 ? AggregateExpression(expressions, from.MaxRows) : AggregateCall(expressions, from.MaxRows));
        var having = DiffSql.Same("");
        if (grouped && random.Next(2) == 0)
            having = DiffSql.Concat(" HAVING ", HavingPredicate(expressions, from.MaxRows));
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), " FROM ", from.Sql, Where(expressions), groupBy, having);
    }

    private DiffSql AggregateCall(ExpressionGenerator expressions, int maxRows, bool numericOnly = false)
    {
        switch (random.Next(8))
        {
            case 0:
                return DiffSql.Same("COUNT(*)");
            case 1:
                return DiffSql.Concat("COUNT(", expressions.Any(2).Sql, ")");
            case 2:
                return DiffSql.Concat("COUNT(DISTINCT ", expressions.Any(2).Sql, ")");
            case 3:
            case 4:
            {
                var operand = expressions.Numeric(2);
                // Integer sums must not overflow INT (Flink keeps SUM(INT) an INT).
                if (operand.Type != ColumnType.Double && operand.Bound * maxRows > 2e9)
                    return DiffSql.Same("COUNT(*)");
                return DiffSql.Concat(random.Next(4) == 0 ? "SUM(DISTINCT " : "SUM(", operand.Sql, ")");
            }
            case 5:
            case 6:
            {
                var operand = numericOnly || random.Next(2) == 0 ? expressions.Numeric(2) : expressions.String(2);
                return DiffSql.Concat(random.Next(2) == 0 ? "MIN(" : "MAX(", operand.Sql, ")");
            }
            default:
                return DiffSql.Concat("AVG(CAST(", expressions.Numeric(2).Sql, " AS DOUBLE))");
        }
    }

    /// <summary>Aggregates inside scalar expressions.</summary>
    private DiffSql AggregateExpression(ExpressionGenerator expressions, int maxRows)
    {
        var operand = expressions.Numeric(1);
        var max = DiffSql.Concat(random.Next(2) == 0 ? "MAX(" : "MIN(", operand.Sql, ")");
        return random.Next(3) switch
        {
            0 => DiffSql.Concat("(COUNT(*) + ", max, ")"),
            1 => DiffSql.Concat("COALESCE(", max, ", ", expressions.Literal(ValueKind.Numeric).Sql, ")"),
            _ => DiffSql.Concat("CASE WHEN (COUNT(*) > ", RandomSchema.Literal(random.Next(0, 5)), ") THEN ", AggregateCall(expressions, maxRows, numericOnly: true), " ELSE ", max, " END"),
        };
    }

    /// <summary>A derived table (subquery in FROM) of aliased expressions x0, x1, ... and its columns as d.x0, d.x1, ....</summary>
    private FromClause DerivedTable(string alias)
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var items = Enumerable.Range(0, random.Next(1, 4)).Select(_ => expressions.Any(random.Next(MaxDepth))).ToList();
        var distinct = random.Next(4) == 0 ? "DISTINCT " : "";
        var sql = DiffSql.Concat($"(SELECT {distinct}", DiffSql.Join(", ", items.Select((e, i) => DiffSql.Concat(e.Sql, $" AS x{i}"))), " FROM ", from.Sql, Where(expressions), $") {alias}");
        var columns = items.Select((e, i) => new ScopeColumn($"{alias}.x{i}", e.Type, false, e.Bound)).ToList();
        return new FromClause(sql, columns, from.MaxRows);
    }

    public DiffSql AggregateOverDerivedTable()
    {
        var derived = DerivedTable("d");
        var expressions = new ExpressionGenerator(random, derived.Columns);
        var key = derived.Columns[random.Next(derived.Columns.Count)].Qualified;
        var list = new List<DiffSql> { DiffSql.Same(key) };
        for (var i = random.Next(1, 3); i > 0; i--)
            list.Add(AggregateCall(expressions, derived.MaxRows));
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), " FROM ", derived.Sql, Where(expressions), $" GROUP BY {key}");
    }

    public DiffSql WithClause()
    {
        var derived = DerivedTable("q");
        var body = derived.Sql with { Tarn = derived.Sql.Tarn[1..^3], Sqlite = derived.Sql.Sqlite[1..^3] };
        var table = tables[random.Next(tables.Count)];
        var columns = derived.Columns.Concat(Columns(table, "t")).ToList();
        var join = table.Rows.Count * derived.MaxRows <= 6000 ? $" CROSS JOIN {table.Name} t" : "";
        var expressions = new ExpressionGenerator(random, join.Length == 0 ? derived.Columns : columns);
        var list = Enumerable.Range(0, random.Next(1, 4)).Select(_ => expressions.Any(random.Next(MaxDepth)).Sql);
        return DiffSql.Concat("WITH q AS (", body, ") SELECT ", DiffSql.Join(", ", list), " FROM q", join, Where(expressions));
    }

    public DiffSql AggregateOverSetOperation()
    {
        var kinds = Enumerable.Range(0, random.Next(1, 3)).Select(_ => (ValueKind)random.Next(3)).ToList();
        string[] ops = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"];
        var op = ops[random.Next(ops.Length)];
        var left = SimpleSelect(kinds, aliased: true, out var leftItems);
        var right = SimpleSelect(kinds, aliased: true, out var rightItems);
        var columns = kinds.Select((k, i) => new ScopeColumn($"u.x{i}", ExpressionGenerator.Widen(leftItems[i].Type, rightItems[i].Type), false,
            Math.Max(leftItems[i].Bound, rightItems[i].Bound))).ToList();
        var expressions = new ExpressionGenerator(random, columns);
        var list = new List<DiffSql> { DiffSql.Same("COUNT(*)") };
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            var operand = expressions.OfKind(random.Next(2) == 0 ? ValueKind.Numeric : ValueKind.String, 1).Sql;
            list.Add(DiffSql.Concat(random.Next(2) == 0 ? "MIN(" : "MAX(", operand, ")"));
        }
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), " FROM (", left, $" {op} ", right, ") u", Where(expressions));
    }

    public DiffSql ThreeWayJoin()
    {
        var first = tables[random.Next(tables.Count)];
        var second = tables[random.Next(tables.Count)];
        var third = tables[^1]; // the smallest, so that results stay small
        var a = Columns(first, "a");
        var b = Columns(second, "b");
        var c = Columns(third, "c");
        var ab = a.Concat(b).ToList();
        var all = ab.Concat(c).ToList();
        var on1 = JoinCondition(a, b, ab, equiOnly: true);
        var on2 = JoinCondition(ab, c, all, equiOnly: true);
        string[] joins = ["JOIN", "LEFT JOIN"];
        var expressions = new ExpressionGenerator(random, all);
        var list = Enumerable.Range(0, random.Next(1, 4)).Select(_ => expressions.Any(random.Next(MaxDepth)).Sql);
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), $" FROM {first.Name} a {joins[random.Next(2)]} {second.Name} b ON ", on1,
            $" {joins[random.Next(2)]} {third.Name} c ON ", on2, Where(expressions));
    }

    private DiffSql HavingPredicate(ExpressionGenerator expressions, int maxRows)
    {
        string[] ops = ["=", "<>", "<", "<=", ">", ">="];
        var parts = new List<DiffSql>();
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            var call = random.Next(2) == 0
                ? DiffSql.Same("COUNT(*)")
                : DiffSql.Concat(random.Next(2) == 0 ? "MIN(" : "MAX(", expressions.Numeric(1).Sql, ")");
            var literal = RandomSchema.Literal(random.Next(-3, 6));
            parts.Add(DiffSql.Concat("(", call, $" {ops[random.Next(ops.Length)]} {literal})"));
        }
        _ = maxRows;
        return DiffSql.Join(random.Next(2) == 0 ? " AND " : " OR ", parts);
    }

    public DiffSql SetOperation()
    {
        var kinds = Enumerable.Range(0, random.Next(1, 4)).Select(_ => (ValueKind)random.Next(3)).ToList();
        string[] ops = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"];
        return DiffSql.Concat(SimpleSelect(kinds), $" {ops[random.Next(ops.Length)]} ", SimpleSelect(kinds));
    }

    /// <summary>A single-table SELECT of expressions of the given kinds (an operand of a set operation).</summary>
    private DiffSql SimpleSelect(List<ValueKind> kinds) => SimpleSelect(kinds, aliased: false, out _);

    private DiffSql SimpleSelect(List<ValueKind> kinds, bool aliased, out List<Generated> items)
    {
        var from = From(allowJoin: random.Next(4) == 0);
        var expressions = new ExpressionGenerator(random, from.Columns);
        items = kinds.Select(k => expressions.OfKind(k, random.Next(MaxDepth))).ToList();
        var list = items.Select((e, i) => aliased ? DiffSql.Concat(e.Sql, $" AS x{i}") : e.Sql);
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), " FROM ", from.Sql, Where(expressions));
    }

    public DiffSql OrderedLimit()
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var count = random.Next(1, 4);
        var list = Enumerable.Range(0, count).Select(_ => expressions.Any(random.Next(MaxDepth)).Sql).ToList();
        var order = Enumerable.Range(1, count).Select(i =>
            $"{i}{(random.Next(2) == 0 ? " ASC" : " DESC")}{(random.Next(2) == 0 ? " NULLS FIRST" : " NULLS LAST")}");
        var offset = random.Next(3) == 0 ? $" OFFSET {random.Next(0, 20)}" : "";
        var distinct = random.Next(3) == 0 ? "DISTINCT " : "";
        return DiffSql.Concat($"SELECT {distinct}", DiffSql.Join(", ", list), " FROM ", from.Sql, Where(expressions),
            $" ORDER BY {string.Join(", ", order)} LIMIT {random.Next(0, 30)}{offset}");
    }

    /// <summary>
    /// <c>x [NOT] IN (SELECT ...)</c> as a conjunct of WHERE (where Tarn supports it). Tarn takes NOT IN only when both
    /// sides are NOT NULL by type, so its probe and subquery column are then NOT NULL columns or literals.
    /// </summary>
    public DiffSql InSubquery()
    {
        var negated = random.Next(3) == 0;
        var from = From(allowJoin: !negated && random.Next(3) == 0);
        var expressions = new ExpressionGenerator(random, from.Columns);
        var inner = tables[random.Next(tables.Count)];
        var innerColumns = Columns(inner, "s");
        var innerExpressions = new ExpressionGenerator(random, innerColumns);
        var kind = (ValueKind)random.Next(3);
        DiffSql probe, selected;
        if (negated)
        {
            probe = NotNullLeaf(from.Columns, expressions, kind);
            selected = NotNullLeaf(innerColumns, innerExpressions, kind);
        }
        else
        {
            probe = expressions.OfKind(kind, random.Next(3)).Sql;
            selected = innerExpressions.OfKind(kind, random.Next(3)).Sql;
        }
        var sub = DiffSql.Concat("SELECT ", selected, $" FROM {inner.Name} s",
            random.Next(2) == 0 ? DiffSql.Same("") : DiffSql.Concat(" WHERE ", innerExpressions.Bool(2).Sql));
        var predicate = DiffSql.Concat("(", probe, negated ? " NOT IN (" : " IN (", sub, "))");
        if (random.Next(3) == 0)
            predicate = DiffSql.Concat(predicate, " AND ", expressions.Bool(2).Sql);
        var list = Enumerable.Range(0, random.Next(1, 4)).Select(_ => expressions.Any(random.Next(MaxDepth)).Sql);
        return DiffSql.Concat("SELECT ", DiffSql.Join(", ", list), " FROM ", from.Sql, " WHERE ", predicate);
    }

    private DiffSql NotNullLeaf(List<ScopeColumn> columns, ExpressionGenerator expressions, ValueKind kind)
    {
        var candidates = columns.Where(c => c.NotNull && Generated.KindOf(c.Type) == kind).ToList();
        if (candidates.Count > 0 && random.Next(4) != 0)
            return DiffSql.Same(candidates[random.Next(candidates.Count)].Qualified);
        Generated literal;
        do literal = expressions.Literal(kind);
        while (literal.Sql.Tarn.StartsWith("CAST(NULL", StringComparison.Ordinal));
        return literal.Sql;
    }

    /// <summary>
    /// A ternary-logic-partitioning pair: a query and its three partitions by a predicate p (p, NOT p, p IS NULL),
    /// whose UNION ALL (or UNION, for DISTINCT) must give the same multiset. Tarn only.
    /// </summary>
    public (string Query, string Partitioned) TernaryLogicPartitioning() =>
        random.Next(3) == 0 ? AggregatePartitioning() : RowPartitioning();

    /// <summary>
    /// TLP for aggregates: MIN/MAX/SUM/COUNT(*) over the whole input (optionally per group) must equal the same
    /// aggregate (SUM for COUNT) over the partial results of the three partitions.
    /// </summary>
    private (string Query, string Partitioned) AggregatePartitioning()
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var p = expressions.Bool(MaxDepth).Sql.Tarn;
        string call, merge;
        switch (random.Next(4))
        {
            case 0:
                call = "COUNT(*)";
                merge = "SUM";
                break;
            case 1:
            {
                var operand = expressions.Numeric(2);
                if (operand.Type != ColumnType.Double && operand.Bound * from.MaxRows > 2e9)
                    goto case 0;
                call = $"SUM({operand.Sql.Tarn})";
                merge = "SUM";
                break;
            }
            default:
            {
                var operand = random.Next(2) == 0 ? expressions.Numeric(2) : expressions.String(2);
                merge = random.Next(2) == 0 ? "MIN" : "MAX";
                call = $"{merge}({operand.Sql.Tarn})";
                break;
            }
        }
        var key = random.Next(2) == 0 ? from.Columns[random.Next(from.Columns.Count)].Qualified : null;
        var select = key is null ? $"SELECT {call} AS v FROM {from.Sql.Tarn}" : $"SELECT {key} AS k, {call} AS v FROM {from.Sql.Tarn}";
        var groupBy = key is null ? "" : $" GROUP BY {key}";
        var partitions = $"{select} WHERE {p}{groupBy} UNION ALL {select} WHERE NOT ({p}){groupBy} UNION ALL {select} WHERE ({p}) IS NULL{groupBy}";
        return key is null
            ? ($"{select}", $"SELECT {merge}(x.v) FROM ({partitions}) x")
            : ($"{select}{groupBy}", $"SELECT x.k, {merge}(x.v) FROM ({partitions}) x GROUP BY x.k");
    }

    private (string Query, string Partitioned) RowPartitioning()
    {
        var from = From();
        var expressions = new ExpressionGenerator(random, from.Columns);
        var list = DiffSql.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => expressions.Any(random.Next(MaxDepth)).Sql)).Tarn;
        var p = expressions.Bool(MaxDepth).Sql.Tarn;
        var distinct = random.Next(4) == 0;
        var select = $"SELECT {(distinct ? "DISTINCT " : "")}{list} FROM {from.Sql.Tarn}";
        var union = distinct ? " UNION " : " UNION ALL ";
        return (select, $"{select} WHERE {p}{union}{select} WHERE NOT ({p}){union}{select} WHERE ({p}) IS NULL");
    }
}
