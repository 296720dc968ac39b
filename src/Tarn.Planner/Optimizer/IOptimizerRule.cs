using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer;

/// <summary>One rewrite of the logical plan. Each rule lives in its own file under Rules/ and must preserve the plan's output columns.</summary>
public interface IOptimizerRule
{
    string Name { get; }
    LogicalPlan Apply(LogicalPlan plan);
}

/// <summary>Runs the rules in order and checks that none changes the output schema (DataFusion's invariant check).</summary>
public static class LogicalOptimizer
{
    public static IReadOnlyList<IOptimizerRule> DefaultRules { get; } =
    [
        new Rules.DecorrelateApply(),
        new Rules.SimplifyPredicates(),
        new Rules.FactorOrConjuncts(),
        new Rules.DeriveFiltersFromDisjunctions(),
        new Rules.PushFilterBelowWindowTvf(),
        new Rules.PushFilterThroughSemiJoin(),
        new Rules.PushFilterIntoJoin(),
        new Rules.PushFilterBelowTemporalJoin(),
        new Rules.PushFilterIntoScan(),
        new Rules.PushSemiJoinDown(),
        new Rules.ReorderJoins(),
        new Rules.ReduceJoinedAggregateInput(),
        new Rules.PushLimitDown(),
        new Rules.ReuseCommonSubexpressions(),
        new Rules.PruneScanColumns(),
    ];

    public static LogicalPlan Optimize(LogicalPlan plan, IReadOnlyList<IOptimizerRule>? rules = null, bool streaming = false)
    {
        if (!streaming) plan = WithoutWatermarks(plan);
        foreach (var rule in rules ?? DefaultRules)
        {
            var next = rule.Apply(plan);
            if (next.Output.Count != plan.Output.Count || next.Output.Zip(plan.Output).Any(p => !p.First.Type.Equals(p.Second.Type)))
                throw new TarnException(SqlStates.InternalError, $"optimizer rule {rule.Name} changed the plan's output columns");
            plan = next;
        }
        return plan;
    }

    /// <summary>Batch plans drop watermark assigners: event-time progress means nothing over a finite snapshot.</summary>
    private static LogicalPlan WithoutWatermarks(LogicalPlan plan)
    {
        if (plan is LogicalWatermarkAssigner w) return WithoutWatermarks(w.Input);
        var inputs = plan.Inputs;
        if (inputs.Count == 0) return plan;
        LogicalPlan[]? changed = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var stripped = WithoutWatermarks(inputs[i]);
            if (ReferenceEquals(stripped, inputs[i])) continue;
            changed ??= [.. inputs];
            changed[i] = stripped;
        }
        return changed is null ? plan : plan.WithInputs(changed);
    }
}
