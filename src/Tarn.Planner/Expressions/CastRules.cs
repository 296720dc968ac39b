using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// Which conversions are allowed, and in which context.
/// <list type="bullet">
/// <item><b>Explicit</b> (<c>CAST</c>/<c>TRY_CAST</c>): numeric ↔ numeric (out of range → 22003; to an integer
/// truncates toward zero; to a DECIMAL rounds half away from zero), BOOLEAN ↔ integer, every type ↔ CHAR/VARCHAR
/// (parse errors → 22P02 naming the value), BINARY ↔ VARCHAR (UTF-8), DATE ↔ TIMESTAMP ↔ TIMESTAMP_LTZ
/// (through the session time zone), TIMESTAMP → TIME, TIME/TIMESTAMP precision changes, NULL → anything.</item>
/// <item><b>Implicit</b> (operands unified by the engine or binder without being asked): only widenings that
/// cannot fail — integer → wider integer, integer/DECIMAL → DECIMAL that holds it, exact → FLOAT/DOUBLE, FLOAT →
/// DOUBLE, CHAR ↔ VARCHAR (VARCHAR never shorter), BINARY → VARBINARY, DATE → TIMESTAMP, more fractional digits.</item>
/// <item><b>Assignment</b> (INSERT into a column, UPDATE ... SET): Implicit plus any numeric → numeric, TIMESTAMP →
/// DATE, TIME/TIMESTAMP to a lower precision, strings/bytes to a shorter type, any type → string and string → any
/// type an explicit CAST allows (PostgreSQL's assignment context, DuckDB) — all checked at run time (22P02 for a
/// string that does not parse, 22003 for a number out of range).</item>
/// </list>
/// </summary>
public static class CastRules
{
    public static bool CanCastExplicitly(DataType from, DataType to)
    {
        if (from.Kind == TypeKind.Null) return true;
        // ARRAY ↔ ARRAY element-wise; ARRAY ↔ CHAR/VARCHAR as the text [a, b] (DuckDB, Flink).
        if (from.IsArray || to.IsArray)
            return from.IsArray && to.IsArray ? CanCastExplicitly(from.Element!, to.Element!) : from.IsString || to.IsString;
        if (SameFamily(from, to)) return true;
        if (from.IsString || to.IsString)
        {
            var other = from.IsString ? to : from;
            return other.Kind is not (TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth or TypeKind.Null);
        }
        if (from.IsNumeric && to.IsNumeric) return true;
        if (from.Kind == TypeKind.Boolean && to.IsIntegral) return true;
        if (from.IsIntegral && to.Kind == TypeKind.Boolean) return true;
        if ((from.IsTimestamp || from.Kind == TypeKind.Date) && (to.IsTimestamp || to.Kind == TypeKind.Date)) return true;
        if (from.IsTimestamp && to.Kind == TypeKind.Time) return true;
        return false;
    }

    public static bool CanCastImplicitly(DataType from, DataType to)
    {
        if (from.Kind == TypeKind.Null) return true;
        if (from.IsArray || to.IsArray) return from.IsArray && to.IsArray && CanCastImplicitly(from.Element!, to.Element!);
        if (from.Kind == to.Kind)
        {
            return from.Kind switch
            {
                TypeKind.Decimal => to.Precision - to.Scale >= from.Precision - from.Scale && to.Scale >= from.Scale,
                TypeKind.Varchar or TypeKind.Varbinary => to.Length >= from.Length,
                TypeKind.Char or TypeKind.Binary => to.Length == from.Length,
                TypeKind.Time or TypeKind.Timestamp or TypeKind.TimestampLtz => to.Precision >= from.Precision,
                _ => true,
            };
        }
        if (from.IsIntegral && to.IsIntegral) return TypeRules.IntegerDigits(to.Kind) >= TypeRules.IntegerDigits(from.Kind);
        if (from.IsIntegral && to.Kind == TypeKind.Decimal) return CanCastImplicitly(TypeRules.AsDecimal(from), to);
        if ((from.IsIntegral || from.Kind == TypeKind.Decimal) && to.IsApproximate) return true;
        if (from.Kind == TypeKind.Float && to.Kind == TypeKind.Double) return true;
        if (from.Kind == TypeKind.Char && to.Kind == TypeKind.Varchar) return to.Length >= from.Length;
        if (from.Kind == TypeKind.Binary && to.Kind == TypeKind.Varbinary) return to.Length >= from.Length;
        if (from.Kind == TypeKind.Date && to.IsTimestamp) return true;
        return false;
    }

    public static bool CanAssign(DataType from, DataType to)
    {
        if (CanCastImplicitly(from, to)) return true;
        if (from.IsArray && to.IsArray) return CanAssign(from.Element!, to.Element!);
        if (from.IsNumeric && to.IsNumeric) return true;
        if (from.IsString && to.IsString) return true;
        if ((from.IsString || to.IsString) && CanCastExplicitly(from, to)) return true;
        if (from.IsBinary && to.IsBinary) return true;
        if ((from.IsTimestamp || from.Kind == TypeKind.Date) && (to.IsTimestamp || to.Kind == TypeKind.Date)) return true;
        if (from.Kind == TypeKind.Time && to.Kind == TypeKind.Time) return true;
        return false;
    }

    public static bool CanCast(DataType from, DataType to, CastMode mode) => mode switch
    {
        CastMode.Implicit => CanCastImplicitly(from, to),
        CastMode.Assignment => CanAssign(from, to),
        _ => CanCastExplicitly(from, to),
    };

    private static bool SameFamily(DataType a, DataType b) =>
        a.Kind == b.Kind || (a.IsString && b.IsString) || (a.IsBinary && b.IsBinary) || (a.IsBinary && b.IsString) || (a.IsString && b.IsBinary);
}
