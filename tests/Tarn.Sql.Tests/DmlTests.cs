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
    public void Update_from_delete_using_truncate_and_defaults()
    {
        var update = Stmt<UpdateStatement>("WITH m AS (SELECT 1 AS k) UPDATE t AS x SET (a, b) = (1, m.k), c = DEFAULT FROM m, u JOIN v ON u.id = v.id WHERE x.id = m.k");
        Assert.Equal(Id("x"), update.Alias);
        Assert.Equal([Id("a"), Id("b"), Id("c")], update.Assignments.Select(a => a.Column).ToArray());
        Assert.Equal(2, update.From!.Count);
        Assert.Single(update.With!);
        Assert.Equal(3, Stmt<UpdateStatement>("update t set (a, b, c) = 3").Assignments.Count(a => a.Value == Int(3)));
        Assert.Null(Stmt<UpdateStatement>("update t set a = 1 where a = 2").Alias);

        var delete = Stmt<DeleteStatement>("delete from t d using (values (1)) v(i), w where d.a = v.i");
        Assert.Equal(Id("d"), delete.Alias);
        Assert.Equal(2, delete.Using!.Count);
        Assert.Null(Stmt<DeleteStatement>("delete from t using u").Alias);
        Assert.Single(Stmt<DeleteStatement>("with c as (select 1) delete from t where a in (select * from c)").With!);

        Assert.Equal(new TruncateStatement(Name("db", "t"), P), Stmt("TRUNCATE TABLE db.t"));
        Assert.Equal(new TruncateStatement(Name("t"), P), Stmt("truncate t"));

        Assert.True(Stmt<InsertStatement>("insert into t default values").DefaultValues);
        Assert.Single(Stmt<InsertStatement>("with c as (select 1) insert into t select * from c").Source.With);
        var column = Assert.IsType<CreateTableStatement>(Stmt("create table t (a int default 42 not null, b string default 'x')")).Elements[0];
        Assert.Equal(Int(42), Assert.IsType<PhysicalColumn>(column).Default);
        Assert.False(((PhysicalColumn)column).Type.Nullable);

        Assert.Equal(new TransactionStatement(TransactionAction.Begin, P), Stmt("BEGIN TRANSACTION"));
        Assert.Equal(new TransactionStatement(TransactionAction.Begin, P), Stmt("start transaction"));
        Assert.Equal(new TransactionStatement(TransactionAction.Commit, P), Stmt("commit work"));
        Assert.Equal(new TransactionStatement(TransactionAction.Rollback, P), Stmt("ABORT"));
        Assert.IsType<StatementSetStatement>(Stmt("BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END"));

        StatementError("update t set (a, b) = (1, 2, 3)", 1, 23, "2 columns are assigned 3 values");
        StatementError("update t set (a, b) = (select 1, 2)", 1, 23, "multi-column subquery");

        foreach (var sql in new[]
        {
            "WITH m AS (SELECT 1 AS k) UPDATE t AS x SET a = 1, b = m.k FROM m, u WHERE x.id = m.k",
            "DELETE FROM t AS d USING (VALUES (1)) AS v (i) WHERE d.a = v.i",
            "TRUNCATE TABLE t",
            "INSERT INTO t DEFAULT VALUES",
            "CREATE TABLE t (a INT NOT NULL DEFAULT 42, b STRING DEFAULT 'x')",
        })
        {
            var formatted = Formatting.SqlFormatter.Format(SqlParser.ParseStatement(sql));
            Assert.Equal(formatted, Formatting.SqlFormatter.Format(SqlParser.ParseStatement(formatted)));
        }
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
