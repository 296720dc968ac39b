using Tarn.Sql.Ast;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class ScriptTests
{
    [Fact]
    public void Semicolons_in_strings_names_and_comments_do_not_split()
    {
        var statements = SqlParser.ParseScript("""
            select 'a;b' as `x;y` -- trailing; comment
            from t /* block ; comment */;
            ;;
            select "c;d" from u;
            """);
        Assert.Equal(2, statements.Count);
        Assert.Equal("select 'a;b' as `x;y` -- trailing; comment\nfrom t", statements[0].Text);
        Assert.Equal("select \"c;d\" from u", statements[1].Text);
    }

    [Fact]
    public void Empty_scripts_and_statements()
    {
        Assert.Empty(SqlParser.ParseScript(""));
        Assert.Empty(SqlParser.ParseScript(" ;; -- nothing\n ; /* here */ "));
        Assert.Single(SqlParser.ParseScript("select 1"));
    }

    [Fact]
    public void Statement_set_blocks_stay_together()
    {
        var statements = SqlParser.ParseScript("""
            SET 'pipeline.name' = 'x';
            EXECUTE STATEMENT SET
            BEGIN
              INSERT INTO a SELECT CASE WHEN x THEN 1 ELSE 2 END FROM t;
              INSERT INTO b SELECT 1;
            END;
            BEGIN STATEMENT SET;
            INSERT INTO c VALUES (1);
            END;
            EXPLAIN STATEMENT SET BEGIN INSERT INTO d SELECT 1; END;
            SELECT 2
            """);
        Assert.Equal(
            [typeof(SetStatement), typeof(StatementSetStatement), typeof(StatementSetStatement), typeof(ExplainStatement), typeof(QueryStatement)],
            statements.Select(s => s.GetType()));
        Assert.Equal(2, ((StatementSetStatement)statements[1]).Inserts.Count);
        Assert.StartsWith("EXECUTE STATEMENT SET", statements[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("END", statements[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_and_errors_are_relative_to_the_script()
    {
        var statements = SqlParser.ParseScript("select 1;\n\n  select\n    a from t;");
        Assert.Equal(new SourcePosition(3, 3), statements[1].Position);
        Assert.Equal(new SourcePosition(4, 5), Assert.IsType<SelectBody>(((QueryStatement)statements[1]).Query.Body).Items[0].Position);

        SyntaxError(() => SqlParser.ParseScript("select 1;\nselect a,\n  from t;\nselect 3"), 3, 3, "unexpected 'from', expected expression");
        SyntaxError(() => SqlParser.ParseScript("select 1;\nselect a from t where;\nselect 3"), 2, 22, "unexpected ';', expected expression");
        SyntaxError(() => SqlParser.ParseScript("select 1;\nselect a from t where"), 2, 22, "unexpected end of input, expected expression");
    }

    [Fact]
    public void Parse_statement_rejects_a_second_statement()
    {
        StatementError("select 1; select 2", 1, 9, "unexpected ';', expected end of statement");
        Assert.IsType<QueryStatement>(Stmt("select 1;;"));
    }

    [Fact]
    public void Split_returns_statement_texts_with_positions()
    {
        var segments = SqlScript.Split("use db;\n  select ';' from t  ;\nEXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END");
        Assert.Equal(
            [
                new SqlScriptSegment("use db", new SourcePosition(1, 1)),
                new SqlScriptSegment("select ';' from t", new SourcePosition(2, 3)),
                new SqlScriptSegment("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END", new SourcePosition(3, 1)),
            ],
            segments);
        SyntaxError(() => SqlScript.Split("select 'oops"), 1, 8, "unterminated string literal");
    }

    [Theory]
    [InlineData("select 1;", true)]
    [InlineData("select 1; -- done", true)]
    [InlineData("select 1", false)]
    [InlineData("select ';", false)]
    [InlineData("select 1 /* ;", false)]
    [InlineData("", false)]
    [InlineData(";", false)]
    [InlineData("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;", false)]
    [InlineData("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END;", true)]
    [InlineData("BEGIN STATEMENT SET;", false)]
    [InlineData("select # ;", true)]
    public void Is_complete(string sql, bool complete) => Assert.Equal(complete, SqlScript.IsComplete(sql));
}
