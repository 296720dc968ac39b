using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>Trigonometry, constants, random numbers, CBRT and TRUNCATE.</summary>
public static partial class FunctionRegistry
{
    private static void RegisterMathFunctions()
    {
        foreach (var name in new[] { "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "SINH", "COSH", "TANH", "COT", "DEGREES", "RADIANS", "CBRT" })
        {
            Add(name, $"{name}(numeric)", a => a is [var x] && Num(x.Type) ? Call(name, a, [DataType.Double], DataType.Double) : null);
        }
        Add("ATAN2", "ATAN2(y, x)", a =>
            a is [var y, var x] && Num(y.Type) && Num(x.Type) ? Call("ATAN2", a, [DataType.Double, DataType.Double], DataType.Double) : null);
        Add("PI", "PI()", a => a.Count == 0 ? Call("PI", a, [], DataType.Double.WithNullable(false)) : null);
        Add("E", "E()", a => a.Count == 0 ? Call("E", a, [], DataType.Double.WithNullable(false)) : null);
        Add("RAND", "RAND([seed])", a => a switch
        {
            [] => Call("RAND", a, [], DataType.Double.WithNullable(false)),
            [var s] when Int(s.Type) => Call("RAND", a, [DataType.BigInt], DataType.Double),
            _ => null,
        });
        Add("RAND_INTEGER", "RAND_INTEGER([seed,] bound)", a => a switch
        {
            [var b] when Int(b.Type) => Call("RAND_INTEGER", a, [DataType.BigInt], s_intType),
            [var s, var b] when Int(s.Type) && Int(b.Type) => Call("RAND_INTEGER", a, [DataType.BigInt, DataType.BigInt], s_intType),
            _ => null,
        });
        Add("TRUNCATE", "TRUNCATE(numeric [, digits])", a => a switch
        {
            [var x] when Num(x.Type) => Call("TRUNCATE", [x, BoundLiteral.Of(0L)], [NumType(x.Type), DataType.BigInt], RoundType(NumType(x.Type), 0)),
            [var x, var d] when Num(x.Type) && Int(d.Type) =>
                Call("TRUNCATE", a, [NumType(x.Type), DataType.BigInt], RoundType(NumType(x.Type), LiteralInt(d))),
            _ => null,
        });
    }
}
