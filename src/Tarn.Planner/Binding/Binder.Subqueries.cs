using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Subqueries in expressions. Each one binds to a <see cref="LogicalApply"/> that the clause being bound attaches on
/// top of its input ("host") plan; the expression reads the apply's result column. While the clause is bound the
/// column's final index is unknown, so a placeholder index (<see cref="BelowBase"/>/<see cref="AboveBase"/> + k) is
/// used and renumbered when the applies are attached. Columns a subquery cannot resolve are looked up in the
/// enclosing query and become <see cref="BoundOuterRef"/>s.
/// </summary>
public sealed partial class Binder
{
    /// <summary>Placeholder indexes of subqueries bound without aggregation (hosted by the FROM/WHERE plan).</summary>
    private const int BelowBase = 1 << 24;

    /// <summary>Placeholder indexes of subqueries bound after GROUP BY (hosted by the aggregate's output).</summary>
    private const int AboveBase = 1 << 25;

    private sealed record PendingApply(LogicalPlan Right, ApplyKind Kind, BoundExpression? Operand, ComparisonOperator Comparison);

    /// <summary>The enclosing query's binder and the scope its subquery expression was bound in (null at the top).</summary>
    private (Binder Binder, Scope Scope, AggregationState? Aggregation)? _outer;

    private List<PendingApply>? _pending;
    private List<PendingApply>? _pendingAbove;

    private static bool IsSubqueryNode(Node n) => n is ExistsExpression or ScalarSubquery or InSubqueryExpression or QuantifiedComparisonExpression;

    internal static bool ContainsSubquery(Node n) => AstWalker.Any(n, IsSubqueryNode);

    /// <summary>Resolves a column the local scope does not have in the enclosing queries (a correlated reference).</summary>
    private BoundExpression? TryBindOuterColumn(ColumnRef c)
    {
        if (_outer is not { } outer) return null;
        BoundExpression bound;
        try
        {
            bound = outer.Binder.BindExpression(c, outer.Scope, outer.Aggregation);
        }
        catch (TarnException ex) when (ex.SqlState == SqlStates.UndefinedColumn)
        {
            return outer.Binder.TryBindSelectAliasForSubquery(c, outer.Scope, outer.Aggregation) is { } aliased ? OneLevelDeeper(aliased) : null;
        }
        return bound switch
        {
            BoundColumnRef r => new BoundOuterRef(1, r.Index, r.Type),
            BoundOuterRef o => o with { Depth = o.Depth + 1 },
            _ => throw Error(SqlStates.FeatureNotSupported, "this outer reference is not supported in a subquery", c.Position),
        };
    }

    private LogicalPlan BindSubqueryPlan(Query query, Scope scope, AggregationState? aggregation)
    {
        var inner = new Binder(_context) { _outer = (this, scope, aggregation) };
        inner._ctes.AddRange(_ctes);
        inner.InheritWorkTables(this);
        return inner.BindQuery(query).Plan;
    }

    private static ComparisonOperator ToComparison(BinaryOperator op, SourcePosition position) => op switch
    {
        BinaryOperator.Equal => ComparisonOperator.Equal,
        BinaryOperator.NotEqual => ComparisonOperator.NotEqual,
        BinaryOperator.Less => ComparisonOperator.Less,
        BinaryOperator.LessOrEqual => ComparisonOperator.LessOrEqual,
        BinaryOperator.Greater => ComparisonOperator.Greater,
        BinaryOperator.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
        _ => throw Error(SqlStates.SyntaxError, "ANY/ALL needs a comparison operator", position),
    };

    /// <summary>NOT (a op b) is a (negated op) b, also for NULLs.</summary>
    private static ComparisonOperator Negate(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => ComparisonOperator.NotEqual,
        ComparisonOperator.NotEqual => ComparisonOperator.Equal,
        ComparisonOperator.Less => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.LessOrEqual => ComparisonOperator.Greater,
        ComparisonOperator.Greater => ComparisonOperator.LessOrEqual,
        _ => ComparisonOperator.Less,
    };

    /// <summary>
    /// A subquery predicate as (kind, operand, comparison, negated): IN is = ANY, NOT IN is NOT (= ANY), and
    /// x op ALL s is NOT (x (negated op) ANY s).
    /// </summary>
    private (PendingApply Apply, bool Negated) BindSubqueryPredicate(Expression e, Scope scope, AggregationState? aggregation)
    {
        switch (e)
        {
            case ExistsExpression x:
                return (new PendingApply(BindSubqueryPlan(x.Query, scope, aggregation), ApplyKind.Exists, null, ComparisonOperator.Equal), false);
            case InSubqueryExpression i:
                return (BindAny(i.Operand, i.Query, ComparisonOperator.Equal, scope, aggregation, i.Position), i.Negated);
            case QuantifiedComparisonExpression q:
            {
                var op = ToComparison(q.Operator, q.Position);
                return q.Quantifier == Quantifier.Any
                    ? (BindAny(q.Left, q.Query, op, scope, aggregation, q.Position), false)
                    : (BindAny(q.Left, q.Query, Negate(op), scope, aggregation, q.Position), true);
            }
            default:
                throw new InvalidOperationException("not a subquery predicate");
        }
    }

    private PendingApply BindAny(Expression operandAst, Query query, ComparisonOperator op, Scope scope, AggregationState? aggregation, SourcePosition position)
    {
        if (operandAst is RowConstructor row) return BindRowAny(row, query, op, scope, aggregation, position);
        var operand = BindExpression(operandAst, scope, aggregation);
        var right = BindSubqueryPlan(query, scope, aggregation);
        if (right.Output.Count != 1)
            throw Error(SqlStates.SyntaxError, $"subquery has too {(right.Output.Count > 1 ? "many" : "few")} columns ({right.Output.Count}); it must return one", query.Position);
        operand = CoerceStringLiteral(operand, right.Output[0].Type, operandAst.Position);
        try
        {
            BoundExpressions.Compare(op, operand, BoundExpressions.Column(0, right.Output[0].Type));
        }
        catch (TarnException ex) when (ex.Position is null)
        {
            throw Error(ex.SqlState, ex.Message, position);
        }
        return new PendingApply(right, ApplyKind.Any, operand, op);
    }

    /// <summary>A subquery in an expression position: a placeholder column for its apply's result.</summary>
    private BoundExpression BindSubqueryExpression(Expression e, Scope scope, AggregationState? aggregation)
    {
        var list = aggregation is null ? _pending : _pendingAbove;
        if (list is null) throw Error(SqlStates.FeatureNotSupported, "subqueries are not allowed here", e.Position);
        PendingApply apply;
        var negated = false;
        if (e is ScalarSubquery s)
        {
            var right = BindSubqueryPlan(s.Query, scope, aggregation);
            if (right.Output.Count != 1)
                throw Error(SqlStates.SyntaxError, $"subquery must return only one column, not {right.Output.Count}", s.Position);
            apply = new PendingApply(right, ApplyKind.Scalar, null, ComparisonOperator.Equal);
        }
        else (apply, negated) = BindSubqueryPredicate(e, scope, aggregation);
        list.Add(apply);
        var type = apply.Kind switch
        {
            ApplyKind.Scalar => apply.Right.Output[0].Type.WithNullable(true),
            ApplyKind.Exists => DataType.Boolean.WithNullable(false),
            _ => DataType.Boolean.WithNullable(true),
        };
        BoundExpression placeholder = BoundExpressions.Column((aggregation is null ? BelowBase : AboveBase) + list.Count - 1, type);
        return negated ? BoundExpressions.Not(placeholder) : placeholder;
    }

    /// <summary>Attaches the pending applies on <paramref name="host"/>, in binding order (a later one may read an earlier one's column).</summary>
    private static LogicalPlan AttachApplies(LogicalPlan host, List<PendingApply> pending, int placeholderBase)
    {
        var hostCount = host.Output.Count;
        foreach (var p in pending)
        {
            var operand = p.Operand is null ? null : RemapPlaceholders(p.Operand, placeholderBase, hostCount);
            host = new LogicalApply(host, p.Right, p.Kind, ApplyMode.Mark, operand, p.Comparison);
        }
        return host;
    }

    private static BoundExpression RemapPlaceholders(BoundExpression e, int placeholderBase, int hostCount) =>
        Optimizer.ExpressionRewriter.RemapColumns(e, i => i >= placeholderBase && i < placeholderBase + BelowBase ? hostCount + (i - placeholderBase) : i);

    private static AggregateCall RemapPlaceholders(AggregateCall a, int placeholderBase, int hostCount) =>
        Optimizer.ExpressionRewriter.RemapColumns(a, i => i >= placeholderBase && i < placeholderBase + BelowBase ? hostCount + (i - placeholderBase) : i);

    /// <summary>
    /// A WHERE/HAVING predicate: conjuncts that are (NOT) EXISTS / IN / ANY / ALL subqueries become filtering (semi /
    /// anti) applies; the rest a filter, with any nested subqueries attached as mark applies below it and projected
    /// away after. Binds now (HAVING may add aggregates), returns the function that builds it over its input later.
    /// </summary>
    private Func<LogicalPlan, LogicalPlan> BindFilterWithSubqueries(Scope scope, AggregationState? aggregation, Expression predicate, string clause)
    {
        if (!ContainsSubquery(predicate))
        {
            var bound = aggregation is null ? BindPredicate(predicate, scope, clause) : BindExpression(predicate, scope, aggregation);
            CheckBoolean(bound, clause, predicate.Position);
            return plan => new LogicalFilter(plan, bound);
        }
        var filtering = new List<(PendingApply Apply, bool Negated)>();
        var rest = new List<Expression>();
        var plain = new List<Expression>();
        foreach (var conjunct in AstConjuncts(predicate))
        {
            var inner = conjunct;
            var not = false;
            while (inner is UnaryExpression { Operator: UnaryOperator.Not } u) { inner = u.Operand; not = !not; }
            var operand = inner switch { InSubqueryExpression i => i.Operand, QuantifiedComparisonExpression q => q.Left, _ => null };
            if (inner is ExistsExpression or InSubqueryExpression or QuantifiedComparisonExpression && (operand is null || !ContainsSubquery(operand)))
            {
                var (apply, negated) = BindSubqueryPredicate(inner, scope, aggregation);
                filtering.Add((apply, negated != not));
            }
            else if (ContainsSubquery(conjunct)) rest.Add(conjunct);
            else plain.Add(conjunct);
        }
        // Conjuncts without subqueries filter first: they may be join conditions, and fewer rows reach the applies.
        Func<LogicalPlan, LogicalPlan>? plainFilter = null;
        if (plain.Count > 0)
            plainFilter = BindFilterWithSubqueries(scope, aggregation, plain.Skip(1).Aggregate(plain[0], (a, b) => new BinaryExpression(BinaryOperator.And, a, b, a.Position)), clause);
        BoundExpression? restBound = null;
        var pending = new List<PendingApply>();
        var placeholderBase = aggregation is null ? BelowBase : AboveBase;
        if (rest.Count > 0)
        {
            var saved = (_pending, _pendingAbove);
            if (aggregation is null) _pending = pending; else _pendingAbove = pending;
            try
            {
                var combined = rest.Skip(1).Aggregate(rest[0], (a, b) => new BinaryExpression(BinaryOperator.And, a, b, a.Position));
                if (aggregation is null && ContainsLocalAggregate(combined, scope))
                    throw Error(SqlStates.GroupingError, $"aggregate functions are not allowed in {clause}", combined.Position);
                restBound = BindExpression(combined, scope, aggregation);
                CheckBoolean(restBound, clause, combined.Position);
            }
            finally
            {
                (_pending, _pendingAbove) = saved;
            }
        }
        return plan =>
        {
            if (plainFilter is not null) plan = plainFilter(plan);
            var width = plan.Output.Count;
            if (restBound is not null)
            {
                plan = AttachApplies(plan, pending, placeholderBase);
                plan = new LogicalFilter(plan, RemapPlaceholders(restBound, placeholderBase, width));
                if (pending.Count > 0) plan = KeepFirst(plan, width);
            }
            foreach (var (apply, negated) in filtering)
                plan = new LogicalApply(plan, apply.Right, apply.Kind, negated ? ApplyMode.Anti : ApplyMode.Semi, apply.Operand, apply.Comparison);
            return plan;
        };
    }

    private static void CheckBoolean(BoundExpression bound, string clause, SourcePosition position)
    {
        if (bound.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw Error(SqlStates.DatatypeMismatch, $"argument of {clause} must be BOOLEAN, not {bound.Type.ToSql()}", position);
    }

    private static LogicalPlan KeepFirst(LogicalPlan plan, int count) =>
        new LogicalProject(plan, plan.Output.Take(count).Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(), plan.Output.Take(count).ToList());
}
