using Tarn.Sql.Ast;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>WITH RECURSIVE, AS [NOT] MATERIALIZED, DISTINCT ON, ORDER BY inside aggregates, nested grouping sets, CREATE SCHEMA.</summary>
public class QueryExtensionTests
{
    public static TheoryData<string> Statements() =>
    [
        "WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t WHERE x < 5) SELECT * FROM t",
        "WITH a AS MATERIALIZED (SELECT 1), b(x) AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b",
        "WITH RECURSIVE t AS MATERIALIZED (SELECT 1 AS x UNION SELECT x FROM t) SELECT * FROM t",
        "WITH recursive AS (SELECT 1) SELECT * FROM recursive",
        "SELECT DISTINCT ON (a, b + 1) a, b, c FROM t ORDER BY a, b DESC",
        "SELECT string_agg(s, ',' ORDER BY i DESC NULLS FIRST, j), count(DISTINCT x ORDER BY y) FROM t",
        "SELECT count(*) FROM t GROUP BY GROUPING SETS (CUBE (a, b), GROUPING SETS (c, ()), ROLLUP (d), (e, f))",
        "CREATE SCHEMA IF NOT EXISTS s1",
        "DROP SCHEMA IF EXISTS s1 CASCADE",
        "FROM t WHERE a > 1 ORDER BY a",
        "CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 5",
    ];

    [Theory]
    [MemberData(nameof(Statements))]
    public void Reads_back_from_its_formatted_text(string sql) => RoundTrip(sql);

    [Fact]
    public void With_recursive_marks_every_entry()
    {
        var query = Stmt<QueryStatement>("WITH RECURSIVE a AS (SELECT 1), b AS (SELECT 2) SELECT 1").Query;
        Assert.All(query.With, cte => Assert.True(cte.Recursive));
        Assert.All(Stmt<QueryStatement>("WITH recursive AS (SELECT 1) SELECT 1").Query.With, cte => Assert.False(cte.Recursive));
    }

    [Fact]
    public void Materialized_is_kept_on_the_entry()
    {
        var with = Stmt<QueryStatement>("WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2), c AS (SELECT 3) SELECT 1").Query.With;
        Assert.Equal([true, false, null], with.Select(c => c.Materialized));
    }

    [Fact]
    public void Distinct_on_sets_distinct_too()
    {
        var select = Select("SELECT DISTINCT ON (a) a, b FROM t");
        Assert.True(select.Distinct);
        Assert.Single(select.DistinctOn);
    }

    [Fact]
    public void Order_by_inside_an_aggregate_is_kept_on_the_call()
    {
        var call = Assert.IsType<FunctionCall>(Select("SELECT string_agg(s, ',' ORDER BY i DESC) FROM t").Items[0].Expression);
        Assert.Equal(2, call.Arguments.Count);
        Assert.True(Assert.Single(call.OrderBy).Descending);
    }

    [Fact]
    public void From_first_selects_every_column() =>
        Assert.Equal(Select("SELECT * FROM t WHERE a > 1"), Select("FROM t WHERE a > 1"));

    [Fact]
    public void Create_recursive_view_is_a_view_over_with_recursive()
    {
        var view = Stmt<CreateViewStatement>("CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 5");
        var cte = Assert.Single(view.Query.With);
        Assert.True(cte.Recursive);
        Assert.Equal("nums", cte.Name.Value);
        Assert.Equal("SELECT * FROM nums", view.Query.Body.ToString());
    }

    [Fact]
    public void Create_schema_is_create_database() =>
        Assert.IsType<CreateDatabaseStatement>(Stmt("CREATE SCHEMA s1"));
}
