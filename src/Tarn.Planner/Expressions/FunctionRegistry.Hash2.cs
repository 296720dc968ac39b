using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>SHA224, SHA384, SHA512 and SHA2(string, bits).</summary>
public static partial class FunctionRegistry
{
    private static void RegisterMoreHashFunctions()
    {
        foreach (var name in new[] { "SHA224", "SHA384", "SHA512" })
        {
            Add(name, $"{name}(string)", a =>
                a is [var s] && (Str(s.Type) || s.Type.IsBinary) ? Call(name, a, [IsNullType(s.Type) ? DataType.String : s.Type], DataType.String) : null);
        }
        Add("SHA2", "SHA2(string, bits)", a =>
            a is [var s, var b] && (Str(s.Type) || s.Type.IsBinary) && Int(b.Type)
                ? Call("SHA2", a, [IsNullType(s.Type) ? DataType.String : s.Type, DataType.BigInt], DataType.String, alwaysNullable: true) : null);
    }
}
