using Tarn.Sql.Ast;
using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>The statements of the Flink warehouse article, as written (minus its "..." placeholders).</summary>
public class ArticleTests
{
    [Fact]
    public void Use_catalog_and_databases()
    {
        var statements = SqlParser.ParseScript("""
            use catalog my_hive;
            -- build streaming database and tables;
            create database stream_db;
            use stream_db;
            """);
        Assert.Equal(3, statements.Count);
        Assert.Equal(Id("my_hive"), Assert.IsType<UseCatalogStatement>(statements[0]).Name);
        Assert.Equal(Name("stream_db"), Assert.IsType<CreateDatabaseStatement>(statements[1]).Name);
        Assert.Equal(Name("stream_db"), Assert.IsType<UseDatabaseStatement>(statements[2]).Name);
        Assert.Equal("use stream_db", statements[2].Text);
    }

    [Fact]
    public void Streaming_order_table()
    {
        var create = Stmt<CreateTableStatement>("""
            create table order_table (
                id long,
                amount double,
                user_id long,
                status string,
                ts timestamp,
                ts_day string,
                ts_hour string
            ) with (
                'connector.type' = 'kafka'
            );
            """);
        Assert.Equal(Name("order_table"), create.Name);
        Assert.Equal(7, create.Elements.Count);
        var types = create.Elements.Select(e => ((PhysicalColumn)e).Type).ToArray();
        Assert.Equal([DataType.BigInt, DataType.Double, DataType.BigInt, DataType.String, DataType.Timestamp(6), DataType.String, DataType.String], types);
        Assert.Equal("user_id", ((PhysicalColumn)create.Elements[2]).Name.Value);
        Assert.Equal([new Property("connector.type", "kafka", P)], create.Options);
        Assert.Null(create.Like);
    }

    [Fact]
    public void Batch_table_like_the_streaming_one()
    {
        var create = Stmt<CreateTableStatement>("""
            create table order_table like stream_db.order_table (excluding options)
            partitioned by (ts_day, ts_hour)
            with (
                'connector.type' = 'hive'
            );
            """);
        Assert.Empty(create.Elements);
        Assert.Equal(Name("stream_db", "order_table"), create.Like!.Source);
        Assert.Equal([new LikeOption(LikeMergeStrategy.Excluding, LikeFeature.Options, P)], create.Like.Options);
        Assert.Equal([Id("ts_day"), Id("ts_hour")], create.PartitionedBy);
        Assert.Equal("hive", create.Options[0].Value);
    }

    [Fact]
    public void Dimension_table_with_primary_key()
    {
        var create = Stmt<CreateTableStatement>("""
            create table user_info (
                user_id long,
                age int,
                address string,
                primary key (user_id)
            ) with (
                'connector.type' = 'jdbc'
            );
            """);
        var key = Assert.IsType<PrimaryKeyConstraint>(create.Elements[3]);
        Assert.Equal([Id("user_id")], key.Columns);
        Assert.False(key.NotEnforced);
        Assert.Null(key.Name);
    }

    [Fact]
    public void Import_batch_dimension_into_streaming()
    {
        var insert = Stmt<InsertStatement>("insert into user_info select * from batch_db.user_info;");
        Assert.Equal(Name("user_info"), insert.Table);
        var select = Assert.IsType<SelectBody>(insert.Source.Body);
        Assert.Equal(new StarExpression([], P), select.Items[0].Expression);
        Assert.Equal(Name("batch_db", "user_info"), Assert.IsType<NamedTable>(select.From[0]).Name);
    }

    [Fact]
    public void Dimension_join_for_system_time_as_of()
    {
        var insert = Stmt<InsertStatement>("""
            insert into order_with_user_age
            select * from order_table join user_info for system_time as of order_table.proctime on user_info.user_id = order_table.user_id;
            """);
        var join = Assert.IsType<JoinedTable>(Assert.IsType<SelectBody>(insert.Source.Body).From[0]);
        Assert.Equal(JoinType.Inner, join.Type);
        Assert.Equal(Name("order_table"), Assert.IsType<NamedTable>(join.Left).Name);
        var right = Assert.IsType<NamedTable>(join.Right);
        Assert.Equal(Name("user_info"), right.Name);
        Assert.Equal(Col("order_table", "proctime"), right.SystemTime);
        Assert.Null(right.Alias);
        Assert.Equal(Eq(Col("user_info", "user_id"), Col("order_table", "user_id")), join.On);
    }

    [Fact]
    public void Aggregate_into_mysql()
    {
        var insert = Stmt<InsertStatement>("insert into mysql_table select age, avg(amount) from order_with_user_age group by age;");
        var select = Assert.IsType<SelectBody>(insert.Source.Body);
        Assert.Equal(Col("age"), select.Items[0].Expression);
        Assert.Equal(Call("avg", Col("amount")), select.Items[1].Expression);
        Assert.Equal([new ExpressionGrouping(Col("age"), P)], select.GroupBy);
    }

    [Fact]
    public void Insert_from_log_table_with_qualified_target()
    {
        var insert = Stmt<InsertStatement>("insert into stream_db.order_table select id, amount from log_table");
        Assert.Equal(Name("stream_db", "order_table"), insert.Table);
    }

    [Fact]
    public void Placeholder_lines_are_rejected()
    {
        StatementError("create table t (\n    id long,\n    ... -- other fields\n    x int\n)", 3, 5, "unexpected '.'");
    }
}
