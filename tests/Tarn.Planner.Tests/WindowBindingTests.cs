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

/// <summary>Where the binder puts <see cref="LogicalWindow"/> and what it records for each OVER call.</summary>
public sealed class WindowBindingTests : PlannerTestBase
{
    [Fact]
    public void Windows_run_after_grouping_and_having_and_before_order_by()
    {
        var plan = Bind("SELECT status, rank() OVER (ORDER BY sum(amount) DESC) AS r FROM orders GROUP BY status HAVING count(*) > 1 ORDER BY r");
        var sort = FindOrNull<LogicalSort>(plan)!;
        var window = FindOrNull<LogicalWindow>(sort)!;
        var having = Assert.IsType<LogicalFilter>(window.Input);
        Assert.IsType<LogicalAggregate>(having.Input);
        var f = Assert.Single(window.Functions);
        Assert.Equal(WindowFunctionKind.Rank, f.Kind);
        Assert.True(f.OrderBy[0].Descending);
        Assert.Equal(["status", "r"], plan.Output.Select(c => c.Name));
    }

    [Fact]
    public void Default_frames_follow_the_presence_of_order_by()
    {
        var window = FindOrNull<LogicalWindow>(Bind("SELECT sum(amount) OVER (ORDER BY id), sum(amount) OVER (PARTITION BY status) FROM orders"))!;
        Assert.Equal(WindowFrameSpec.DefaultOrdered, window.Functions[0].Frame);
        Assert.Equal(WindowFrameSpec.WholePartition, window.Functions[1].Frame);
    }

    [Fact]
    public void Named_windows_are_refined_and_identical_calls_are_computed_once()
    {
        var plan = Bind("SELECT row_number() OVER (w ORDER BY id) FROM orders WINDOW w AS (PARTITION BY status) ORDER BY row_number() OVER (w ORDER BY id)");
        var window = FindOrNull<LogicalWindow>(plan)!;
        var f = Assert.Single(window.Functions);
        Assert.Single(f.PartitionBy);
        Assert.Single(f.OrderBy);
        Assert.Single(plan.Output);
    }

    [Fact]
    public void Column_pruning_keeps_only_what_windows_read()
    {
        var plan = LogicalOptimizer.Optimize(Bind("SELECT row_number() OVER (PARTITION BY status ORDER BY amount) FROM orders"));
        Assert.Equal(["status", "amount"], FindOrNull<LogicalScan>(plan)!.Columns.Select(c => c.Name));
        Assert.Equal(DataType.BigInt.WithNullable(false), plan.Output[0].Type);
    }

    [Theory]
    [InlineData("SELECT id FROM orders WHERE rank() OVER (ORDER BY id) = 1", "42P20")]
    [InlineData("SELECT count(*) FROM orders GROUP BY rank() OVER (ORDER BY id)", "42P20")]
    [InlineData("SELECT status FROM orders GROUP BY status HAVING rank() OVER () = 1", "42P20")]
    [InlineData("SELECT sum(rank() OVER (ORDER BY id)) OVER () FROM orders", "42P20")]
    [InlineData("SELECT sum(rank() OVER (ORDER BY id)) FROM orders", "42803")]
    [InlineData("SELECT sum(amount) OVER (ORDER BY id, ts RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM orders", "42P20")]
    [InlineData("SELECT sum(amount) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 2 PRECEDING) FROM orders", "42P20")]
    [InlineData("SELECT rank() OVER w FROM orders", "42704")]
    [InlineData("SELECT rank() OVER w FROM orders WINDOW w AS (ORDER BY id), w AS (ORDER BY ts)", "42P20")]
    [InlineData("SELECT rank() OVER (w ORDER BY ts) FROM orders WINDOW w AS (ORDER BY id)", "42P20")]
    [InlineData("SELECT lower(status) OVER () FROM orders", "42883")]
    public void Misplaced_or_malformed_windows_are_rejected(string sql, string sqlState)
    {
        var e = Assert.Throws<TarnException>(() => Bind(sql));
        Assert.Equal(sqlState, e.SqlState);
    }
}
