using System.Text;
using Tarn.Sql.Ast;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class DmlTests
{
    [Fact]
    public void Insert_forms()
    {
        var values = Stmt<InsertStatement>("INSERT INTO db.t (a, b) VALUES (1, 'x'), (2 + 3, upper('y'))");
        Assert.Equal(Name("db", "t"), values.Table);
        Assert.False(values.Overwrite);
        Assert.Equal([Id("a"), Id("b")], values.Columns);
        var rows = Assert.IsType<ValuesBody>(values.Source.Body).Rows;
        Assert.Equal([Add(Int(2), Int(3)), Call("upper", Str("y"))], rows[1].Values);

        var overwrite = Stmt<InsertStatement>("INSERT OVERWRITE t PARTITION (dt = '2024-01-01', h = -1, f = TRUE) SELECT * FROM s");
        Assert.True(overwrite.Overwrite);
        Assert.Equal([new PartitionValue(Id("dt"), Str("2024-01-01"), P), new PartitionValue(Id("h"), Int(-1), P), new PartitionValue(Id("f"), new BooleanLiteral(true, P), P)], overwrite.Partition);
        Assert.Empty(overwrite.Columns);

        Assert.IsType<InsertStatement>(Stmt("insert overwrite table t select 1"));
        var parenthesizedQuery = Stmt<InsertStatement>("insert into t (select 1)");
        Assert.Empty(parenthesizedQuery.Columns);
        Assert.IsType<SelectBody>(parenthesizedQuery.Source.Body);
        Assert.IsType<SetOperationBody>(Stmt<InsertStatement>("insert into t ((select 1) union (select 2))").Source.Body);
        Assert.IsType<SelectBody>(Stmt<InsertStatement>("insert into t with x as (select 1) select * from x").Source.Body);

        var hinted = Stmt<InsertStatement>("insert into t /*+ OPTIONS('sink.parallelism' = '2') */ select 1");
        Assert.Equal("OPTIONS", hinted.Hints[0].Name);
    }

    [Theory]
    [InlineData("insert t select 1", 1, 8, "expected INTO or OVERWRITE")]
    [InlineData("insert into t partition (a = b) select 1", 1, 30, "must be a literal")]
    [InlineData("insert into t (a, b)", 1, 21, "expected SELECT, VALUES, WITH or '('")]
    [InlineData("insert into t values (1,)", 1, 25, "expected expression")]
    [InlineData("insert into t values", 1, 21, "expected '(' or expression")]
    public void Insert_errors(string sql, int line, int column, string fragment) => StatementError(sql, line, column, fragment);

    [Fact]
    public void Update_and_delete()
    {
        Assert.Equal(
            new UpdateStatement(Name("t"), [new Assignment(Id("a"), Add(Col("a"), Int(1)), P), new Assignment(Id("b"), Str("x"), P)], Eq(Col("id"), Int(3)), P),
            Stmt("UPDATE t SET a = a + 1, b = 'x' WHERE id = 3"));
        Assert.Equal(new UpdateStatement(Name("db", "t"), [new Assignment(Id("a"), new NullLiteral(P), P)], null, P), Stmt("update db.t set a = null"));
        Assert.Equal(new DeleteStatement(Name("t"), null, P), Stmt("DELETE FROM t"));
        var delete = Stmt<DeleteStatement>("delete from t where id in (select id from u)");
        Assert.IsType<InSubqueryExpression>(delete.Where);
        StatementError("delete t", 1, 8, "expected FROM");
        StatementError("update t set a", 1, 15, "expected '='");
    }

    [Fact]
    public void Statement_sets()
    {
        var set = Stmt<StatementSetStatement>("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT CASE WHEN x THEN 1 END FROM t; END");
        Assert.Equal(2, set.Inserts.Count);
        Assert.Equal("INSERT INTO a SELECT 1", set.Inserts[0].Text);
        Assert.Equal("INSERT INTO b SELECT CASE WHEN x THEN 1 END FROM t", set.Inserts[1].Text);

        Assert.Single(Stmt<StatementSetStatement>("statement set begin insert into a select 1 end").Inserts);
        Assert.Equal(2, Stmt<StatementSetStatement>("BEGIN STATEMENT SET; INSERT INTO a VALUES (1); INSERT INTO b VALUES (2); END").Inserts.Count);

        StatementError("EXECUTE STATEMENT SET BEGIN END", 1, 29, "expected INSERT");
        StatementError("EXECUTE STATEMENT SET BEGIN SELECT 1; END", 1, 29, "expected INSERT");
        // INSERT is not reserved, so it reads as an alias of 1 and the error comes at INTO.
        StatementError("STATEMENT SET BEGIN INSERT INTO a SELECT 1 INSERT INTO b SELECT 2; END", 1, 51, "expected ';' or END");
        StatementError("STATEMENT SET BEGIN INSERT INTO a SELECT 1;", 1, 44, "expected INSERT or END");
    }

    [Fact]
    public void Large_insert_values_parses_every_row()
    {
        var sql = new StringBuilder("INSERT INTO t VALUES ");
        for (var i = 0; i < 10_000; i++)
            sql.Append(i == 0 ? "" : ", ").Append("(").Append(i).Append(", 'name ").Append(i).Append("', ").Append(i).Append(".5, ?)");
        var insert = Stmt<InsertStatement>(sql.ToString());
        var rows = Assert.IsType<ValuesBody>(insert.Source.Body).Rows;
        Assert.Equal(10_000, rows.Count);
        Assert.Equal([Int(9_999), Str("name 9999"), Dec("9999.5"), new ParameterExpression(ParameterStyle.QuestionMark, 10_000, null, P)], rows[^1].Values);
    }
}
