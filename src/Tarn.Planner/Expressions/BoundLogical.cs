using Tarn.Types;

namespace Tarn.Planner.Expressions;

public enum LogicalOperator : byte
{
    And,
    Or,
}

/// <summary>
/// N-ary AND / OR with SQL three-valued logic (FALSE AND NULL = FALSE, TRUE OR NULL = TRUE). In a WHERE clause
/// the engine evaluates operands left to right on the rows still undecided, so <c>b &lt;&gt; 0 AND a / b &gt; 1</c>
/// does not divide by zero; in a SELECT list all operands are evaluated on every row.
/// </summary>
public sealed record BoundLogical(LogicalOperator Operator, EquatableArray<BoundExpression> Operands, DataType Type)
    : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => Operands;
    public override string ToString() => "(" + string.Join(Operator == LogicalOperator.And ? " AND " : " OR ", Operands) + ")";
}

public sealed record BoundNot(BoundExpression Operand, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand];
    public override string ToString() => $"(NOT {Operand})";
}

/// <summary><c>x IS NULL</c>, or <c>x IS NOT NULL</c> when <paramref name="Negated"/>. Never NULL.</summary>
public sealed record BoundIsNull(BoundExpression Operand, bool Negated, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand];
    public override string ToString() => $"({Operand} IS {(Negated ? "NOT " : "")}NULL)";
}

/// <summary><c>x IS [NOT] TRUE</c> / <c>x IS [NOT] FALSE</c> (<paramref name="Value"/> is TRUE or FALSE). Never NULL.</summary>
public sealed record BoundIsTruth(BoundExpression Operand, bool Value, bool Negated, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand];
    public override string ToString() => $"({Operand} IS {(Negated ? "NOT " : "")}{(Value ? "TRUE" : "FALSE")})";
}

/// <summary>
/// <c>x [NOT] IN (v1, v2, ...)</c>: TRUE if x equals some value; otherwise NULL if x or any value is NULL;
/// otherwise FALSE (negated: the NOT of that).
/// </summary>
public sealed record BoundInList(BoundExpression Operand, EquatableArray<BoundExpression> Values, bool Negated, DataType Type)
    : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand, .. Values];
    public override string ToString() => $"({Operand} {(Negated ? "NOT " : "")}IN ({Values}))";
}

/// <summary>
/// <c>x [NOT] LIKE pattern [ESCAPE e]</c>: <c>%</c> any run, <c>_</c> one character, case-sensitive.
/// The escape must be one character (22025 otherwise); Flink has no default escape character.
/// </summary>
public sealed record BoundLike(BoundExpression Operand, BoundExpression Pattern, BoundExpression? Escape, bool Negated, DataType Type)
    : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => Escape is null ? [Operand, Pattern] : [Operand, Pattern, Escape];
    public override string ToString() => $"({Operand} {(Negated ? "NOT " : "")}LIKE {Pattern}{(Escape is null ? "" : $" ESCAPE {Escape}")})";
}
