using Tarn.Sql.Ast;
using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class DdlTests
{
    [Fact]
    public void Catalog_statements()
    {
        Assert.Equal(new CreateCatalogStatement(Id("c"), false, null, [new Property("type", "hive", P)], P), Stmt("CREATE CATALOG c WITH ('type' = 'hive')"));
        Assert.Equal(new CreateCatalogStatement(Id("c"), true, "note", [], P), Stmt("create catalog if not exists c comment 'note'"));
        Assert.Equal(new UseCatalogStatement(Id("c"), P), Stmt("USE CATALOG c"));
        Assert.Equal(new DropCatalogStatement(Id("c"), true, P), Stmt("DROP CATALOG IF EXISTS c"));
        Assert.Equal(new DropCatalogStatement(Id("c"), false, P), Stmt("drop catalog c"));
    }

    [Fact]
    public void Database_statements()
    {
        Assert.Equal(new CreateDatabaseStatement(Name("cat", "db"), true, "d", [new Property("k", "v", P)], P),
            Stmt("CREATE DATABASE IF NOT EXISTS cat.db COMMENT 'd' WITH ('k' = 'v')"));
        Assert.Equal(new UseDatabaseStatement(Name("cat", "db"), P), Stmt("use cat.db"));
        Assert.Equal(new UseDatabaseStatement(Name("catalog"), P), Stmt("use catalog"));
        Assert.Equal(new DropDatabaseStatement(Name("db"), false, false, P), Stmt("DROP DATABASE db"));
        Assert.Equal(new DropDatabaseStatement(Name("db"), false, false, P), Stmt("DROP DATABASE db RESTRICT"));
        Assert.Equal(new DropDatabaseStatement(Name("c", "db"), true, true, P), Stmt("drop database if exists c.db cascade"));
    }

    [Fact]
    public void Create_table_with_every_kind_of_element()
    {
        var create = Stmt<CreateTableStatement>("""
            CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (
                id BIGINT NOT NULL PRIMARY KEY NOT ENFORCED COMMENT 'the id',
                price DECIMAL(10, 2),
                total AS price * 2 COMMENT 'computed',
                ts TIMESTAMP(3),
                offs BIGINT METADATA FROM 'offset' VIRTUAL,
                part INT METADATA,
                WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
                CONSTRAINT pk PRIMARY KEY (id, ts) NOT ENFORCED
            ) COMMENT 'orders table'
            """);
        Assert.True(create.Temporary);
        Assert.True(create.IfNotExists);
        Assert.Equal(Name("cat", "db", "orders"), create.Name);
        Assert.Equal("orders table", create.Comment);
        Assert.Equal(
            [
                new PhysicalColumn(Id("id"), DataType.BigInt.WithNullable(false), true, "the id", P),
                new PhysicalColumn(Id("price"), DataType.Decimal(10, 2), false, null, P),
                new ComputedColumn(Id("total"), Mul(Col("price"), Int(2)), "computed", P),
                new PhysicalColumn(Id("ts"), DataType.Timestamp(3), false, null, P),
                new MetadataColumn(Id("offs"), DataType.BigInt, "offset", true, null, P),
                new MetadataColumn(Id("part"), DataType.Int, null, false, null, P),
                new WatermarkDefinition(Id("ts"), Bin(BinaryOperator.Subtract, Col("ts"), new IntervalLiteral("5", false, new IntervalQualifier(TimeUnit.Second), P)), P),
                new PrimaryKeyConstraint(Id("pk"), [Id("id"), Id("ts")], true, P),
            ],
            create.Elements);
    }

    [Fact]
    public void Table_clauses_in_any_order()
    {
        var a = Stmt<CreateTableStatement>("create table t (a int) partitioned by (a) with ('k'='v') like s (including all) comment 'c'");
        var b = Stmt<CreateTableStatement>("create table t (a int) comment 'c' like s (including all) with ('k'='v') partitioned by (a)");
        Assert.Equal(a, b);
        Assert.Equal([Id("a")], a.PartitionedBy);
        Assert.Equal("c", a.Comment);
        Assert.Equal(new TableLike(Name("s"), [new LikeOption(LikeMergeStrategy.Including, LikeFeature.All, P)], P), a.Like);
    }

    [Fact]
    public void Like_options_every_strategy_and_feature()
    {
        var like = Stmt<CreateTableStatement>("""
            create table t like s (
                INCLUDING ALL EXCLUDING CONSTRAINTS OVERWRITING GENERATED
                excluding options, including partitions, overwriting watermarks excluding metadata)
            """).Like!;
        Assert.Equal(
            [
                (LikeMergeStrategy.Including, LikeFeature.All), (LikeMergeStrategy.Excluding, LikeFeature.Constraints),
                (LikeMergeStrategy.Overwriting, LikeFeature.Generated), (LikeMergeStrategy.Excluding, LikeFeature.Options),
                (LikeMergeStrategy.Including, LikeFeature.Partitions), (LikeMergeStrategy.Overwriting, LikeFeature.Watermarks),
                (LikeMergeStrategy.Excluding, LikeFeature.Metadata),
            ],
            like.Options.Select(o => (o.Strategy, o.Feature)));
        Assert.Empty(Stmt<CreateTableStatement>("create table t like s").Like!.Options);
    }

    [Fact]
    public void Option_values_may_be_numbers_or_booleans()
    {
        var create = Stmt<CreateTableStatement>("create table t (a int) with ('n' = 3, 'f' = -1.5, 'b' = TRUE)");
        Assert.Equal([new Property("n", "3", P), new Property("f", "-1.5", P), new Property("b", "true", P)], create.Options);
    }

    [Fact]
    public void Create_table_as_select()
    {
        var ctas = Stmt<CreateTableAsStatement>("CREATE TABLE t WITH ('connector' = 'x') AS SELECT a FROM s");
        Assert.Equal(Name("t"), ctas.Name);
        Assert.Equal([new Property("connector", "x", P)], ctas.Options);
        Assert.IsType<SelectBody>(ctas.Query.Body);
        Assert.IsType<CreateTableAsStatement>(Stmt("create table if not exists t partitioned by (a) as select 1 as a"));
    }

    [Theory]
    [InlineData("create table t (a int) as select 1", 1, 24, "cannot also have a column list")]
    [InlineData("create table t", 1, 15, "expected '(', LIKE, AS or WITH")]
    [InlineData("create table t with ('a' = 'b')", 1, 32, "expected LIKE or AS")]
    [InlineData("create table t (a int) with ('a'='b') with ('c'='d')", 1, 39, "duplicate WITH clause")]
    [InlineData("create table t (a int) comment 'x' comment 'y'", 1, 36, "duplicate COMMENT clause")]
    [InlineData("create table t ()", 1, 17, "expected column definition")]
    [InlineData("create table t (a int,)", 1, 23, "expected column definition")]
    [InlineData("create table t (a int primary key enforced)", 1, 35, "unexpected 'enforced'")]
    [InlineData("create table t (a int) with ('a')", 1, 33, "expected '='")]
    [InlineData("create table t (a int) with (a = 'b')", 1, 30, "expected string literal")]
    [InlineData("create table t like s (including)", 1, 33, "expected ALL, CONSTRAINTS")]
    [InlineData("create temporary catalog c", 1, 18, "expected TABLE or VIEW")]
    [InlineData("create type t", 1, 8, "expected TABLE, VIEW, DATABASE, CATALOG, TEMPORARY or INDEX")]
    [InlineData("create index i", 1, 15, "expected ON")]
    [InlineData("create index i on t (a", 1, 23, "expected")]
    public void Create_table_errors(string sql, int line, int column, string fragment) => StatementError(sql, line, column, fragment);

    [Fact]
    public void Views()
    {
        var view = Stmt<CreateViewStatement>("CREATE TEMPORARY VIEW IF NOT EXISTS v (a, b) COMMENT 'x' AS SELECT 1, 2");
        Assert.Equal((true, true, "x"), (view.Temporary, view.IfNotExists, view.Comment));
        Assert.Equal([Id("a"), Id("b")], view.Columns);
        Assert.Empty(Stmt<CreateViewStatement>("create view db.v as select * from t").Columns);
        Assert.Equal(new DropViewStatement(Name("v"), true, true, P), Stmt("DROP TEMPORARY VIEW IF EXISTS v"));
        Assert.Equal(new DropTableStatement(Name("db", "t"), false, false, P), Stmt("drop table db.t"));
        Assert.Equal(new DropTableStatement(Name("t"), true, true, P), Stmt("drop temporary table if exists t"));
    }

    [Fact]
    public void Alter_table_actions()
    {
        Assert.Equal(new AlterTableAddStatement(Name("t"), false, [new PhysicalColumn(Id("c"), DataType.Int, false, null, P)], P), Stmt("ALTER TABLE t ADD c INT"));
        Assert.Equal(new AlterTableAddStatement(Name("t"), true, [new PhysicalColumn(Id("c"), DataType.String, false, "x", P)], P), Stmt("alter table if exists t add column c string comment 'x'"));
        var add = Stmt<AlterTableAddStatement>("ALTER TABLE t ADD (c INT, d AS c + 1, WATERMARK FOR ts AS ts, PRIMARY KEY (c) NOT ENFORCED)");
        Assert.Equal(4, add.Elements.Count);
        Assert.Equal(new AlterTableRenameStatement(Name("t"), false, Name("db", "u"), P), Stmt("ALTER TABLE t RENAME TO db.u"));
        Assert.Equal(new AlterTableRenameColumnStatement(Name("t"), false, Id("a"), Id("b"), P), Stmt("ALTER TABLE t RENAME COLUMN a TO b"));
        Assert.Equal(new AlterTableSetStatement(Name("t"), false, [new Property("k", "v", P), new Property("k2", "v2", P)], P), Stmt("ALTER TABLE t SET ('k' = 'v', 'k2' = 'v2')"));
        Assert.Equal(new AlterTableResetStatement(Name("t"), false, ["k", "k2"], P), Stmt("ALTER TABLE t RESET ('k', 'k2')"));
        Assert.Equal(new AlterTableDropColumnsStatement(Name("t"), false, [Id("c")], P), Stmt("ALTER TABLE t DROP COLUMN c"));
        Assert.Equal(new AlterTableDropColumnsStatement(Name("t"), false, [Id("c")], P), Stmt("ALTER TABLE t DROP c"));
        Assert.Equal(new AlterTableDropColumnsStatement(Name("t"), false, [Id("a"), Id("b")], P), Stmt("ALTER TABLE t DROP (a, b)"));
        StatementError("ALTER TABLE t MODIFY c INT", 1, 15, "expected ADD, RENAME, SET, RESET or DROP");
        StatementError("ALTER VIEW v RENAME TO w", 1, 7, "expected TABLE");
    }
}
