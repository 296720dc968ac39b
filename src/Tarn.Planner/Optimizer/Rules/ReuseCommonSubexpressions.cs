using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Computes an expression that a projection or an aggregation repeats only once: the repeated subexpression moves into
/// a projection below, which appends it as an extra column, and every occurrence reads that column. TPC-H Q1 repeats
/// <c>l_extendedprice * (1 - l_discount)</c> in two aggregates; this halves its arithmetic.
/// <para>Only occurrences evaluated for every row count: those inside a CASE branch after the first condition, a
/// COALESCE operand after the first, an AND/OR operand after the first, or the argument of an aggregate with FILTER may
/// be skipped by the engine for some rows, so moving them below could raise an error (division by zero, a failed cast)
/// the query as written would not. Volatile and correlated expressions never move.</para>
/// </summary>
public sealed class ReuseCommonSubexpressions : IOptimizerRule
{
    /// <summary>Bounds the work on pathological inputs; real queries share a handful of expressions.</summary>
    private const int MaxExtracted = 32;

    public string Name => "ReuseCommonSubexpressions";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var inputs = plan.Inputs;
        if (inputs.Count > 0)
        {
            var rewritten = new List<LogicalPlan>(inputs.Count);
            var changed = false;
            foreach (var input in inputs)
            {
                var r = Apply(input);
                rewritten.Add(r);
                changed |= !ReferenceEquals(r, input);
            }
            if (changed) plan = plan.WithInputs(rewritten);
        }
        return plan switch
        {
            LogicalProject p => RewriteProject(p),
            LogicalAggregate a => RewriteAggregate(a),
            _ => plan,
        };
    }

    private static LogicalPlan RewriteProject(LogicalProject project)
    {
        var roots = project.Expressions.ToList();
        var always = roots.Select(_ => true).ToList();
        if (Extract(project.Input, roots, always) is not { } below) return project;
        return project with { Input = below, Expressions = roots };
    }

    private static LogicalPlan RewriteAggregate(LogicalAggregate aggregate)
    {
        // Roots: the keys, then each aggregate's argument and filter (an argument under FILTER is conditional).
        var roots = new List<BoundExpression>();
        var always = new List<bool>();
        foreach (var k in aggregate.Keys)
        {
            roots.Add(k);
            always.Add(true);
        }
        foreach (var a in aggregate.Aggregates)
        {
            if (a.Argument is not null)
            {
                roots.Add(a.Argument);
                always.Add(a.Filter is null);
            }
            if (a.Filter is not null)
            {
                roots.Add(a.Filter);
                always.Add(true);
            }
        }
        if (Extract(aggregate.Input, roots, always) is not { } below) return aggregate;
        var next = 0;
        var keys = aggregate.Keys.Select(_ => roots[next++]).ToList();
        var aggregates = new List<AggregateCall>(aggregate.Aggregates.Count);
        foreach (var a in aggregate.Aggregates)
        {
            var argument = a.Argument is null ? null : roots[next++];
            var filter = a.Filter is null ? null : roots[next++];
            aggregates.Add(a with { Argument = argument, Filter = filter });
        }
        return aggregate with { Input = below, Keys = keys, Aggregates = aggregates };
    }

    /// <summary>
    /// Rewrites <paramref name="roots"/> in place to read shared subexpressions from new columns, and returns the
    /// projection over <paramref name="input"/> that computes them; null when nothing is shared.
    /// </summary>
    private static LogicalProject? Extract(LogicalPlan input, List<BoundExpression> roots, List<bool> always)
    {
        var width = input.Output.Count;
        var extracted = new List<BoundExpression>();
        while (extracted.Count < MaxExtracted && MostValuableShared(roots, always) is { } shared)
        {
            var column = new BoundColumnRef(width + extracted.Count, shared.Type);
            extracted.Add(shared);
            for (var i = 0; i < roots.Count; i++)
                roots[i] = ExpressionRewriter.Rewrite(roots[i], e => e.Equals(shared) ? column : null);
        }
        if (extracted.Count == 0) return null;
        var expressions = new List<BoundExpression>(width + extracted.Count);
        var columns = new List<OutputColumn>(width + extracted.Count);
        for (var i = 0; i < width; i++)
        {
            expressions.Add(new BoundColumnRef(i, input.Output[i].Type));
            columns.Add(input.Output[i]);
        }
        for (var i = 0; i < extracted.Count; i++)
        {
            expressions.Add(extracted[i]);
            columns.Add(new OutputColumn($"$cse{i}", extracted[i].Type));
        }
        return new LogicalProject(input, expressions, columns);
    }

    /// <summary>The largest subexpression evaluated for every row at least twice across the roots, if any.</summary>
    private static BoundExpression? MostValuableShared(List<BoundExpression> roots, List<bool> always)
    {
        var counts = new Dictionary<BoundExpression, int>();
        for (var i = 0; i < roots.Count; i++)
        {
            if (always[i]) CountUnconditional(roots[i], counts);
        }
        BoundExpression? best = null;
        var bestSize = 0;
        foreach (var (e, n) in counts)
        {
            if (n < 2) continue;
            var size = Size(e);
            if (size > bestSize)
            {
                best = e;
                bestSize = size;
            }
        }
        return best;
    }

    /// <summary>Counts the candidate nodes of <paramref name="e"/> that are evaluated for every row.</summary>
    private static void CountUnconditional(BoundExpression e, Dictionary<BoundExpression, int> counts)
    {
        if (e is BoundColumnRef or BoundParameter or BoundLiteral or BoundOuterRef) return;
        if (IsCandidate(e)) counts[e] = counts.GetValueOrDefault(e) + 1;
        switch (e)
        {
            case BoundCase c:
                if (c.Whens.Count > 0) CountUnconditional(c.Whens[0].Condition, counts);
                return;
            case BoundCoalesce c:
                if (c.Operands.Count > 0) CountUnconditional(c.Operands[0], counts);
                return;
            case BoundLogical l:
                if (l.Operands.Count > 0) CountUnconditional(l.Operands[0], counts);
                return;
        }
        foreach (var child in e.Children) CountUnconditional(child, counts);
    }

    private static bool IsCandidate(BoundExpression e)
    {
        if (e.IsConstant || e.IsVolatile) return false;
        var correlated = false;
        e.Walk(x => correlated |= x is BoundOuterRef);
        return !correlated;
    }

    private static int Size(BoundExpression e)
    {
        var n = 0;
        e.Walk(_ => n++);
        return n;
    }
}
