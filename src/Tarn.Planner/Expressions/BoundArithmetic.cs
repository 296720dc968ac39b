using Tarn.Types;

namespace Tarn.Planner.Expressions;

public enum ArithmeticOperator : byte
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// <summary>
/// Binary arithmetic. Integer overflow raises 22003 (Flink wraps silently; an error is safer for a warehouse),
/// division or modulo by zero raises 22012 for every numeric type including DOUBLE, INT / INT is integer division
/// truncating toward zero (Flink/Java). Temporal forms: TIMESTAMP/DATE/TIME ± INTERVAL and INTERVAL + TIMESTAMP/DATE.
/// </summary>
public sealed record BoundArithmetic(ArithmeticOperator Operator, BoundExpression Left, BoundExpression Right, DataType Type)
    : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Left, Right];

    public static string Symbol(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        _ => "%",
    };

    public override string ToString() => $"({Left} {Symbol(Operator)} {Right})";
}

/// <summary>Unary minus. Negating the smallest integer raises 22003.</summary>
public sealed record BoundNegate(BoundExpression Operand, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand];
    public override string ToString() => $"(-{Operand})";
}

/// <summary>String (or bytes) concatenation <c>||</c>: NULL when either side is NULL.</summary>
public sealed record BoundConcat(BoundExpression Left, BoundExpression Right, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Left, Right];
    public override string ToString() => $"({Left} || {Right})";
}
