using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Outer aggregates (SQL standard, PostgreSQL, DuckDB): an aggregate inside a subquery whose arguments read only
/// columns of an enclosing query belongs to that query. <c>SELECT EXISTS(SELECT i FROM t WHERE i &gt; MIN(t1.i)) FROM t t1</c>
/// aggregates <c>t1</c> (one row), and the subquery reads <c>MIN(t1.i)</c> as a correlated value of the aggregate's
/// output. The enclosing query may only learn that it aggregates while its select list is bound (subqueries are not
/// analysed ahead), so its <see cref="BindSelect"/> binds once more with aggregation forced on
/// (<see cref="OuterAggregateSignal"/>).
/// </summary>
public sealed partial class Binder
{
    /// <summary>What one binding of a SELECT learned: its FROM scope (to recognise its signals) and whether it must aggregate.</summary>
    private sealed class SelectLevel
    {
        public Scope? Scope { get; set; }
        public bool HasOuterAggregates { get; init; }
    }

    /// <summary>
    /// Raised by a subquery that found an aggregate of the enclosing query while that query was not (yet) aggregating.
    /// Caught by the enclosing <see cref="BindSelect"/> whose FROM scope it names, which binds again with aggregation;
    /// anywhere else (WHERE, GROUP BY, inside another aggregate...) it is the user's error.
    /// </summary>
    private sealed class OuterAggregateSignal(Scope scope, SourcePosition position)
        : TarnException(SqlStates.GroupingError, $"an aggregate of the enclosing query's columns is not allowed here at {position}", position)
    {
        public Scope Scope { get; } = scope;
    }

    private LogicalPlan BindSelect(SelectBody select, NodeList<OrderItem> orderBy)
    {
        (select, orderBy) = RewriteGroupWindows(select, orderBy);
        var level = new SelectLevel();
        var saved = (_pending, _pendingAbove, _window);
        var savedItems = _selectItems;
        _selectItems = select.Items;
        try
        {
            return ApplyStateTtlHints(select, BindSelectOnce(select, orderBy, level));
        }
        catch (OuterAggregateSignal signal) when (level.Scope is not null && ReferenceEquals(signal.Scope, level.Scope))
        {
            (_pending, _pendingAbove, _window) = saved;
            return ApplyStateTtlHints(select, BindSelectOnce(select, orderBy, new SelectLevel { HasOuterAggregates = true }));
        }
        finally
        {
            _selectItems = savedItems;
        }
    }

    /// <summary>True when <paramref name="node"/> holds an aggregate call of this query level (not one of an enclosing query).</summary>
    private bool ContainsLocalAggregate(Node node, Scope scope) =>
        AstWalker.Any(node, n => IsAggregateCall(n) && !(n is FunctionCall f && BelongsToEnclosingQuery(f, scope)));

    /// <summary>
    /// True when <paramref name="f"/> is an aggregate whose column references (arguments, FILTER, ORDER BY) all name
    /// columns of enclosing queries and none of <paramref name="scope"/>. Aggregates with subqueries inside, and
    /// COUNT(*), stay local.
    /// </summary>
    private bool BelongsToEnclosingQuery(FunctionCall f, Scope scope)
    {
        if (_outer is null || f.Over is not null || !IsAggregateCall(f) || AggregationState.IsGroupingFunction(f) || ContainsSubquery(f)) return false;
        var columns = new List<ColumnRef>();
        AstWalker.Any(f, n =>
        {
            if (n is ColumnRef c) columns.Add(c);
            return false;
        });
        if (columns.Count == 0) return false;
        foreach (var c in columns)
            if (Resolves(scope, c) || !ResolvesInEnclosingQuery(c)) return false;
        return true;
    }

    /// <summary>True when <paramref name="scope"/> has the column (an ambiguous name counts: binding reports it).</summary>
    private static bool Resolves(Scope scope, ColumnRef c)
    {
        try
        {
            scope.Resolve(c);
            return true;
        }
        catch (TarnException ex) when (ex.SqlState == SqlStates.UndefinedColumn)
        {
            return false;
        }
        catch (TarnException ex) when (ex.SqlState == SqlStates.AmbiguousColumn)
        {
            return true;
        }
    }

    private bool ResolvesInEnclosingQuery(ColumnRef c)
    {
        for (var outer = _outer; outer is { } o; outer = o.Binder._outer)
            if (Resolves(o.Scope, c)) return true;
        return false;
    }

    /// <summary>An aggregate of an enclosing query: bound there, read here as a correlated value of its output.</summary>
    private BoundExpression BindOuterAggregate(FunctionCall f)
    {
        var (outerBinder, outerScope, outerAggregation) = _outer!.Value;
        // a column of the aggregate's output, or an expression over several (COVAR_POP)
        return OneLevelDeeper(outerBinder.BindAggregateFromSubquery(f, outerScope, outerAggregation));
    }

    private BoundExpression BindAggregateFromSubquery(FunctionCall f, Scope scope, AggregationState? aggregation)
    {
        if (BelongsToEnclosingQuery(f, scope)) return BindOuterAggregate(f);
        if (aggregation is null) throw new OuterAggregateSignal(scope, f.Position);
        return BindExpression(f, scope, aggregation);
    }
}
