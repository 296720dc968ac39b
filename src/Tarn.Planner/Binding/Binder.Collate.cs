using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary><c>expression COLLATE name</c>: the same value, with the collation on its type (see <see cref="Collations"/>).</summary>
public sealed partial class Binder
{
    private BoundExpression BindCollate(CollateExpression c, Scope scope, AggregationState? aggregation)
    {
        var operand = BindExpression(c.Operand, scope, aggregation);
        if (operand.Type.Kind == TypeKind.Null) operand = FunctionRegistry.Coerce(operand, DataType.String);
        return WithCollation(operand, c.Collation, c.Position);
    }

    /// <summary><paramref name="e"/> typed with <paramref name="collation"/> (checked; null removes a collation).</summary>
    private static BoundExpression WithCollation(BoundExpression e, string? collation, SourcePosition position)
    {
        var type = Collations.Normalize(e.Type.WithCollation(collation), position);
        return ReferenceEquals(type, e.Type) ? e : e with { Type = type };
    }
}
