using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>LISTAGG(expr [, separator]) / STRING_AGG: non-string values are cast to STRING (DuckDB); the separator is a constant.</summary>
public sealed partial class AggregationState
{
    private static BoundExpression ListAggArgument(BoundExpression argument) =>
        argument.Type.IsString ? argument : BoundExpressions.Cast(argument, DataType.String.WithNullable(argument.Type.Nullable));

    private static string ListAggSeparator(Binder binder, Expression e)
    {
        if (!AstWalker.Any(e, n => n is ColumnRef))
        {
            var bound = binder.BindExpression(e, Scope.Empty);
            if (bound is BoundLiteral { Value: string s }) return s;
            if (bound is BoundLiteral { IsNull: true }) return "";
        }
        throw new TarnException(SqlStates.FeatureNotSupported, $"the LISTAGG separator must be a constant string at {e.Position}", e.Position);
    }
}
