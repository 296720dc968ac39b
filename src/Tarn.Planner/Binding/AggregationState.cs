using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Binding after GROUP BY: expressions equal to a grouping expression, and aggregate calls, become references to
/// the aggregate's output (keys first, then aggregates); any other column reference is an error (42803).
/// </summary>
public sealed partial class AggregationState
{
    private readonly List<Expression> _keyAst;

    public AggregationState(Scope input, List<Expression> keyAst, List<BoundExpression> keys)
    {
        Input = input;
        _keyAst = keyAst;
        Keys = keys;
    }

    /// <summary>The scope below the aggregation (FROM ... WHERE).</summary>
    public Scope Input { get; }
    public List<BoundExpression> Keys { get; }
    public List<AggregateCall> Aggregates { get; } = [];
    public List<string> AggregateNames { get; } = [];

    public BoundExpression? TryIntercept(Binder binder, Expression e)
    {
        for (var i = 0; i < _keyAst.Count; i++)
            if (_keyAst[i].Equals(e)) return BoundExpressions.Column(i, KeyType(i));
        if (MatchKeyByValue(binder, e) is { } key) return key;

        if (e is FunctionCall { Over: null } grouping && IsGroupingFunction(grouping)) return BindGroupingFunction(binder, grouping);
        if (Binder.IsAggregateCall(e)) return BindAggregate(binder, (FunctionCall)e);

        if (e is ColumnRef c)
        {
            if (SelectAlias(c) is { } aliased) return aliased(binder);
            var bound = binder.BindExpression(c, Input);
            for (var i = 0; i < Keys.Count; i++)
                if (Keys[i].Equals(bound)) return BoundExpressions.Column(i, KeyType(i));
            if (bound.ReferencedColumns().Count == 0) return bound; // an enclosing query's column: one value per group
            throw new TarnException(SqlStates.GroupingError,
                $"column '{string.Join('.', c.Parts.Select(p => p.Value))}' must appear in the GROUP BY clause or be used in an aggregate function at {c.Position}", c.Position);
        }
        return null;
    }

    /// <summary>
    /// SQL makes an aggregate whose argument reads only outer columns an aggregate of the outer query; evaluating it
    /// here would give wrong answers, so such queries are rejected.
    /// </summary>
    private static bool ReadsOnlyOuterColumns(BoundExpression argument)
    {
        var outer = false;
        argument.Walk(x => { if (x is BoundOuterRef) outer = true; });
        return outer && argument.ReferencedColumns().Count == 0;
    }

    private BoundExpression BindAggregate(Binder binder, FunctionCall f)
    {
        if (IsCovariance(f)) return BindCovariance(binder, f);
        // COUNT() is COUNT(*) (DuckDB).
        var star = (f.Arguments.Count == 1 && f.Arguments[0] is StarExpression)
            || (f.Arguments.Count == 0 && string.Equals(f.Name.Name.Value, "COUNT", StringComparison.OrdinalIgnoreCase));
        FunctionRegistry.TryGetAggregate(f.Name.Name.Value, star, out var kind);
        CheckArgumentOrder(f, kind);
        var listAgg = kind == AggregateKind.ListAgg;
        if (!star && (f.Arguments.Count < 1 || f.Arguments.Count > (listAgg ? 2 : 1)))
            throw new TarnException(SqlStates.UndefinedFunction, $"{f.Name.Name.Value.ToUpperInvariant()} takes {(listAgg ? "one or two arguments" : "exactly one argument")} at {f.Position}", f.Position);
        BoundExpression? argument = null;
        if (!star)
        {
            if (Binder.ContainsAggregate(f.Arguments[0]))
                throw new TarnException(SqlStates.GroupingError, $"aggregate function calls cannot be nested at {f.Arguments[0].Position}", f.Arguments[0].Position);
            argument = binder.BindExpression(f.Arguments[0], Input);
            if (ReadsOnlyOuterColumns(argument))
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"an aggregate over only the enclosing query's columns (an outer aggregate) is not supported at {f.Position}", f.Position);
            if (listAgg) argument = ListAggArgument(argument);
            else if (argument.Type.Kind == TypeKind.Null && kind is AggregateKind.BoolAnd or AggregateKind.BoolOr)
                argument = BoundExpressions.Cast(argument, DataType.Boolean); // bool_or(NULL) is a NULL BOOLEAN
            else if (argument.Type.Kind == TypeKind.Null && kind is AggregateKind.Min or AggregateKind.Max or AggregateKind.FirstValue or AggregateKind.LastValue or AggregateKind.Sum or AggregateKind.Avg)
                argument = BoundExpressions.Cast(argument, DataType.Int); // MIN(NULL), SUM(NULL) are NULL (DuckDB)
        }
        var separator = listAgg && f.Arguments.Count == 2 ? ListAggSeparator(binder, f.Arguments[1]) : null;
        BoundExpression? filter = null;
        if (f.Filter is not null)
        {
            filter = binder.BindExpression(f.Filter, Input);
            if (filter.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
                throw new TarnException(SqlStates.DatatypeMismatch, $"FILTER condition must be BOOLEAN at {f.Filter.Position}", f.Filter.Position);
        }
        AggregateCall call;
        try
        {
            call = BoundExpressions.Aggregate(kind, argument, f.Distinct, filter, separator);
        }
        catch (TarnException e) when (e.Position is null)
        {
            throw new TarnException(e.SqlState, $"{e.Message} at {f.Position}", f.Position, e);
        }
        return Register(call);
    }
}
