using Tarn.Sql.Ast;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class QueryTests
{
    private static Query Q(string sql) => Stmt<QueryStatement>(sql).Query;

    [Fact]
    public void Select_items_aliases_and_stars()
    {
        var select = Select("SELECT *, t.*, db.t.*, a AS x, b y, c + 1 `z z`, d FROM t");
        Assert.Equal(new StarExpression([], P), select.Items[0].Expression);
        Assert.Equal(new StarExpression([Id("t")], P), select.Items[1].Expression);
        Assert.Equal(new StarExpression([Id("db"), Id("t")], P), select.Items[2].Expression);
        Assert.Equal(Id("x"), select.Items[3].Alias);
        Assert.Equal(Id("y"), select.Items[4].Alias);
        Assert.Equal(Id("z z", true), select.Items[5].Alias);
        Assert.Null(select.Items[6].Alias);
        Assert.False(select.Distinct);
    }

    [Fact]
    public void Select_without_from_and_distinct()
    {
        var select = Select("select distinct 1");
        Assert.True(select.Distinct);
        Assert.Empty(select.From);
        Assert.False(Select("select all 1").Distinct);
    }

    [Fact]
    public void All_select_clauses()
    {
        var select = Select("""
            SELECT a, count(*) FROM t WHERE b > 0 GROUP BY a HAVING count(*) > 1
            WINDOW w AS (PARTITION BY a ORDER BY ts), w2 AS (w ROWS 1 PRECEDING)
            QUALIFY row_number() OVER w = 1
            """);
        Assert.NotNull(select.Where);
        Assert.Single(select.GroupBy);
        Assert.NotNull(select.Having);
        Assert.Equal(2, select.Windows.Count);
        Assert.Equal(Id("w"), select.Windows[1].Specification.BaseWindow);
        Assert.NotNull(select.Qualify);
    }

    [Fact]
    public void Group_by_grouping_sets_rollup_cube_mixed()
    {
        var select = Select("select 1 from t group by a, GROUPING SETS ((a, b), (c), (), d), ROLLUP (a, (b, c)), CUBE (x), ()");
        Assert.Equal(new ExpressionGrouping(Col("a"), P), select.GroupBy[0]);
        var sets = Assert.IsType<GroupingSets>(select.GroupBy[1]);
        Assert.Equal([new GroupingSet([Col("a"), Col("b")], P), new GroupingSet([Col("c")], P), new GroupingSet([], P), new GroupingSet([Col("d")], P)], sets.Sets);
        Assert.Equal(new Rollup([Col("a"), new RowConstructor([Col("b"), Col("c")], P)], P), select.GroupBy[2]);
        Assert.Equal(new Cube([Col("x")], P), select.GroupBy[3]);
        Assert.Equal(new GroupingSets([new GroupingSet([], P)], P), select.GroupBy[4]);
        Assert.Equal(new ExpressionGrouping(Col("rollup"), P), Select("select 1 from t group by rollup").GroupBy[0]);
    }

    [Fact]
    public void Set_operations_intersect_binds_tighter()
    {
        var body = Assert.IsType<SetOperationBody>(Q("select 1 union select 2 intersect select 3").Body);
        Assert.Equal(SetOperator.Union, body.Operator);
        Assert.Equal(SetOperator.Intersect, Assert.IsType<SetOperationBody>(body.Right).Operator);

        var left = Assert.IsType<SetOperationBody>(Q("select 1 except all select 2 union distinct select 3").Body);
        Assert.Equal((SetOperator.Union, false), (left.Operator, left.All));
        Assert.Equal((SetOperator.Except, true), (((SetOperationBody)left.Left).Operator, ((SetOperationBody)left.Left).All));

        var parenthesized = Assert.IsType<SetOperationBody>(Q("(select 1 union select 2) intersect select 3").Body);
        Assert.Equal(SetOperator.Intersect, parenthesized.Operator);
        Assert.Equal(SetOperator.Union, Assert.IsType<SetOperationBody>(parenthesized.Left).Operator);
    }

    [Fact]
    public void Order_by_and_row_limits()
    {
        var q = Q("select a from t union select b from u order by 1 desc, a nulls first limit 10 offset 5");
        Assert.IsType<SetOperationBody>(q.Body);
        Assert.Equal([new OrderItem(Int(1), true, NullOrdering.Default, P), new OrderItem(Col("a"), false, NullOrdering.First, P)], q.OrderBy);
        Assert.Equal((Int(10), Int(5)), (q.Limit, q.Offset));

        var fetch = Q("select a from t order by a asc offset 2 rows fetch first 3 rows only");
        Assert.Equal((Int(3), Int(2)), (fetch.Limit, fetch.Offset));
        Assert.Equal(Int(1), Q("select a from t fetch next row only").Limit);
        var limitAll = Q("select a from t limit all offset 1 row");
        Assert.Equal(((Expression?)null, Int(1)), (limitAll.Limit, limitAll.Offset));
        Assert.Equal(new ParameterExpression(ParameterStyle.QuestionMark, 1, null, P), Q("select a from t limit ?").Limit);
        StatementError("select a from t limit 1 fetch first 1 rows only", 1, 25, "expected end of statement");
    }

    [Fact]
    public void Parenthesized_query_with_its_own_order_is_kept()
    {
        var q = Q("(select a from t order by a limit 1) union all (select b from u)");
        var union = Assert.IsType<SetOperationBody>(q.Body);
        var nested = Assert.IsType<ParenthesizedBody>(union.Left);
        Assert.Single(nested.Query.OrderBy);
        Assert.IsType<SelectBody>(union.Right);
    }

    [Fact]
    public void With_clause()
    {
        var q = Q("WITH a (x, y) AS (SELECT 1, 2), b AS (SELECT * FROM a) SELECT * FROM b");
        Assert.Equal(2, q.With.Count);
        Assert.Equal([Id("x"), Id("y")], q.With[0].Columns);
        Assert.Equal(Id("b"), q.With[1].Name);
        Assert.Empty(q.With[1].Columns);
    }

    [Fact]
    public void Values_as_query_and_from_item()
    {
        var values = Assert.IsType<ValuesBody>(Q("VALUES (1, 'a'), (2, 'b')").Body);
        Assert.Equal([new ValuesRow([Int(1), Str("a")], P), new ValuesRow([Int(2), Str("b")], P)], values.Rows);
        Assert.Equal([new ValuesRow([Int(1)], P), new ValuesRow([Int(2)], P)], Assert.IsType<ValuesBody>(Q("values 1, 2").Body).Rows);

        var derived = Assert.IsType<DerivedTable>(Select("select * from (values (1, 'a')) as t(a, b)").From[0]);
        Assert.IsType<ValuesBody>(derived.Query.Body);
        Assert.Equal(new TableAlias(Id("t"), [Id("a"), Id("b")], P), derived.Alias);
    }

    [Fact]
    public void Table_references()
    {
        var from = Select("""
            select 1 from cat.db.orders /*+ OPTIONS('scan.snapshot-id'='3') */ AS o (a, b),
                (select 1) s, lateral (select 2) l, unnest(arr) with ordinality as u(x, i), x
            """).From;
        var orders = Assert.IsType<NamedTable>(from[0]);
        Assert.Equal(Name("cat", "db", "orders"), orders.Name);
        Assert.Equal([new Hint("OPTIONS", [], [new Property("scan.snapshot-id", "3", P)], P)], orders.Hints);
        Assert.Equal(new TableAlias(Id("o"), [Id("a"), Id("b")], P), orders.Alias);
        Assert.Equal(Id("s"), Assert.IsType<DerivedTable>(from[1]).Alias!.Name);
        Assert.True(Assert.IsType<DerivedTable>(from[2]).Lateral);
        var unnest = Assert.IsType<UnnestTable>(from[3]);
        Assert.True(unnest.WithOrdinality);
        Assert.Equal([Col("arr")], unnest.Arguments);
        Assert.Null(Assert.IsType<NamedTable>(from[4]).Alias);
    }

    [Fact]
    public void Table_valued_functions()
    {
        var tumble = Assert.IsType<FunctionTable>(Select("SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))").From[0]);
        Assert.False(tumble.Lateral);
        Assert.Equal(Name("TUMBLE"), tumble.Call.Name);
        Assert.Equal(3, tumble.Call.Arguments.Count);

        var from = Select("SELECT * FROM t, LATERAL TABLE(split(t.s)) AS w(word)").From;
        var split = Assert.IsType<FunctionTable>(from[1]);
        Assert.True(split.Lateral);
        Assert.Equal(new TableAlias(Id("w"), [Id("word")], P), split.Alias);

        StatementError("select * from table(1 + 2)", 1, 21, "expected a table function call");
    }

    [Fact]
    public void Joins()
    {
        var join = Assert.IsType<JoinedTable>(Select("""
            select * from a
              join b on a.id = b.id
              inner join c using (id, k)
              left outer join d on true
              right join e on true
              full outer join f on true
              cross join g
              left join lateral table(fn(a.x)) as t(y) on true
            """).From[0]);
        var joins = new List<JoinedTable>();
        TableReference current = join;
        while (current is JoinedTable j)
        {
            joins.Add(j);
            current = j.Left;
        }
        joins.Reverse();
        Assert.Equal([JoinType.Inner, JoinType.Inner, JoinType.Left, JoinType.Right, JoinType.Full, JoinType.Cross, JoinType.Left], joins.Select(j => j.Type));
        Assert.Equal(Name("a"), Assert.IsType<NamedTable>(current).Name);
        Assert.IsType<FunctionTable>(join.Right);
        Assert.Equal([Id("id"), Id("k")], joins[1].Using);
        Assert.Null(joins[1].On);
        Assert.Null(joins[5].On);
        Assert.Empty(joins[5].Using);
    }

    [Fact]
    public void Parenthesized_joins_nest()
    {
        var join = Assert.IsType<JoinedTable>(Select("select * from a join (b join c on b.x = c.x) on a.y = b.y").From[0]);
        Assert.IsType<JoinedTable>(join.Right);
        var derived = Assert.IsType<DerivedTable>(Select("select * from ((select 1) union (select 2)) t").From[0]);
        Assert.IsType<SetOperationBody>(derived.Query.Body);
    }

    [Fact]
    public void Temporal_join()
    {
        var join = Assert.IsType<JoinedTable>(Select("select * from o left join r FOR SYSTEM_TIME AS OF o.proctime AS r2 on o.k = r2.k").From[0]);
        var right = Assert.IsType<NamedTable>(join.Right);
        Assert.Equal(Col("o", "proctime"), right.SystemTime);
        Assert.Equal(Id("r2"), right.Alias!.Name);
    }

    [Fact]
    public void Semi_anti_and_natural_joins()
    {
        var semi = Assert.IsType<JoinedTable>(Select("select * from a semi join b on a.x = b.x").From[0]);
        Assert.Equal(JoinType.Semi, semi.Type);
        Assert.IsType<NamedTable>(semi.Left);
        Assert.Null(((NamedTable)semi.Left).Alias); // SEMI is a join keyword, not the alias of a
        var anti = Assert.IsType<JoinedTable>(Select("select * from a t anti join b using (x)").From[0]);
        Assert.Equal(JoinType.Anti, anti.Type);
        var natural = Assert.IsType<JoinedTable>(Select("select * from a natural left join b").From[0]);
        Assert.True(natural.Natural);
        Assert.Equal(JoinType.Left, natural.Type);
        Assert.Null(natural.On);
        var asOf = Assert.IsType<JoinedTable>(Select("select * from a asof left join b on a.t >= b.t").From[0]);
        Assert.True(asOf.AsOf);
        Assert.Equal(JoinType.Left, asOf.Type);
        Assert.Null(((NamedTable)asOf.Left).Alias);
        var aliased = Assert.IsType<NamedTable>(Select("select * from a semi").From[0]);
        Assert.Equal(Id("semi"), aliased.Alias!.Name);
    }

    [Theory]
    [InlineData("select * from a natural cross join b", 1, 17, "NATURAL CROSS JOIN is not allowed")]
    [InlineData("select * from a join b", 1, 23, "expected ON or USING")]
    [InlineData("select * from a left b", 1, 22, "expected JOIN")]
    [InlineData("select * from a for x", 1, 21, "expected SYSTEM_TIME")]
    public void Join_errors(string sql, int line, int column, string fragment) => StatementError(sql, line, column, fragment);

    [Fact]
    public void Select_hints()
    {
        var select = Select("select /*+ BROADCAST(t1, db.t2), NO_HASH_JOIN, LOOKUP('table'='d', 'async'='true'), X() */ * from t1");
        Assert.Equal(
            [
                new Hint("BROADCAST", ["t1", "db.t2"], [], P),
                new Hint("NO_HASH_JOIN", [], [], P),
                new Hint("LOOKUP", [], [new Property("table", "d", P), new Property("async", "true", P)], P),
                new Hint("X", [], [], P),
            ],
            select.Hints);
    }

    [Fact]
    public void Hints_elsewhere_are_errors()
    {
        StatementError("select a /*+ X */ from t", 1, 10, "unexpected '/*+'");
        StatementError("select /*+ X( */ a from t", 1, 15, "expected hint argument");
    }
}
