using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Planner.Optimizer.Rules;

namespace Tarn.Planner.Tests;

public sealed class CommonSubexpressionTests : PlannerTestBase
{
    private LogicalPlan Optimize(string sql) => new ReuseCommonSubexpressions().Apply(Bind(sql));

    private static int Count(BoundExpression root, BoundExpression part)
    {
        var n = 0;
        root.Walk(e => n += e.Equals(part) ? 1 : 0);
        return n;
    }

    [Fact]
    public void A_product_repeated_in_two_aggregates_is_computed_once_below()
    {
        var plan = Optimize("SELECT sum(amount * (1 - amount)), sum(amount * (1 - amount) * (1 + amount)), count(*) FROM orders");
        var aggregate = Find<LogicalAggregate>(plan);
        var below = Assert.IsType<LogicalProject>(aggregate.Input);
        var width = below.Input.Output.Count;
        var shared = Assert.Single(below.Expressions.Skip(width));
        Assert.Equal("(#2 * (1 - #2))", shared.ToString().Replace("CAST(", "", StringComparison.Ordinal).Replace(" AS DOUBLE)", "", StringComparison.Ordinal));
        var column = new BoundColumnRef(width, shared.Type);
        Assert.Equal(column, aggregate.Aggregates[0].Argument);
        Assert.Equal(1, Count(aggregate.Aggregates[1].Argument!, column));
        Assert.Equal(0, Count(aggregate.Aggregates[1].Argument!, shared));
    }

    [Fact]
    public void Projections_share_across_columns_and_keep_their_output()
    {
        var bound = Bind("SELECT upper(status) || 'x', char_length(upper(status)), id FROM orders");
        var plan = new ReuseCommonSubexpressions().Apply(bound);
        Assert.Equal(bound.Output, plan.Output);
        var project = Assert.IsType<LogicalProject>(plan);
        var below = Assert.IsType<LogicalProject>(project.Input);
        Assert.Single(below.Expressions.Skip(below.Input.Output.Count));
    }

    [Fact]
    public void Nothing_changes_without_repetition()
    {
        var bound = Bind("SELECT amount * 2, amount + 1 FROM orders");
        Assert.Same(bound, new ReuseCommonSubexpressions().Apply(bound));
    }

    [Theory]
    [InlineData("SELECT CASE WHEN id > 0 THEN 10 / id END, CASE WHEN id > 1 THEN 10 / id END FROM orders")]
    [InlineData("SELECT coalesce(amount, 10 / id), coalesce(amount + 1, 10 / id) FROM orders")]
    [InlineData("SELECT id <> 0 AND 10 / id > 1, id > 5 OR 10 / id > 2 FROM orders")]
    [InlineData("SELECT sum(10 / id) FILTER (WHERE id <> 0), max(10 / id) FILTER (WHERE id > 0) FROM orders")]
    [InlineData("SELECT rand() * 2, rand() * 2 FROM orders")]
    public void Conditionally_evaluated_or_volatile_expressions_stay_where_written(string sql)
    {
        var bound = Bind(sql);
        Assert.Same(bound, new ReuseCommonSubexpressions().Apply(bound));
    }

    [Fact]
    public void The_default_rules_keep_the_output()
    {
        var bound = Bind("SELECT status, sum(amount * 3) AS a, avg(amount * 3) AS b FROM orders WHERE id > 3 GROUP BY status");
        var plan = LogicalOptimizer.Optimize(bound);
        Assert.Equal(bound.Output.Select(c => c.Type), plan.Output.Select(c => c.Type));
        Assert.NotNull(FindOrNull<LogicalProject>(Find<LogicalAggregate>(plan)));
    }
}
