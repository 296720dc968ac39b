using Tarn.Planner.Expressions;

namespace Tarn.Planner.Optimizer;

/// <summary>Rebuilds bound expression trees bottom-up with a replacement function.</summary>
public static class ExpressionRewriter
{
    /// <summary>
    /// Applies <paramref name="replace"/> to every node, children first; a null return keeps the (rebuilt) node.
    /// </summary>
    public static BoundExpression Rewrite(BoundExpression e, Func<BoundExpression, BoundExpression?> replace)
    {
        BoundExpression R(BoundExpression x) => Rewrite(x, replace);
        EquatableArray<BoundExpression> RA(EquatableArray<BoundExpression> xs) => new(xs.Select(R));
        BoundExpression rebuilt = e switch
        {
            BoundColumnRef or BoundParameter or BoundLiteral or BoundOuterRef => e,
            BoundCast c => c with { Operand = R(c.Operand) },
            BoundArithmetic a => a with { Left = R(a.Left), Right = R(a.Right) },
            BoundNegate n => n with { Operand = R(n.Operand) },
            BoundConcat c => c with { Left = R(c.Left), Right = R(c.Right) },
            BoundComparison c => c with { Left = R(c.Left), Right = R(c.Right) },
            BoundCase c => c with
            {
                Whens = new EquatableArray<BoundWhen>(c.Whens.Select(w => new BoundWhen(R(w.Condition), R(w.Result)))),
                Else = c.Else is null ? null : R(c.Else),
            },
            BoundCoalesce c => c with { Operands = RA(c.Operands) },
            BoundFunctionCall f => f with { Arguments = RA(f.Arguments) },
            BoundLogical l => l with { Operands = RA(l.Operands) },
            BoundNot n => n with { Operand = R(n.Operand) },
            BoundIsNull n => n with { Operand = R(n.Operand) },
            BoundIsTruth t => t with { Operand = R(t.Operand) },
            BoundInList i => i with { Operand = R(i.Operand), Values = RA(i.Values) },
            BoundLike l => l with { Operand = R(l.Operand), Pattern = R(l.Pattern), Escape = l.Escape is null ? null : R(l.Escape) },
            _ => throw new InvalidOperationException($"ExpressionRewriter does not know {e.GetType().Name}"),
        };
        return replace(rebuilt) ?? rebuilt;
    }

    /// <summary>Renumbers column references through <paramref name="map"/> (old index → new index).</summary>
    public static BoundExpression RemapColumns(BoundExpression e, Func<int, int> map) =>
        Rewrite(e, x => x is BoundColumnRef c ? c with { Index = map(c.Index) } : null);

    /// <summary>Replaces column references with the given expressions (inlining a projection).</summary>
    public static BoundExpression Substitute(BoundExpression e, IReadOnlyList<BoundExpression> columns) =>
        Rewrite(e, x => x is BoundColumnRef c ? columns[c.Index] : null);

    public static AggregateCall RemapColumns(AggregateCall a, Func<int, int> map) => a with
    {
        Argument = a.Argument is null ? null : RemapColumns(a.Argument, map),
        Filter = a.Filter is null ? null : RemapColumns(a.Filter, map),
    };

    /// <summary>Splits a predicate into its AND-ed parts.</summary>
    public static List<BoundExpression> Conjuncts(BoundExpression predicate)
    {
        var result = new List<BoundExpression>();
        void Walk(BoundExpression p)
        {
            if (p is BoundLogical { Operator: LogicalOperator.And } and) foreach (var o in and.Operands) Walk(o);
            else result.Add(p);
        }
        Walk(predicate);
        return result;
    }
}
