using Tarn.Sql.Ast;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>SHOW, DESCRIBE, EXPLAIN, SET / RESET and STOP JOB.</summary>
public class StatementTests
{
    [Fact]
    public void Show_statements()
    {
        Assert.Equal(new ShowCatalogsStatement(P), Stmt("SHOW CATALOGS"));
        Assert.Equal(new ShowCurrentCatalogStatement(P), Stmt("show current catalog"));
        Assert.Equal(new ShowDatabasesStatement(null, null, P), Stmt("SHOW DATABASES"));
        Assert.Equal(new ShowDatabasesStatement(Id("c"), new ShowFilter("a%", false, true, P), P), Stmt("SHOW DATABASES IN c ILIKE 'a%'"));
        Assert.Equal(new ShowCurrentDatabaseStatement(P), Stmt("SHOW CURRENT DATABASE"));
        Assert.Equal(new ShowTablesStatement(null, null, P), Stmt("SHOW TABLES"));
        Assert.Equal(new ShowTablesStatement(Name("c", "db"), new ShowFilter("o%", false, false, P), P), Stmt("SHOW TABLES FROM c.db LIKE 'o%'"));
        Assert.Equal(new ShowTablesStatement(Name("db"), new ShowFilter("x", true, false, P), P), Stmt("show tables in db not like 'x'"));
        Assert.Equal(new ShowViewsStatement(null, null, P), Stmt("SHOW VIEWS"));
        Assert.Equal(new ShowFunctionsStatement(false, null, P), Stmt("SHOW FUNCTIONS"));
        Assert.Equal(new ShowFunctionsStatement(true, null, P), Stmt("SHOW USER FUNCTIONS"));
        Assert.Equal(new ShowColumnsStatement(Name("t"), null, P), Stmt("SHOW COLUMNS FROM t"));
        Assert.Equal(new ShowJobsStatement(P), Stmt("SHOW JOBS"));
        Assert.Equal(new ShowCreateStatement(Name("db", "t"), false, P), Stmt("SHOW CREATE TABLE db.t"));
        Assert.Equal(new ShowCreateStatement(Name("v"), true, P), Stmt("SHOW CREATE VIEW v"));
        StatementError("SHOW TABLE", 1, 6, "expected CATALOGS, CURRENT, DATABASES, TABLES, VIEWS, FUNCTIONS, COLUMNS, JOBS or CREATE");
        StatementError("SHOW TABLES NOT 'x'", 1, 17, "expected LIKE or ILIKE");
    }

    [Fact]
    public void Describe()
    {
        Assert.Equal(new DescribeStatement(Name("t"), P), Stmt("DESCRIBE t"));
        Assert.Equal(new DescribeStatement(Name("c", "db", "t"), P), Stmt("desc c.db.t"));
    }

    [Fact]
    public void Explain()
    {
        var plain = Stmt<ExplainStatement>("EXPLAIN SELECT 1");
        Assert.Empty(plain.Details);
        Assert.IsType<QueryStatement>(plain.Statement);
        Assert.Equal("SELECT 1", plain.Statement.Text);
        Assert.IsType<InsertStatement>(Stmt<ExplainStatement>("EXPLAIN PLAN FOR INSERT INTO t SELECT 1").Statement);
        var details = Stmt<ExplainStatement>("EXPLAIN ESTIMATED_COST, CHANGELOG_MODE, PLAN_ADVICE, JSON_EXECUTION_PLAN SELECT 1");
        Assert.Equal([ExplainDetail.EstimatedCost, ExplainDetail.ChangelogMode, ExplainDetail.PlanAdvice, ExplainDetail.JsonExecutionPlan], details.Details);
        Assert.IsType<StatementSetStatement>(Stmt<ExplainStatement>("EXPLAIN STATEMENT SET BEGIN INSERT INTO t SELECT 1; END").Statement);
        StatementError("EXPLAIN DROP TABLE t", 1, 9, "EXPLAIN accepts a query, an INSERT or a statement set");
    }

    [Fact]
    public void Session_options()
    {
        Assert.Equal(new SetStatement(null, null, P), Stmt("SET"));
        Assert.Equal(new SetStatement(null, null, P), Stmt("SET;"));
        Assert.Equal(new SetStatement("table.exec.state.ttl", "1 h", P), Stmt("SET 'table.exec.state.ttl' = '1 h'"));
        Assert.Equal(new SetStatement("parallelism.default", "4", P), Stmt("set parallelism.default = 4"));
        Assert.Equal(new SetStatement("execution.runtime_mode", "batch", P), Stmt("set execution.runtime_mode = batch"));
        Assert.Equal(new ResetStatement(null, P), Stmt("RESET"));
        Assert.Equal(new ResetStatement("a.b", P), Stmt("RESET 'a.b'"));
        StatementError("SET 'a'", 1, 8, "expected '='");
    }

    [Fact]
    public void Stop_job()
    {
        Assert.Equal(new StopJobStatement("abc123", false, false, P), Stmt("STOP JOB 'abc123'"));
        Assert.Equal(new StopJobStatement("j", true, false, P), Stmt("stop job 'j' with savepoint"));
        Assert.Equal(new StopJobStatement("j", false, true, P), Stmt("stop job 'j' with drain"));
        Assert.Equal(new StopJobStatement("j", true, true, P), Stmt("STOP JOB 'j' WITH SAVEPOINT WITH DRAIN"));
        StatementError("STOP JOB 'j' WITH FORCE", 1, 19, "expected SAVEPOINT or DRAIN");
        StatementError("STOP JOB j", 1, 10, "expected string literal");
    }

    [Fact]
    public void Statement_text_is_the_source_without_the_semicolon()
    {
        var statement = Stmt("  SELECT a -- comment\n  FROM t ;  ");
        Assert.Equal("SELECT a -- comment\n  FROM t", statement.Text);
        Assert.Equal(new SourcePosition(1, 3), statement.Position);
    }

    [Fact]
    public void Statement_equality_ignores_text()
    {
        Assert.Equal(Stmt("select 1"), Stmt("SELECT   1"));
        Assert.NotEqual(Stmt("select 1").Text, Stmt("SELECT   1").Text);
    }

    [Fact]
    public void Unknown_statement()
    {
        StatementError("VACUUM ALL ON t", 1, 1, "unexpected 'VACUUM', expected statement");
        StatementError("GRANT ALL ON t", 1, 15, "TO"); // GRANT is a statement now (SecurityGrammar)
        StatementError("", 1, 1, "unexpected end of input, expected statement");
        StatementError("42", 1, 1, "expected statement");
    }
}
