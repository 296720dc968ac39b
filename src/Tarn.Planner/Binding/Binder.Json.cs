using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// <c>e IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]</c> as Flink defines it: a string that parses as JSON of
    /// that kind is TRUE, anything else (NULL included) FALSE; never NULL.
    /// </summary>
    private static BoundExpression BindIsJson(IsExpression i, BoundExpression operand)
    {
        if (!operand.Type.IsString && operand.Type.Kind != TypeKind.Null)
            throw Error(SqlStates.DatatypeMismatch, $"IS JSON needs a character string, not {operand.Type}", i.Position);
        var kind = i.Test switch
        {
            IsTest.JsonScalar => "SCALAR",
            IsTest.JsonArray => "ARRAY",
            IsTest.JsonObject => "OBJECT",
            _ => "VALUE",
        };
        var test = BoundExpressions.Call("IS_JSON", operand, BoundLiteral.Of(kind));
        return i.Negated ? BoundExpressions.Not(test) : test;
    }
}

public sealed partial class Binder
{
    /// <summary>
    /// JSON_VALUE with RETURNING / ON EMPTY / ON ERROR, composed from plain parts so both runtimes evaluate it alike:
    /// <c>$JSON_VALUE_STATUS</c> says whether the path found a scalar (0), a JSON null (1), nothing (2) or failed (3: not
    /// JSON, or not a scalar); the text from JSON_VALUE is then converted with TRY_CAST, and a conversion that fails counts
    /// as an error too. ERROR behaviours raise only for the rows that reach them (CASE evaluates a branch lazily).
    /// </summary>
    private BoundExpression BindJsonValue(JsonValueExpression j, Scope scope, AggregationState? aggregation)
    {
        var json = BindExpression(j.Json, scope, aggregation);
        var path = BindExpression(j.Path, scope, aggregation);
        foreach (var (arg, what) in new[] { (json, "first"), (path, "second") })
        {
            if (!arg.Type.IsString && arg.Type.Kind != TypeKind.Null)
                throw Error(SqlStates.UndefinedFunction, $"the {what} argument of JSON_VALUE must be a character string, not {arg.Type}", j.Position);
        }
        var type = (j.Returning ?? DataType.String).WithNullable(true);
        var text = BoundExpressions.Call("JSON_VALUE", json, path);
        var status = new BoundFunctionCall("$JSON_VALUE_STATUS",
            [FunctionRegistry.Coerce(json, DataType.String), FunctionRegistry.Coerce(path, DataType.String)], DataType.Int.WithNullable(false));
        var value = text.Type.WithNullable(true).Equals(type) ? text : BoundExpressions.Cast(text, type, CastMode.Try);
        BoundExpression Is(int s) => BoundExpressions.Compare(ComparisonOperator.Equal, status, BoundLiteral.Of(s));
        var found = BoundExpressions.And(Is(0), BoundExpressions.IsNull(value, negated: true));
        return BoundExpressions.Case(
        [
            new BoundWhen(found, value),
            new BoundWhen(Is(1), BoundLiteral.Null(type)),
            new BoundWhen(Is(2), Behaviour(j.OnEmpty, type, SqlStates.NoSqlJsonItem, "JSON_VALUE found no value at the path", scope, aggregation)),
        ], Behaviour(j.OnError, type, SqlStates.InvalidJsonText, $"JSON_VALUE could not return a {type.WithNullable(false).ToSql()} scalar", scope, aggregation));
    }

    private BoundExpression Behaviour(JsonBehavior? behavior, DataType type, string sqlState, string message, Scope scope, AggregationState? aggregation) =>
        behavior?.Kind switch
        {
            JsonBehaviorKind.Error => new BoundFunctionCall("$RAISE_ERROR", [BoundLiteral.Of(sqlState), BoundLiteral.Of(message)], type),
            JsonBehaviorKind.Default => BindDefault(behavior.Default!, type, scope, aggregation),
            _ => BoundLiteral.Null(type),
        };

    private BoundExpression BindDefault(Expression e, DataType type, Scope scope, AggregationState? aggregation)
    {
        var value = BindExpression(e, scope, aggregation);
        if (TypeRules.CommonType(value.Type, type) is null && !value.Type.IsString)
            throw Error(SqlStates.DatatypeMismatch, $"DEFAULT of JSON_VALUE must be {type.WithNullable(false).ToSql()}, not {value.Type}", e.Position);
        return BoundExpressions.Cast(value, type);
    }
}
