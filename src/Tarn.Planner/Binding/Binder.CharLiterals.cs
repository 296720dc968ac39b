using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A string literal compared with a CHAR(n) value is blank-padded to CHAR(n) (Flink/Calcite compare CHAR values
    /// in their common type CHAR(max(n, m)), which pads; PostgreSQL ignores trailing blanks of bpchar): so
    /// <c>c_mktsegment = 'BUILDING'</c> matches the stored <c>'BUILDING  '</c> of a CHAR(10) column.
    /// </summary>
    internal static BoundExpression PadCharLiteral(BoundExpression e, DataType other)
    {
        if (other.Kind != TypeKind.Char || e is not BoundLiteral { Value: string text } literal || literal.Type.Kind != TypeKind.Char) return e;
        if (text.Length >= other.Length) return e;
        return new BoundLiteral(text.PadRight(other.Length), DataType.Char(other.Length).WithNullable(false));
    }
}
