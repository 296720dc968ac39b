using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// LATERAL subqueries in FROM (<c>t, LATERAL (SELECT ... t.x ...)</c>, <c>[LEFT] JOIN LATERAL (...) ON ...</c>): the
/// subquery is bound with the items to its left as its enclosing scope and becomes a <see cref="LogicalApply"/> of kind
/// <see cref="ApplyKind.Lateral"/> / <see cref="ApplyKind.LateralLeft"/>, which decorrelation turns into a join when
/// it can. The same apply serves LEFT / RIGHT joins whose ON has a subquery reading both sides.
/// </summary>
public sealed partial class Binder
{
    private (LogicalPlan Plan, Scope Scope) BindLateral(LogicalPlan left, Scope leftScope, DerivedTable derived, JoinType type, Expression? on, NodeList<Identifier> usingColumns)
    {
        var kind = type switch
        {
            JoinType.Inner or JoinType.Cross => ApplyKind.Lateral,
            JoinType.Left => ApplyKind.LateralLeft,
            _ => throw Error(SqlStates.FeatureNotSupported, "LATERAL is supported in inner, cross and left joins only", derived.Position),
        };
        if (!usingColumns.IsEmpty) throw Error(SqlStates.FeatureNotSupported, "JOIN LATERAL ... USING is not supported; use ON", derived.Position);
        var inner = new Binder(_context) { _outer = (this, leftScope, null) };
        inner._ctes.AddRange(_ctes);
        var (right, rightScope) = Aliased(inner.BindQuery(derived.Query).Plan, derived.Alias, derived.Alias?.Name.Value ?? UnnamedSubqueryName());
        if (on is not null && kind == ApplyKind.LateralLeft)
        {
            // The condition decides which subquery rows a left row keeps, so it filters inside the subquery.
            var condition = new Binder(_context) { _outer = (this, leftScope, null) };
            condition._ctes.AddRange(_ctes);
            right = condition.BindFilterWithSubqueries(rightScope, null, on, "JOIN ... ON")(right);
        }
        var apply = new LogicalApply(left, right, kind, ApplyMode.Mark, null, ComparisonOperator.Equal);
        var scope = ScopeOf(apply, leftScope, rightScope);
        if (on is not null && kind == ApplyKind.Lateral)
            return (BindFilterWithSubqueries(scope, null, on, "JOIN ... ON")(apply), scope);
        return (apply, scope);
    }

    /// <summary>
    /// DuckDB binds a subquery in FROM that names a column of the items before it as if it were LATERAL: a derived
    /// table that does not bind on its own is retried as a lateral one (the retry reports the error if it fails too).
    /// </summary>
    private bool ImplicitlyLateral(TableReference reference, out DerivedTable lateral)
    {
        lateral = null!;
        if (reference is not DerivedTable derived) return false;
        try
        {
            var inner = new Binder(_context) { _outer = _outer };
            inner._ctes.AddRange(_ctes);
            inner.BindQuery(derived.Query);
            return false;
        }
        catch (TarnException ex) when (ex.SqlState == SqlStates.UndefinedColumn)
        {
            lateral = derived with { Lateral = true };
            return true;
        }
    }

    /// <summary>
    /// A FROM item after a comma that names columns of the items before it (DuckDB binds such items, e.g.
    /// <c>a, b JOIN LATERAL (VALUES (a.i)) ...</c>, as if lateral): bound with those items as its enclosing scope.
    /// </summary>
    private (LogicalPlan Plan, Scope Scope) BindLateralReference(LogicalPlan left, Scope leftScope, TableReference reference)
    {
        var inner = new Binder(_context) { _outer = (this, leftScope, null) };
        inner._ctes.AddRange(_ctes);
        var (right, rightScope) = inner.BindTableReference(reference);
        var apply = new LogicalApply(left, right, ApplyKind.Lateral, ApplyMode.Mark, null, ComparisonOperator.Equal);
        return (apply, ScopeOf(apply, leftScope, rightScope));
    }

    private static Scope ScopeOf(LogicalPlan plan, Scope leftScope, Scope rightScope) =>
        new(leftScope.Columns.Concat(rightScope.Columns).Select((c, i) => c with { Type = plan.Output[i].Type }).ToList());

    /// <summary>
    /// <c>l LEFT JOIN r ON p</c> where a subquery in p reads both sides: <c>l LEFT JOIN LATERAL (SELECT * FROM r WHERE
    /// p)</c>. RIGHT joins swap the sides and restore the column order after; SEMI / ANTI joins are
    /// <c>[NOT] EXISTS (SELECT * FROM r WHERE p)</c>.
    /// </summary>
    private (LogicalPlan Plan, Scope Scope) BindOuterJoinAsLateral(LogicalPlan left, Scope leftScope, LogicalPlan right, Scope rightScope,
        LogicalJoinKind kind, Expression on)
    {
        if (kind == LogicalJoinKind.Full) return BindFullJoinAsLateral(left, leftScope, right, rightScope, on);
        var swap = kind == LogicalJoinKind.Right;
        var (outer, outerScope, inner, innerScope) = swap ? (right, rightScope, left, leftScope) : (left, leftScope, right, rightScope);
        // The inner side moves one apply level down: its own outer references reach one level further.
        inner = PlanExpressions.Rewrite(inner, (e, level) => e is BoundOuterRef o && o.Depth > level ? o with { Depth = o.Depth + 1 } : null);
        var condition = new Binder(_context) { _outer = (this, outerScope, null) };
        condition._ctes.AddRange(_ctes);
        inner = condition.BindFilterWithSubqueries(innerScope, null, on, "JOIN ... ON")(inner);
        if (kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti) // [NOT] EXISTS (SELECT * FROM r WHERE p)
            return (new LogicalApply(outer, inner, ApplyKind.Exists, kind == LogicalJoinKind.Semi ? ApplyMode.Semi : ApplyMode.Anti, null, ComparisonOperator.Equal), leftScope);
        var apply = new LogicalApply(outer, inner, ApplyKind.LateralLeft, ApplyMode.Mark, null, ComparisonOperator.Equal);
        if (!swap) return (apply, ScopeOf(apply, leftScope, rightScope));
        var outerCount = outerScope.Columns.Count;
        var order = Enumerable.Range(outerCount, innerScope.Columns.Count).Concat(Enumerable.Range(0, outerCount)).ToList();
        var output = order.Select(i => apply.Output[i]).ToList();
        var plan = new LogicalProject(apply, order.Select(i => (BoundExpression)BoundExpressions.Column(i, apply.Output[i].Type)).ToList(), output);
        return (plan, ScopeOf(plan, leftScope, rightScope));
    }

    /// <summary>
    /// <c>l FULL JOIN r ON p</c> where a subquery in p reads both sides: the LEFT JOIN LATERAL form for the left rows
    /// (matched or not), plus the right rows for which no left row satisfies p (NOT EXISTS), with NULLs on the left.
    /// </summary>
    private (LogicalPlan Plan, Scope Scope) BindFullJoinAsLateral(LogicalPlan left, Scope leftScope, LogicalPlan right, Scope rightScope, Expression on)
    {
        var (matched, _) = BindOuterJoinAsLateral(left, leftScope, right, rightScope, LogicalJoinKind.Left, on);
        var unmatched = BindOuterJoinAsLateral(right, rightScope, left, leftScope, LogicalJoinKind.Anti, on).Plan;
        var leftCount = leftScope.Columns.Count;
        var columns = matched.Output.Select((c, i) => i < leftCount ? c with { Type = c.Type.WithNullable(true) } : c).ToList();
        var padded = new LogicalProject(unmatched,
            [.. leftScope.Columns.Select((c, i) => (BoundExpression)BoundLiteral.Null(columns[i].Type)),
             .. unmatched.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type))],
            columns);
        var union = new LogicalUnionAll([matched, padded], columns);
        return (union, ScopeOf(union, leftScope, rightScope));
    }
}
