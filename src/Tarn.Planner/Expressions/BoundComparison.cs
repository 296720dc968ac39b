using Tarn.Types;

namespace Tarn.Planner.Expressions;

public enum ComparisonOperator : byte
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    /// <summary><c>IS DISTINCT FROM</c>: like &lt;&gt; but NULL is a value (never returns NULL).</summary>
    IsDistinctFrom,
    /// <summary><c>IS NOT DISTINCT FROM</c>: like = but NULL is a value (never returns NULL).</summary>
    IsNotDistinctFrom,
}

/// <summary>
/// A comparison; operands are compared in their common type (<see cref="TypeRules.CommonType(DataType, DataType)"/>). Strings
/// compare by UTF-8 bytes (code point order, as Flink's BinaryStringData does); DOUBLE uses IEEE semantics.
/// </summary>
public sealed record BoundComparison(ComparisonOperator Operator, BoundExpression Left, BoundExpression Right, DataType Type)
    : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Left, Right];

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.IsDistinctFrom => "IS DISTINCT FROM",
        _ => "IS NOT DISTINCT FROM",
    };

    /// <summary>The operator with its operands swapped (<c>a &lt; b</c> ⇔ <c>b &gt; a</c>).</summary>
    public static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };

    public override string ToString() => $"({Left} {Symbol(Operator)} {Right})";
}
