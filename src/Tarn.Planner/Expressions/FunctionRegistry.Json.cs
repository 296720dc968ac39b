using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>JSON_VALUE / JSON_QUERY / JSON_EXISTS(json, path) with Flink's default ON EMPTY / ON ERROR behaviour, and
/// IS_JSON behind the IS JSON predicate. JSON_VALUE's RETURNING / ON EMPTY / ON ERROR clauses are composed by the
/// binder (Binder.Json) from these and two internal kernels.</summary>
public static partial class FunctionRegistry
{
    private static void RegisterJsonFunctions()
    {
        foreach (var name in new[] { "JSON_VALUE", "JSON_QUERY" })
        {
            Add(name, $"{name}(json, path)", a =>
                a is [var j, var p] && Str(j.Type) && Str(p.Type)
                    ? Call(name, a, [StrType(j.Type), StrType(p.Type)], DataType.String, alwaysNullable: true) : null);
        }
        // The function behind the IS [NOT] JSON predicate (Binder.Json): FALSE, never NULL, for NULL input.
        Add("IS_JSON", "IS_JSON(value, 'VALUE' | 'SCALAR' | 'ARRAY' | 'OBJECT')", a =>
            a is [var j, BoundLiteral { Value: "VALUE" or "SCALAR" or "ARRAY" or "OBJECT" } k] && Str(j.Type)
                ? new BoundFunctionCall("IS_JSON", [Coerce(j, StrType(j.Type)), k], DataType.Boolean.WithNullable(false)) : null);
        Add("JSON_EXISTS", "JSON_EXISTS(json, path)", a =>
            a is [var j, var p] && Str(j.Type) && Str(p.Type)
                ? Call("JSON_EXISTS", a, [StrType(j.Type), StrType(p.Type)], DataType.Boolean) : null);
    }
}
