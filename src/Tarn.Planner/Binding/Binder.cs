using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Resolves names and types: turns syntax trees into bound expressions and logical plans. One partial file per
/// concern: expressions, literals, queries (SELECT), FROM items, aggregation.
/// </summary>
public sealed partial class Binder
{
    private readonly BindContext _context;
    private readonly List<Dictionary<string, (CommonTableExpression Cte, int Depth)>> _ctes = [];

    public Binder(BindContext context) => _context = context;

    public BindContext Context => _context;

    private static TarnException Error(string sqlState, string message, SourcePosition position) =>
        new(sqlState, $"{message} at {position}", position);

    /// <summary>True for COUNT/SUM/MIN/MAX/AVG calls without OVER.</summary>
    internal static bool IsAggregateCall(Node node) =>
        node is FunctionCall { Over: null } f && f.Name.Parts.Count == 1
        && (FunctionRegistry.TryGetAggregate(f.Name.Name.Value, f.Arguments.Count == 1 && f.Arguments[0] is StarExpression, out _)
            || AggregationState.IsGroupingFunction(f) || AggregationState.IsCovariance(f));

    internal static bool ContainsAggregate(Node node) => AstWalker.Any(node, IsAggregateCall);

    /// <summary>A boolean expression, or a clear error naming the clause.</summary>
    private BoundExpression BindPredicate(Expression e, Scope scope, string clause)
    {
        if (ContainsLocalAggregate(e, scope)) throw Error(SqlStates.GroupingError, $"aggregate functions are not allowed in {clause}", e.Position);
        var bound = BindExpression(e, scope, null);
        if (bound.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw Error(SqlStates.DatatypeMismatch, $"argument of {clause} must be BOOLEAN, not {bound.Type.ToSql()}", e.Position);
        return bound;
    }
}
