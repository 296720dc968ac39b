using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Row constructors in comparisons: <c>(a, b) op (c, d)</c>, <c>(a, b) [NOT] IN ((1, 2), ...)</c> and
/// <c>(a, b) op ANY | ALL | IN (SELECT x, y ...)</c>. A row comparison is expanded into scalar comparisons as
/// PostgreSQL defines it: = and &lt;&gt; field by field, the ordering operators lexicographically (the first pair
/// that is not equal decides, a NULL there makes the result NULL), IS [NOT] DISTINCT FROM field by field.
/// </summary>
public sealed partial class Binder
{
    private BoundExpression CompareRows(ComparisonOperator op, RowConstructor left, RowConstructor right, Scope scope, AggregationState? aggregation)
    {
        if (left.Fields.Count != right.Fields.Count)
            throw Error(SqlStates.SyntaxError, $"cannot compare rows of different sizes ({left.Fields.Count} and {right.Fields.Count})", right.Position);
        var l = new List<BoundExpression>();
        var r = new List<BoundExpression>();
        for (var i = 0; i < left.Fields.Count; i++)
        {
            var a = BindExpression(left.Fields[i], scope, aggregation);
            var b = BindExpression(right.Fields[i], scope, aggregation);
            a = CoerceStringLiteral(a, b.Type, left.Fields[i].Position);
            b = CoerceStringLiteral(b, a.Type, right.Fields[i].Position);
            l.Add(PadCharLiteral(a, b));
            r.Add(PadCharLiteral(b, a));
        }
        return RowComparison(op, l, r);
    }

    /// <summary>The scalar expansion of <c>(l...) op (r...)</c>.</summary>
    internal static BoundExpression RowComparison(ComparisonOperator op, IReadOnlyList<BoundExpression> l, IReadOnlyList<BoundExpression> r)
    {
        var n = l.Count;
        switch (op)
        {
            case ComparisonOperator.Equal:
            case ComparisonOperator.IsNotDistinctFrom:
                return BoundExpressions.And(Enumerable.Range(0, n).Select(i => (BoundExpression)BoundExpressions.Compare(op, l[i], r[i])).ToList());
            case ComparisonOperator.NotEqual:
            case ComparisonOperator.IsDistinctFrom:
                return BoundExpressions.Or(Enumerable.Range(0, n).Select(i => (BoundExpression)BoundExpressions.Compare(op, l[i], r[i])).ToList());
            default:
            {
                var strict = op switch
                {
                    ComparisonOperator.LessOrEqual => ComparisonOperator.Less,
                    ComparisonOperator.GreaterOrEqual => ComparisonOperator.Greater,
                    _ => op,
                };
                // (a, b) < (c, d) is a < c OR (a = c AND b < d); the last pair uses the operator itself.
                BoundExpression result = BoundExpressions.Compare(op, l[n - 1], r[n - 1]);
                for (var i = n - 2; i >= 0; i--)
                    result = BoundExpressions.Or(BoundExpressions.Compare(strict, l[i], r[i]),
                        BoundExpressions.And(BoundExpressions.Compare(ComparisonOperator.Equal, l[i], r[i]), result));
                return result;
            }
        }
    }

    /// <summary><c>(a, b) [NOT] IN ((1, 2), (3, 4))</c>: an OR of row equalities.</summary>
    private BoundExpression BindRowInList(RowConstructor operand, InListExpression list, Scope scope, AggregationState? aggregation)
    {
        var alternatives = new List<BoundExpression>();
        foreach (var value in list.Values)
        {
            if (value is not RowConstructor row)
                throw Error(SqlStates.DatatypeMismatch, "IN with a row operand needs rows in its list", value.Position);
            alternatives.Add(CompareRows(ComparisonOperator.Equal, operand, row, scope, aggregation));
        }
        var any = BoundExpressions.Or(alternatives);
        return list.Negated ? BoundExpressions.Not(any) : any;
    }

    /// <summary>
    /// <c>(a, b) op ANY (SELECT x, y ...)</c> as the one-column <c>TRUE = ANY (SELECT (a, b) op (x, y) ...)</c>: the
    /// operands move into the subquery as outer references, so every rule and the fallback see an ordinary ANY.
    /// </summary>
    private PendingApply BindRowAny(RowConstructor operand, Query query, ComparisonOperator op, Scope scope, AggregationState? aggregation, SourcePosition position)
    {
        if (ContainsSubquery(operand))
            throw Error(SqlStates.FeatureNotSupported, "a subquery inside the row compared with a subquery is not supported", operand.Position);
        var right = BindSubqueryPlan(query, scope, aggregation);
        if (right.Output.Count != operand.Fields.Count)
            throw Error(SqlStates.SyntaxError, $"subquery has {right.Output.Count} columns but the row it is compared with has {operand.Fields.Count}", query.Position);
        var l = new List<BoundExpression>();
        var r = new List<BoundExpression>();
        for (var i = 0; i < operand.Fields.Count; i++)
        {
            var field = CoerceStringLiteral(BindExpression(operand.Fields[i], scope, aggregation), right.Output[i].Type, operand.Fields[i].Position);
            l.Add(ExpressionRewriterForOuter(field));
            r.Add(BoundExpressions.Column(i, right.Output[i].Type));
        }
        BoundExpression comparison;
        try
        {
            comparison = RowComparison(op, l, r);
        }
        catch (TarnException ex) when (ex.Position is null)
        {
            throw Error(ex.SqlState, ex.Message, position);
        }
        var projected = new LogicalProject(right, [comparison], [new OutputColumn("$row_comparison", DataType.Boolean.WithNullable(true))]);
        return new PendingApply(projected, ApplyKind.Any, BoundLiteral.Of(true), ComparisonOperator.Equal);
    }

    /// <summary>An expression over this query's columns as seen from inside one of its subqueries.</summary>
    private static BoundExpression ExpressionRewriterForOuter(BoundExpression e) => Optimizer.ExpressionRewriter.Rewrite(e, x => x switch
    {
        BoundColumnRef c => new BoundOuterRef(1, c.Index, c.Type),
        BoundOuterRef o => o with { Depth = o.Depth + 1 },
        _ => null,
    });
}
