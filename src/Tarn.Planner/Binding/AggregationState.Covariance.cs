using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// COVAR_POP(y, x) and COVAR_SAMP(y, x) (DOUBLE, over the rows where both are non-NULL; NULL without such rows, and
/// COVAR_SAMP below two): expanded into the variance aggregates, which keep a numerically stable running state,
/// by <c>covar(x, y) = (var(x + y) - var(x) - var(y)) / 2</c>.
/// </summary>
public sealed partial class AggregationState
{
    public static bool IsCovariance(FunctionCall f) => f.Name.Parts.Count == 1
        && f.Name.Name.Value.ToUpperInvariant() is "COVAR_POP" or "COVAR_SAMP";

    private BoundExpression BindCovariance(Binder binder, FunctionCall f)
    {
        var name = f.Name.Name.Value.ToUpperInvariant();
        if (f.Arguments.Count != 2 || f.Arguments.Any(a => a is StarExpression))
            throw new TarnException(SqlStates.UndefinedFunction, $"{name} takes exactly two arguments at {f.Position}", f.Position);
        if (f.Distinct)
            throw new TarnException(SqlStates.FeatureNotSupported, $"{name}(DISTINCT ...) is not supported at {f.Position}", f.Position);
        foreach (var a in f.Arguments)
            if (Binder.ContainsAggregate(a))
                throw new TarnException(SqlStates.GroupingError, $"aggregate function calls cannot be nested at {a.Position}", a.Position);
        var y = AsDouble(binder.BindExpression(f.Arguments[0], Input), name, f);
        var x = AsDouble(binder.BindExpression(f.Arguments[1], Input), name, f);
        BoundExpression? filter = null;
        if (f.Filter is not null)
        {
            filter = binder.BindExpression(f.Filter, Input);
            if (filter.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
                throw new TarnException(SqlStates.DatatypeMismatch, $"FILTER condition must be BOOLEAN at {f.Filter.Position}", f.Filter.Position);
        }
        var kind = name == "COVAR_POP" ? AggregateKind.VarPop : AggregateKind.VarSamp;
        BoundExpression When(BoundExpression other) => filter is null
            ? BoundExpressions.IsNull(other, negated: true)
            : BoundExpressions.And(filter, BoundExpressions.IsNull(other, negated: true));
        var sum = Register(BoundExpressions.Aggregate(kind, BoundExpressions.Arithmetic(ArithmeticOperator.Add, x, y), filter: filter));
        var ofX = Register(BoundExpressions.Aggregate(kind, x, filter: When(y)));
        var ofY = Register(BoundExpressions.Aggregate(kind, y, filter: When(x)));
        var difference = BoundExpressions.Arithmetic(ArithmeticOperator.Subtract, BoundExpressions.Arithmetic(ArithmeticOperator.Subtract, sum, ofX), ofY);
        return BoundExpressions.Arithmetic(ArithmeticOperator.Divide, difference, BoundLiteral.Of(2.0));
    }

    private static BoundExpression AsDouble(BoundExpression e, string name, FunctionCall f)
    {
        if (e.Type.Kind == TypeKind.Null) return BoundExpressions.Cast(e, DataType.Double);
        if (!e.Type.IsNumeric)
            throw new TarnException(SqlStates.UndefinedFunction, $"function {name}({e.Type.WithNullable(true).ToSql()}) does not exist at {f.Position}", f.Position);
        return e.Type.Kind == TypeKind.Double ? e : BoundExpressions.Cast(e, DataType.Double.WithNullable(e.Type.Nullable));
    }

    /// <summary>The aggregate's output column (an equal aggregate already computed is shared).</summary>
    private BoundExpression Register(AggregateCall call)
    {
        var index = Aggregates.IndexOf(call);
        if (index < 0)
        {
            index = Aggregates.Count;
            Aggregates.Add(call);
            AggregateNames.Add(call.ToString());
        }
        return BoundExpressions.Column(AggregateOffset + index, call.Type);
    }
}
