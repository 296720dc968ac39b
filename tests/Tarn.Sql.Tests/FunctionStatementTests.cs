using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>CREATE/DROP FUNCTION and MACRO (SQL macros, Flink's class-backed functions), CREATE/DROP SEQUENCE, COLLATE.</summary>
public class FunctionStatementTests
{
    [Fact]
    public void Sql_macros()
    {
        var m = Stmt<CreateMacroStatement>("CREATE FUNCTION my_func(x) AS (x + x)");
        Assert.Equal((false, false, false), (m.OrReplace, m.Temporary, m.IfNotExists));
        Assert.Equal([Id("x")], m.Parameters);
        Assert.Equal(Add(Col("x"), Col("x")), m.Body);
        var replaced = Stmt<CreateMacroStatement>("create or replace temp macro db.f(a, b) as a * b");
        Assert.Equal((true, true), (replaced.OrReplace, replaced.Temporary));
        Assert.Equal(Name("db", "f"), replaced.Name);
        Assert.True(Stmt<CreateMacroStatement>("CREATE MACRO IF NOT EXISTS zero() AS 0").IfNotExists);
        Assert.NotNull(Stmt<CreateMacroStatement>("CREATE MACRO tm(n) AS TABLE SELECT n").TableBody);
    }

    [Fact]
    public void Flink_class_functions_parse()
    {
        var f = Stmt<CreateExternalFunctionStatement>("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS my_udf AS 'com.example.MyUdf' LANGUAGE JAVA USING JAR '/a.jar', JAR '/b.jar'");
        Assert.Equal(("com.example.MyUdf", "JAVA", true, true), (f.ClassName, f.Language, f.Temporary, f.IfNotExists));
        Assert.Null(Stmt<CreateExternalFunctionStatement>("create function cat.db.f as 'x.Y'").Language);
    }

    [Fact]
    public void Drop_function_and_sequence()
    {
        Assert.Equal(new DropFunctionStatement(Name("f"), false, true, P), Stmt("DROP FUNCTION IF EXISTS f"));
        Assert.Equal(new DropFunctionStatement(Name("f"), true, false, P), Stmt("drop temporary system function f"));
        Assert.Equal(new DropFunctionStatement(Name("m"), false, false, P), Stmt("DROP MACRO TABLE m"));
        Assert.Equal(new DropSequenceStatement(Name("db", "s"), true, P), Stmt("DROP SEQUENCE IF EXISTS db.s CASCADE"));
    }

    [Fact]
    public void Sequences()
    {
        Assert.Equal(new CreateSequenceStatement(Name("s"), false, false, false, 1, null, null, null, false, P), Stmt("CREATE SEQUENCE s START 1"));
        Assert.Equal(new CreateSequenceStatement(Name("s"), true, false, true, -3, -1, -10, 5, true, P),
            Stmt("CREATE OR REPLACE SEQUENCE IF NOT EXISTS s INCREMENT BY -1 MINVALUE -10 MAXVALUE 5 START WITH -3 CYCLE"));
        Assert.Equal(new CreateSequenceStatement(Name("s"), false, false, false, null, 2, null, null, false, P),
            Stmt("create sequence s increment 2 no minvalue no maxvalue no cycle"));
        StatementError("CREATE SEQUENCE s START x", 1, 25, "expected integer");
        StatementError("CREATE SEQUENCE s FOO", 1, 19, "expected START");
    }

    [Theory]
    [InlineData("CREATE FUNCTION f(a, b) AS a + b * 2")]
    [InlineData("CREATE OR REPLACE TEMPORARY FUNCTION IF NOT EXISTS f() AS 1")]
    [InlineData("CREATE FUNCTION f AS 'a.B' LANGUAGE SCALA")]
    [InlineData("DROP TEMPORARY FUNCTION IF EXISTS f")]
    [InlineData("CREATE SEQUENCE s INCREMENT BY -2 MINVALUE -100 MAXVALUE -1 START WITH -5 CYCLE")]
    [InlineData("DROP SEQUENCE s")]
    [InlineData("SELECT a COLLATE NOCASE FROM t WHERE (a || b) COLLATE nocase = 'x' ORDER BY a COLLATE NOCASE")]
    [InlineData("CREATE TABLE t (a VARCHAR(10) COLLATE NOCASE NOT NULL, b STRING NOT NULL COLLATE NOCASE)")]
    [InlineData("SELECT CAST(a AS VARCHAR COLLATE NOCASE)")]
    public void Reads_back_from_its_formatted_text(string sql) => RoundTrip(sql);

    [Fact]
    public void Collations_are_kept_by_the_parser_and_the_formatter()
    {
        var create = Stmt<CreateTableStatement>("CREATE TABLE t (a VARCHAR COLLATE nocase NOT NULL, b STRING)");
        var a = (PhysicalColumn)create.Elements[0];
        Assert.Equal(("NOCASE", false), (a.Type.Collation, a.Type.Nullable));
        Assert.Null(((PhysicalColumn)create.Elements[1]).Type.Collation);
        Assert.Contains("COLLATE NOCASE", SqlFormatter.Format(create), StringComparison.Ordinal);
        var e = Assert.IsType<CollateExpression>(SqlParser.ParseExpression("x COLLATE NoCase"));
        Assert.Equal(("NOCASE", Col("x")), (e.Collation, e.Operand));
        // COLLATE binds tighter than ||, as in PostgreSQL.
        Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a || b COLLATE nocase"));
    }
}
