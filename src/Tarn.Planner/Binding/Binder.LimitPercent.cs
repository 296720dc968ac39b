using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>LIMIT p % [OFFSET m] (DuckDB): p is a constant number from 0 to 100.</summary>
    private LogicalPlan BindLimitPercent(LogicalPlan plan, Query query)
    {
        var percent = ConstantPercent(query.Limit!);
        var offset = query.Offset is null ? 0 : ConstantCount(query.Offset, "OFFSET");
        return new LogicalLimitPercent(plan, percent, offset);
    }

    private double ConstantPercent(Expression e)
    {
        var bound = BindExpression(e, Scope.Empty);
        double? value = bound is BoundLiteral { Value: { } v } literal ? v switch
        {
            sbyte b => b,
            short s => s,
            int i => i,
            long l when literal.Type.Kind == TypeKind.Decimal => l / Math.Pow(10, literal.Type.Scale),
            long l => l,
            float f => f,
            double d => d,
            _ => null,
        } : null;
        if (value is not { } percent)
            throw Error(SqlStates.DatatypeMismatch, "LIMIT percentage must be a constant number", e.Position);
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
            throw Error(SqlStates.NumericValueOutOfRange, "Limit percent out of range, should be between 0% and 100%", e.Position);
        return percent;
    }
}
