using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>How a cast was introduced; it decides what happens when a value does not fit.</summary>
public enum CastMode : byte
{
    /// <summary><c>CAST(x AS t)</c>: invalid input raises 22P02, out-of-range 22003; strings longer than
    /// VARCHAR(n) are truncated and CHAR(n) is blank-padded (Flink's behaviour).</summary>
    Explicit = 0,
    /// <summary><c>TRY_CAST(x AS t)</c>: any conversion error gives NULL instead.</summary>
    Try = 1,
    /// <summary>A widening cast the binder or compiler inserted to unify operand types; it cannot fail.</summary>
    Implicit = 2,
    /// <summary>INSERT/UPDATE into a column: like Explicit, but a string longer than the column raises 22001
    /// instead of being truncated (PostgreSQL's rule; silent truncation loses data).</summary>
    Assignment = 3,
}

public sealed record BoundCast(BoundExpression Operand, DataType Type, CastMode Mode = CastMode.Explicit) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [Operand];

    public override string ToString() => $"{(Mode == CastMode.Try ? "TRY_CAST" : "CAST")}({Operand} AS {Type.ToSql()})";
}
