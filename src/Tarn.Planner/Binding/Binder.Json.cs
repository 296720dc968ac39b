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
