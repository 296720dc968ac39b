using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// ARRAY functions (Flink's names, DuckDB's aliases):
/// <list type="bullet">
/// <item><c>ARRAY[a, b]</c> / <c>[a, b]</c> bind as <c>ARRAY_VALUE(a, b)</c>: elements are unified to their common type
/// (CHAR becomes VARCHAR), the result is never NULL, NULL arguments are NULL elements;</item>
/// <item><c>arr[i]</c> binds as <c>ARRAY_EXTRACT(arr, i)</c>: 1-based, NULL out of range (DuckDB; Flink throws);</item>
/// <item><c>ARRAY_CONCAT(a, b, ...)</c> and <c>a || b</c>: the elements of all arrays in order; NULL if any argument is
/// NULL (Flink);</item>
/// <item><c>CARDINALITY(arr)</c> INT; <c>ELEMENT(arr)</c> the only element, NULL for an empty array, error (21000) for more;
/// <c>ARRAY_CONTAINS(arr, x)</c> whether some element equals x (a NULL x finds a NULL element, as in Flink).</item>
/// </list>
/// </summary>
public static partial class FunctionRegistry
{
    public const string ArrayValueFunction = "ARRAY_VALUE";
    public const string ArrayExtractFunction = "ARRAY_EXTRACT";
    public const string ArrayConcatFunction = "ARRAY_CONCAT";

    private static void RegisterArrayFunctions()
    {
        Add(ArrayValueFunction, "ARRAY_VALUE(element, ...)", BindArrayValue, "LIST_VALUE");
        Add(ArrayExtractFunction, "ARRAY_EXTRACT(array, index)", a => a is [var arr, var i] && arr.Type.IsArray && Int(i.Type)
            ? Call(ArrayExtractFunction, a, [arr.Type, DataType.BigInt], arr.Type.Element!, alwaysNullable: true)
            : null, "LIST_EXTRACT", "LIST_ELEMENT");
        Add(ArrayConcatFunction, "ARRAY_CONCAT(array, ...)", a =>
        {
            if (a.Count == 0) return null;
            foreach (var x in a) if (!x.Type.IsArray && !IsNullType(x.Type)) return null;
            var type = TypeRules.CommonType(a.Select(x => x.Type));
            if (type is null || !type.IsArray) return null;
            return Call(ArrayConcatFunction, a, [.. a.Select(_ => type)], type);
        }, "LIST_CONCAT", "ARRAY_CAT", "LIST_CAT");
        Add("CARDINALITY", "CARDINALITY(array)", a => a is [var arr] && arr.Type.IsArray
            ? Call("CARDINALITY", a, [arr.Type], s_intType)
            : null);
        Add("ELEMENT", "ELEMENT(array)", a => a is [var arr] && arr.Type.IsArray
            ? Call("ELEMENT", a, [arr.Type], arr.Type.Element!, alwaysNullable: true)
            : null);
        Add("ARRAY_CONTAINS", "ARRAY_CONTAINS(array, element)", a =>
        {
            if (a is not [var arr, var x] || !arr.Type.IsArray) return null;
            var element = TypeRules.CommonType(arr.Type.Element!, x.Type);
            if (element is null) return null;
            var call = Call("ARRAY_CONTAINS", a, [DataType.Array(element), element.WithNullable(true)], DataType.Boolean);
            return call with { Type = DataType.Boolean.WithNullable(arr.Type.Nullable) };
        }, "LIST_CONTAINS", "ARRAY_HAS", "LIST_HAS");
    }

    private static BoundExpression? BindArrayValue(IReadOnlyList<BoundExpression> args)
    {
        var element = args.Count == 0 ? DataType.Null : TypeRules.CommonType(args.Select(x => x.Type));
        if (element is null) return null;
        if (element.Kind == TypeKind.Char) element = DataType.Varchar(element.Length);
        if (element.Kind == TypeKind.Binary) element = new DataType(TypeKind.Varbinary, Length: element.Length);
        element = element.WithNullable(true);
        var coerced = new BoundExpression[args.Count];
        for (var i = 0; i < args.Count; i++) coerced[i] = Coerce(args[i], element);
        return new BoundFunctionCall(ArrayValueFunction, coerced, DataType.Array(element).WithNullable(false));
    }
}
