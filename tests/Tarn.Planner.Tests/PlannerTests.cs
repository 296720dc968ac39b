using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Binding;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Storage.Engine;
using Tarn.Types;

namespace Tarn.Planner.Tests;

public sealed class PlannerTests : PlannerTestBase
{
    [Fact]
    public void Projection_pushdown_reads_only_the_columns_a_query_uses()
    {
        var plan = LogicalOptimizer.Optimize(Bind("SELECT status, sum(amount) FROM orders WHERE id > 5 GROUP BY status"));
        var scan = Find<LogicalScan>(plan);
        Assert.Equal(["id", "status", "amount"], scan.Columns.Select(c => c.Name));
        Assert.Equal(["status", "sum"], plan.Output.Select(c => c.Name));
    }

    [Fact]
    public void Filters_reach_the_scan_for_pruning_and_stay_above_it()
    {
        var plan = LogicalOptimizer.Optimize(Bind("SELECT id FROM orders WHERE ts >= '2024-01-01' AND amount < 10"));
        var scan = Find<LogicalScan>(plan);
        Assert.Equal(2, scan.Filters.Count);
        Assert.NotNull(Find<LogicalFilter>(plan));
        Assert.Contains("prune=", plan.Explain());
    }

    [Fact]
    public void Optimizer_keeps_every_plans_output_schema()
    {
        foreach (var sql in new[]
        {
            "SELECT * FROM orders",
            "SELECT DISTINCT status FROM orders ORDER BY status",
            "SELECT status, count(*) AS n FROM orders GROUP BY status HAVING count(*) > 1 ORDER BY n DESC LIMIT 3",
            "SELECT amount * 2 AS a2, upper(status) FROM orders WHERE id IN (1, 2, 3) ORDER BY id",
            "SELECT 1 UNION ALL SELECT 2",
            "WITH x AS (SELECT id FROM orders) SELECT count(*) FROM x",
        })
        {
            var bound = Bind(sql);
            var optimized = LogicalOptimizer.Optimize(bound);
            Assert.Equal(bound.Output.Select(c => (c.Name, c.Type)), optimized.Output.Select(c => (c.Name, c.Type)));
        }
    }

    [Theory]
    [InlineData("SELECT nope FROM orders", SqlStates.UndefinedColumn)]
    [InlineData("SELECT * FROM nope", SqlStates.UndefinedTable)]
    [InlineData("SELECT status, amount FROM orders GROUP BY status", SqlStates.GroupingError)]
    [InlineData("SELECT id FROM orders WHERE sum(amount) > 1", SqlStates.GroupingError)]
    [InlineData("SELECT id FROM orders WHERE status", SqlStates.DatatypeMismatch)]
    [InlineData("SELECT id FROM orders ORDER BY 9", SqlStates.InvalidParameterValue)]
    public void Binding_errors_have_codes_and_positions(string sql, string state)
    {
        var e = Assert.Throws<TarnException>(() => Bind(sql));
        Assert.Equal(state, e.SqlState);
        Assert.NotNull(e.Position);
    }

    [Fact]
    public void Time_travel_binds_to_a_snapshot_or_a_time()
    {
        Assert.Equal(new ScanVersion.SnapshotVersion(3), Find<LogicalScan>(Bind("SELECT * FROM orders /*+ OPTIONS('scan.snapshot-id'='3') */")).Version);
        var asOf = Find<LogicalScan>(Bind("SELECT * FROM orders FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:01'")).Version;
        Assert.Equal(new ScanVersion.TimestampVersion(1_704_067_201_000_000), asOf);
    }

    [Fact]
    public void Limit_moves_below_the_projection_that_drops_the_sort_column_so_a_top_n_applies()
    {
        var plan = LogicalOptimizer.Optimize(Bind("SELECT id FROM orders ORDER BY amount DESC LIMIT 3"));
        var limit = Find<LogicalLimit>(plan);
        Assert.IsType<LogicalSort>(limit.Input);
        Assert.Equal(["id"], plan.Output.Select(c => c.Name));
    }

    [Fact]
    public void Volatile_predicates_and_projections_stay_where_they_were_written()
    {
        var join = LogicalOptimizer.Optimize(Bind("SELECT a.id FROM orders a, orders b WHERE a.id = b.id AND RAND_INTEGER(10) < a.id"));
        Assert.Contains("RAND_INTEGER", Find<LogicalJoin>(join).Condition!.ToString(), StringComparison.Ordinal);
        var limited = LogicalOptimizer.Optimize(Bind("SELECT RAND() AS r FROM orders LIMIT 3"));
        Assert.IsType<LogicalLimit>(limited);
    }

    [Fact]
    public void Constant_predicates_fold_away_or_empty_the_relation()
    {
        Assert.Null(Find<LogicalFilter>(LogicalOptimizer.Optimize(Bind("SELECT id FROM orders WHERE TRUE AND 1 = 1 IS NOT NULL"))) is { } f && f.Predicate is Tarn.Planner.Expressions.BoundLiteral ? f : null);
        var empty = LogicalOptimizer.Optimize(Bind("SELECT id FROM orders WHERE FALSE AND id > 3"));
        Assert.NotNull(Find<LogicalValues>(empty));
        Assert.Null(Find<LogicalScan>(empty));
        var keeps = LogicalOptimizer.Optimize(Bind("SELECT id FROM orders WHERE TRUE AND id > 3"));
        Assert.NotNull(Find<LogicalFilter>(keeps));
        Assert.DoesNotContain("true", Find<LogicalFilter>(keeps).Predicate.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Join_order_puts_the_larger_input_on_the_probe_side()
    {
        await Catalog.CreateTableAsync(new ObjectPath("default_catalog", "default_database", "users"), new TableDef("users", 0,
            [new ColumnDef(0, "uid", DataType.BigInt), new ColumnDef(1, "name", DataType.String)],
            [], [], null, new Dictionary<string, string>(), null), false);
        var orders = Catalog.FindTable(new ObjectPath("default_catalog", "default_database", "orders"))!;
        var table = Engine.GetTable(orders.TableId)!;
        using (var builder = new Tarn.Storage.Tables.AppendBuilder(Engine, table))
        {
            builder.Add(MakeBatch(1000));
            await Engine.CommitAsync(builder.Finish());
        }
        var plan = LogicalOptimizer.Optimize(Bind("SELECT name, amount FROM users, orders WHERE uid = id"));
        var join = Find<LogicalJoin>(plan);
        Assert.Equal("orders", Find<LogicalScan>(join.Left).Table.Name);
        Assert.Equal("users", Find<LogicalScan>(join.Right).Table.Name);
        Assert.Equal(["name", "amount"], plan.Output.Select(c => c.Name));
    }

    private static Tarn.Vectors.ColumnBatch MakeBatch(int count)
    {
        var id = new Tarn.Vectors.PrimitiveVector<long>(DataType.BigInt, count);
        var status = new Tarn.Vectors.BinaryVector(DataType.String, count);
        var amount = new Tarn.Vectors.PrimitiveVector<double>(DataType.Double, count);
        var ts = new Tarn.Vectors.PrimitiveVector<long>(DataType.Timestamp(6), count);
        for (var i = 0; i < count; i++)
        {
            id.Append(i);
            status.Append("new");
            amount.Append(i * 0.5);
            ts.Append(i * 1_000_000L);
        }
        return new Tarn.Vectors.ColumnBatch([id, status, amount, ts], count);
    }
}
