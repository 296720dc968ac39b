using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A string literal compared with a CHAR(n) value is blank-padded to CHAR(n) (Flink/Calcite compare CHAR values
    /// in their common type CHAR(max(n, m)), which pads; PostgreSQL ignores trailing blanks of bpchar): so
    /// <c>c_mktsegment = 'BUILDING'</c> matches the stored <c>'BUILDING  '</c> of a CHAR(10) column. Only columns are
    /// known to hold padded values: a function's CHAR result (e.g. <c>UPPER('')</c>) is not padded, so a literal
    /// compared with it stays as written.
    /// </summary>
    internal static BoundExpression PadCharLiteral(BoundExpression e, BoundExpression otherExpression)
    {
        var other = otherExpression.Type;
        if (otherExpression is not BoundColumnRef || other.Kind != TypeKind.Char || e is not BoundLiteral { Value: string text } literal || literal.Type.Kind != TypeKind.Char) return e;
        if (text.Length >= other.Length) return e;
        return new BoundLiteral(text.PadRight(other.Length), DataType.Char(other.Length).WithNullable(false));
    }
}
