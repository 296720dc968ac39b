using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>One <c>WHEN condition THEN result</c> arm of a searched CASE.</summary>
public sealed record BoundWhen(BoundExpression Condition, BoundExpression Result)
{
    public override string ToString() => $"WHEN {Condition} THEN {Result}";
}

/// <summary>
/// Searched CASE (simple CASE, NULLIF and IF are lowered to it). Arms are tried in order; a result is only
/// evaluated for the rows that reach it, so <c>CASE WHEN b = 0 THEN NULL ELSE a / b END</c> is safe.
/// A missing ELSE means ELSE NULL.
/// </summary>
public sealed record BoundCase(EquatableArray<BoundWhen> Whens, BoundExpression? Else, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children
    {
        get
        {
            foreach (var w in Whens)
            {
                yield return w.Condition;
                yield return w.Result;
            }
            if (Else is not null) yield return Else;
        }
    }

    public override string ToString() => $"CASE {string.Join(" ", Whens)}{(Else is null ? "" : $" ELSE {Else}")} END";
}

/// <summary><c>COALESCE(a, b, ...)</c>: the first non-NULL operand; later operands are only evaluated where needed.</summary>
public sealed record BoundCoalesce(EquatableArray<BoundExpression> Operands, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => Operands;
    public override string ToString() => $"COALESCE({Operands})";
}

/// <summary>
/// A call of a scalar function from <see cref="FunctionRegistry"/>. <paramref name="Name"/> is the canonical
/// upper-case name (aliases resolved); arguments already have the types the function's signature requires.
/// </summary>
public sealed record BoundFunctionCall(string Name, EquatableArray<BoundExpression> Arguments, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => Arguments;
    public override string ToString() => $"{Name}({Arguments})";
}
