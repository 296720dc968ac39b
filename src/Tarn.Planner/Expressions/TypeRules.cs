using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// The typing rules shared by the binder and the execution engine. They follow Flink
/// (<c>LogicalTypeMerging</c>), with the deviations noted on each method.
/// Result nullability: nullable when any input is nullable, unless stated otherwise.
/// </summary>
public static class TypeRules
{
    /// <summary>Digits an integer type needs as a DECIMAL: TINYINT 3, SMALLINT 5, INT 10, BIGINT 19.</summary>
    public static int IntegerDigits(TypeKind kind) => kind switch
    {
        TypeKind.TinyInt => 3,
        TypeKind.SmallInt => 5,
        TypeKind.Int => 10,
        TypeKind.BigInt => 19,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An integer type seen as the DECIMAL(n, 0) that holds all its values; decimals are returned unchanged.</summary>
    public static DataType AsDecimal(DataType t) =>
        t.Kind == TypeKind.Decimal ? t : DataType.Decimal(IntegerDigits(t.Kind), 0).WithNullable(t.Nullable);

    private static int IntegerRank(TypeKind k) => k switch
    {
        TypeKind.TinyInt => 1,
        TypeKind.SmallInt => 2,
        TypeKind.Int => 3,
        TypeKind.BigInt => 4,
        _ => 0,
    };

    /// <summary>
    /// The type both operands are converted to for a comparison, CASE/COALESCE arms, IN lists, GREATEST/LEAST
    /// and UNION columns; <c>null</c> when there is none. Rules: NULL takes the other type; integers widen
    /// TINYINT &lt; SMALLINT &lt; INT &lt; BIGINT; integer with DECIMAL gives a DECIMAL wide enough for both
    /// (integer digits max(p1-s1, p2-s2), scale max(s1, s2), capped at 38 by giving up scale); FLOAT with an integer
    /// stays FLOAT and FLOAT with DOUBLE or DECIMAL gives DOUBLE (Flink); CHAR/VARCHAR give VARCHAR of the longer
    /// length (CHAR(n) with CHAR(n) stays CHAR(n)); DATE with TIMESTAMP gives TIMESTAMP; TIMESTAMP with TIMESTAMP_LTZ
    /// gives TIMESTAMP_LTZ; times and timestamps take the larger precision. A string never unifies with a
    /// non-string: the binder casts string literals itself before asking.
    /// </summary>
    public static DataType? CommonType(DataType a, DataType b)
    {
        var nullable = a.Nullable || b.Nullable;
        var t = CommonTypeIgnoringNullability(a, b);
        if (t is { IsString: true }) t = t.WithCollation(Collations.Common(a, b)); // a collation survives CASE, COALESCE, UNION
        return t?.WithNullable(nullable);
    }

    /// <summary><see cref="CommonType(DataType, DataType)"/> over many types (left to right); <c>null</c> if some pair has none.</summary>
    public static DataType? CommonType(IEnumerable<DataType> types)
    {
        DataType? result = null;
        foreach (var t in types)
        {
            result = result is null ? t : CommonType(result, t);
            if (result is null) return null;
        }
        return result;
    }

    private static DataType? CommonTypeIgnoringNullability(DataType a, DataType b)
    {
        if (a.Kind == TypeKind.Null) return b;
        if (b.Kind == TypeKind.Null) return a;
        if (a.IsArray || b.IsArray)
        {
            // ARRAY with ARRAY: the array of the elements' common type.
            var element = a.IsArray && b.IsArray ? CommonType(a.Element!, b.Element!) : null;
            return element is null ? null : DataType.Array(element);
        }
        if (a.IsString && b.IsString)
        {
            if (a.Kind == TypeKind.Char && b.Kind == TypeKind.Char && a.Length == b.Length) return a;
            return DataType.Varchar(Math.Max(a.Length, b.Length));
        }
        if (a.IsBinary && b.IsBinary)
        {
            if (a.Kind == TypeKind.Binary && b.Kind == TypeKind.Binary && a.Length == b.Length) return a;
            return new DataType(TypeKind.Varbinary, Length: Math.Max(a.Length, b.Length));
        }
        if (a.IsNumeric && b.IsNumeric)
        {
            if (a.IsApproximate || b.IsApproximate)
            {
                if (a.Kind == TypeKind.Double || b.Kind == TypeKind.Double) return DataType.Double;
                if (a.Kind == TypeKind.Decimal || b.Kind == TypeKind.Decimal) return DataType.Double;
                return DataType.Float;
            }
            if (a.IsIntegral && b.IsIntegral) return IntegerRank(a.Kind) >= IntegerRank(b.Kind) ? a : b;
            var da = AsDecimal(a);
            var db = AsDecimal(b);
            var digits = Math.Min(Math.Max(da.Precision - da.Scale, db.Precision - db.Scale), DataType.MaxDecimalPrecision);
            var scale = Math.Min(Math.Max(da.Scale, db.Scale), DataType.MaxDecimalPrecision - digits);
            return DataType.Decimal(digits + scale, scale);
        }
        if (a.Kind == TypeKind.Boolean && b.Kind == TypeKind.Boolean) return DataType.Boolean;
        if (a.Kind == TypeKind.Date && b.Kind == TypeKind.Date) return DataType.Date;
        if (a.Kind == TypeKind.Time && b.Kind == TypeKind.Time) return DataType.Time(Math.Max(a.Precision, b.Precision));
        if ((a.IsTimestamp || a.Kind == TypeKind.Date) && (b.IsTimestamp || b.Kind == TypeKind.Date))
        {
            var precision = Math.Max(a.IsTimestamp ? a.Precision : 0, b.IsTimestamp ? b.Precision : 0);
            return a.Kind == TypeKind.TimestampLtz || b.Kind == TypeKind.TimestampLtz
                ? DataType.TimestampLtz(precision)
                : DataType.Timestamp(precision);
        }
        if (a.Kind == b.Kind && a.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth) return new DataType(a.Kind);
        return null;
    }

    /// <summary>
    /// Result type of <c>left op right</c>, or <c>null</c> if the operator does not apply. Rules (Flink/Calcite):
    /// <list type="bullet">
    /// <item>integer op integer → the wider integer type; <c>/</c> is integer division, <c>%</c> keeps the sign of the dividend;</item>
    /// <item>FLOAT op FLOAT → FLOAT; FLOAT op integer → FLOAT; any DOUBLE, or FLOAT with DECIMAL → DOUBLE;</item>
    /// <item>DECIMAL (integers count as DECIMAL(3|5|10|19, 0)), following SQL Server as Flink does:
    /// <c>+ -</c>: scale max(s1,s2), precision max(p1-s1, p2-s2) + scale + 1;
    /// <c>*</c>: scale s1+s2, precision p1+p2+1;
    /// <c>/</c>: scale max(6, s1+p2+1), precision p1-s1+s2+scale;
    /// <c>%</c>: scale max(s1,s2), precision min(p1-s1, p2-s2) + scale.
    /// A precision over 38 becomes 38 and the scale shrinks to keep the integer digits, but not below min(scale, 6);</item>
    /// <item>TIMESTAMP/TIMESTAMP_LTZ/DATE/TIME ± INTERVAL → the same temporal type (DATE ± a day-time interval moves by
    /// whole days, like Calcite); INTERVAL + temporal likewise; INTERVAL ± INTERVAL of the same kind → that kind.</item>
    /// </list>
    /// </summary>
    public static DataType? ArithmeticType(ArithmeticOperator op, DataType left, DataType right)
    {
        var nullable = left.Nullable || right.Nullable;
        if (left.Kind == TypeKind.Null && right.Kind == TypeKind.Null) return DataType.Null;
        if (left.Kind == TypeKind.Null) left = right.IsNumeric ? right : left;
        if (right.Kind == TypeKind.Null) right = left.IsNumeric ? left : right;
        var t = ArithmeticTypeCore(op, left, right);
        return t?.WithNullable(nullable);
    }

    private static DataType? ArithmeticTypeCore(ArithmeticOperator op, DataType l, DataType r)
    {
        if (l.IsNumeric && r.IsNumeric)
        {
            if (l.IsApproximate || r.IsApproximate)
            {
                if (l.Kind == TypeKind.Double || r.Kind == TypeKind.Double) return DataType.Double;
                if (l.Kind == TypeKind.Decimal || r.Kind == TypeKind.Decimal) return DataType.Double;
                return DataType.Float;
            }
            if (l.IsIntegral && r.IsIntegral) return IntegerRank(l.Kind) >= IntegerRank(r.Kind) ? l : r;
            var a = AsDecimal(l);
            var b = AsDecimal(r);
            return DecimalArithmeticType(op, a.Precision, a.Scale, b.Precision, b.Scale);
        }
        var temporalOk = op is ArithmeticOperator.Add or ArithmeticOperator.Subtract;
        if (!temporalOk) return null;
        if (IsInterval(r) && (l.IsTemporal)) return IntervalAppliesTo(l, r) ? l : null;
        if (op == ArithmeticOperator.Add && IsInterval(l) && r.IsTemporal) return IntervalAppliesTo(r, l) ? r : null;
        if (IsInterval(l) && l.Kind == r.Kind) return new DataType(l.Kind);
        return null;
    }

    private static bool IsInterval(DataType t) => t.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth;

    private static bool IntervalAppliesTo(DataType temporal, DataType interval) =>
        temporal.Kind != TypeKind.Time || interval.Kind == TypeKind.IntervalDayTime;

    /// <summary>The DECIMAL result of an arithmetic operator on DECIMAL(p1,s1) and DECIMAL(p2,s2) (see <see cref="ArithmeticType"/>).</summary>
    public static DataType DecimalArithmeticType(ArithmeticOperator op, int p1, int s1, int p2, int s2)
    {
        int precision, scale;
        switch (op)
        {
            case ArithmeticOperator.Add:
            case ArithmeticOperator.Subtract:
                scale = Math.Max(s1, s2);
                precision = Math.Max(p1 - s1, p2 - s2) + scale + 1;
                break;
            case ArithmeticOperator.Multiply:
                scale = s1 + s2;
                precision = p1 + p2 + 1;
                break;
            case ArithmeticOperator.Divide:
                scale = Math.Max(6, s1 + p2 + 1);
                precision = p1 - s1 + s2 + scale;
                break;
            default:
                scale = Math.Max(s1, s2);
                precision = Math.Min(p1 - s1, p2 - s2) + scale;
                break;
        }
        return AdjustPrecisionScale(precision, scale);
    }

    /// <summary>Caps a derived DECIMAL at 38 digits, shrinking the scale but keeping at least min(scale, 6) (Hive/Spark/Flink).</summary>
    public static DataType AdjustPrecisionScale(int precision, int scale)
    {
        if (precision <= DataType.MaxDecimalPrecision) return DataType.Decimal(Math.Max(precision, 1), scale);
        var integerDigits = precision - scale;
        var minScale = Math.Min(scale, 6);
        var adjusted = Math.Max(DataType.MaxDecimalPrecision - integerDigits, minScale);
        return DataType.Decimal(DataType.MaxDecimalPrecision, adjusted);
    }

    /// <summary>
    /// Result type of an aggregate over <paramref name="argument"/> (ignored for COUNT(*)), or <c>null</c> when the
    /// aggregate does not apply to that type:
    /// COUNT / COUNT(*) → BIGINT NOT NULL;
    /// SUM(integer) → BIGINT (Flink keeps the argument type, which overflows easily; a BIGINT sum is what
    /// PostgreSQL and DuckDB users expect; overflow raises 22003), SUM(DECIMAL(p,s)) → DECIMAL(38,s),
    /// SUM(FLOAT/DOUBLE) → DOUBLE, SUM(INTERVAL) → the interval;
    /// AVG(integer) → DOUBLE (deliberately not Flink's truncating AVG(INT) → INT, which surprises nearly everyone),
    /// AVG(DECIMAL(p,s)) → DECIMAL(38, max(6, s)) (Flink), AVG(FLOAT/DOUBLE) → DOUBLE;
    /// MIN/MAX → the argument type. All but COUNT are nullable (empty or all-NULL input gives NULL).
    /// </summary>
    public static DataType? AggregateType(AggregateKind kind, DataType? argument)
    {
        switch (kind)
        {
            case AggregateKind.CountStar:
            case AggregateKind.Count:
            case AggregateKind.ApproxCountDistinct when argument is not null:
                return DataType.BigInt.WithNullable(false);
        }
        if (argument is null) return null;
        return kind switch
        {
            AggregateKind.Sum when argument.IsIntegral => DataType.BigInt,
            AggregateKind.Sum when argument.Kind == TypeKind.Decimal => DataType.Decimal(38, argument.Scale),
            AggregateKind.Sum when argument.IsApproximate => DataType.Double,
            AggregateKind.Sum when argument.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth => new DataType(argument.Kind),
            AggregateKind.Avg when argument.IsIntegral || argument.IsApproximate => DataType.Double,
            AggregateKind.Avg when argument.Kind == TypeKind.Decimal => DataType.Decimal(38, Math.Max(6, argument.Scale)),
            AggregateKind.Min or AggregateKind.Max when argument.Kind != TypeKind.Null => argument.WithNullable(true),
            AggregateKind.StddevPop or AggregateKind.StddevSamp or AggregateKind.VarPop or AggregateKind.VarSamp when argument.IsNumeric => DataType.Double,
            AggregateKind.BoolAnd or AggregateKind.BoolOr when argument.Kind == TypeKind.Boolean => DataType.Boolean,
            AggregateKind.ListAgg when argument.IsString => DataType.String,
            AggregateKind.ArrayAgg => DataType.Array(argument.Kind == TypeKind.Char ? DataType.Varchar(argument.Length) : argument),
            AggregateKind.FirstValue or AggregateKind.LastValue when argument.Kind != TypeKind.Null => argument.WithNullable(true),
            _ => null,
        };
    }

    /// <summary>True when values of the type can be ordered (ORDER BY, MIN/MAX, &lt;): everything but NULL-typed.</summary>
    public static bool IsOrderable(DataType t) => t.Kind != TypeKind.Null;
}
