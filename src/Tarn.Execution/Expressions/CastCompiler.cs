using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions;

/// <summary>Chooses the kernel for a cast from the source and target types (see <c>CastRules</c> for what is allowed).</summary>
public static class CastCompiler
{
    public static VectorExpression Create(VectorExpression input, DataType to, CastMode mode, ExecutionContext context)
    {
        var from = input.Type;
        var tryMode = mode == CastMode.Try;
        if (from.Kind == TypeKind.Null) return new ConstantExpression(to.WithNullable(true), null);
        if (SameType(from, to)) return from.Equals(to) ? input : new RetypeExpression(input, to);
        if (from.IsArray || to.IsArray) return ArrayCasts.Create(input, to, mode, context);

        // text and bytes
        if ((from.IsString || from.IsBinary) && (to.IsString || to.IsBinary))
        {
            var bounded = to.Length != DataType.MaxLength || to.Kind is TypeKind.Char or TypeKind.Binary;
            var retyped = new RetypeExpression(input, to);
            if (!bounded || (from.Kind != TypeKind.Char && from.Kind != TypeKind.Binary && from.Length <= to.Length && to.Kind is TypeKind.Varchar or TypeKind.Varbinary))
                return retyped;
            return new ResizeCast(retyped, to, rejectTooLong: mode == CastMode.Assignment, tryMode);
        }
        if (to.IsString)
        {
            var text = ToText(input, context);
            return to.Length == DataType.MaxLength && to.Kind == TypeKind.Varchar
                ? text
                : new ResizeCast(text, to, rejectTooLong: mode == CastMode.Assignment, tryMode);
        }
        if (from.IsString) return FromText(input, to, tryMode, context);

        if (from.IsNumeric && to.IsNumeric) return Numeric(input, to, tryMode);
        if (from.Kind == TypeKind.Boolean && to.IsIntegral)
        {
            return to.Physical switch
            {
                PhysicalType.Int8 => new UnaryMap<bool, sbyte, BoolToInteger<sbyte>>(input, to, default),
                PhysicalType.Int16 => new UnaryMap<bool, short, BoolToInteger<short>>(input, to, default),
                PhysicalType.Int32 => new UnaryMap<bool, int, BoolToInteger<int>>(input, to, default),
                _ => new UnaryMap<bool, long, BoolToInteger<long>>(input, to, default),
            };
        }
        if (from.IsIntegral && to.Kind == TypeKind.Boolean)
        {
            return from.Physical switch
            {
                PhysicalType.Int8 => new UnaryMap<sbyte, bool, IntegerToBool<sbyte>>(input, to, default),
                PhysicalType.Int16 => new UnaryMap<short, bool, IntegerToBool<short>>(input, to, default),
                PhysicalType.Int32 => new UnaryMap<int, bool, IntegerToBool<int>>(input, to, default),
                _ => new UnaryMap<long, bool, IntegerToBool<long>>(input, to, default),
            };
        }
        if (from.IsTemporal && to.IsTemporal) return Temporal(input, to, tryMode, context);
        if (from.Kind == to.Kind) return new RetypeExpression(input, to);
        throw new TarnException(SqlStates.FeatureNotSupported, $"cast from {from.ToSql()} to {to.ToSql()} is not supported");
    }

    private static bool SameType(DataType a, DataType b) => a.WithNullable(true).Equals(b.WithNullable(true))
        || (a.Kind == b.Kind && a.Kind is TypeKind.Boolean or TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt
            or TypeKind.Float or TypeKind.Double or TypeKind.Date or TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth);

    private static long UnitsPerMicro(DataType t) => t.Precision > 6 ? 1000L : 1L;

    private static long TruncationStep(DataType t)
    {
        var max = t.Precision > 6 ? 9 : 6;
        return t.Precision >= max ? 1 : (long)Math.Pow(10, max - t.Precision);
    }

    private static VectorExpression Temporal(VectorExpression input, DataType to, bool tryMode, ExecutionContext context)
    {
        var from = input.Type;
        var zone = context.SessionTimeZone;
        if (from.Kind == TypeKind.Date && to.IsTimestamp)
        {
            var toDate = new UnaryMap<int, long, DateToTimestamp>(input, to,
                new DateToTimestamp(UnitsPerMicro(to), to.Kind == TypeKind.TimestampLtz ? zone : null), tryMode);
            return toDate;
        }
        if (from.IsTimestamp && to.Kind == TypeKind.Date)
        {
            return new UnaryMap<long, int, TimestampToDate>(input, to,
                new TimestampToDate(UnitsPerMicro(from), from.Kind == TypeKind.TimestampLtz ? zone : null), tryMode);
        }
        if ((from.IsTimestamp && (to.IsTimestamp || to.Kind == TypeKind.Time)) || (from.Kind == TypeKind.Time && to.Kind == TypeKind.Time))
        {
            TimeZoneInfo? shift = null;
            var direction = 0;
            if (from.Kind == TypeKind.Timestamp && to.Kind == TypeKind.TimestampLtz) { shift = zone; direction = 1; }
            else if (from.Kind == TypeKind.TimestampLtz && to.Kind != TypeKind.TimestampLtz) { shift = zone; direction = -1; }
            var op = new TemporalRescale(UnitsPerMicro(from), UnitsPerMicro(to), TruncationStep(to), shift, direction,
                timeOfDay: to.Kind == TypeKind.Time && from.Kind != TypeKind.Time);
            return new UnaryMap<long, long, TemporalRescale>(input, to, op, tryMode);
        }
        throw new TarnException(SqlStates.FeatureNotSupported, $"cast from {from.ToSql()} to {to.ToSql()} is not supported");
    }

    private static VectorExpression Numeric(VectorExpression input, DataType to, bool tryMode)
    {
        var from = input.Type;
        if (from.Kind == TypeKind.Decimal || to.Kind == TypeKind.Decimal) return DecimalCast(input, to, tryMode);
        return (from.Physical, to.Physical) switch
        {
            (PhysicalType.Int8, _) => FromNumber<sbyte>(input, to, tryMode),
            (PhysicalType.Int16, _) => FromNumber<short>(input, to, tryMode),
            (PhysicalType.Int32, _) => FromNumber<int>(input, to, tryMode),
            (PhysicalType.Int64, _) => FromNumber<long>(input, to, tryMode),
            (PhysicalType.Float32, _) => FromNumber<float>(input, to, tryMode),
            _ => FromNumber<double>(input, to, tryMode),
        };
    }

    private static VectorExpression FromNumber<TFrom>(VectorExpression input, DataType to, bool tryMode)
        where TFrom : unmanaged, System.Numerics.INumberBase<TFrom> => to.Physical switch
    {
        PhysicalType.Int8 => new UnaryMap<TFrom, sbyte, NumberConvert<TFrom, sbyte>>(input, to, default, tryMode),
        PhysicalType.Int16 => new UnaryMap<TFrom, short, NumberConvert<TFrom, short>>(input, to, default, tryMode),
        PhysicalType.Int32 => new UnaryMap<TFrom, int, NumberConvert<TFrom, int>>(input, to, default, tryMode),
        PhysicalType.Int64 => new UnaryMap<TFrom, long, NumberConvert<TFrom, long>>(input, to, default, tryMode),
        PhysicalType.Float32 => new UnaryMap<TFrom, float, NumberConvert<TFrom, float>>(input, to, default, tryMode),
        _ => new UnaryMap<TFrom, double, NumberConvert<TFrom, double>>(input, to, default, tryMode),
    };

    private static VectorExpression DecimalCast(VectorExpression input, DataType to, bool tryMode)
    {
        var from = input.Type;
        if (from.Kind == TypeKind.Decimal)
        {
            return from.Physical == PhysicalType.Int64 ? FromDecimal<long>(input, to, tryMode) : FromDecimal<Int128>(input, to, tryMode);
        }
        // to DECIMAL from an integer or floating type
        var wide = to.Physical == PhysicalType.Int128;
        return from.Physical switch
        {
            PhysicalType.Int8 => IntToDecimal<sbyte>(input, to, wide, tryMode),
            PhysicalType.Int16 => IntToDecimal<short>(input, to, wide, tryMode),
            PhysicalType.Int32 => IntToDecimal<int>(input, to, wide, tryMode),
            PhysicalType.Int64 => IntToDecimal<long>(input, to, wide, tryMode),
            PhysicalType.Float32 => wide
                ? new UnaryMap<float, Int128, FloatingToDecimal<float, Int128>>(input, to, new(to.Scale, to.Precision), tryMode)
                : new UnaryMap<float, long, FloatingToDecimal<float, long>>(input, to, new(to.Scale, to.Precision), tryMode),
            _ => wide
                ? new UnaryMap<double, Int128, FloatingToDecimal<double, Int128>>(input, to, new(to.Scale, to.Precision), tryMode)
                : new UnaryMap<double, long, FloatingToDecimal<double, long>>(input, to, new(to.Scale, to.Precision), tryMode),
        };
    }

    private static VectorExpression IntToDecimal<TFrom>(VectorExpression input, DataType to, bool wide, bool tryMode)
        where TFrom : unmanaged, System.Numerics.IBinaryInteger<TFrom> => wide
        ? new UnaryMap<TFrom, Int128, IntegerToDecimal<TFrom, Int128>>(input, to, new(to.Scale, to.Precision), tryMode)
        : new UnaryMap<TFrom, long, IntegerToDecimal<TFrom, long>>(input, to, new(to.Scale, to.Precision), tryMode);

    private static VectorExpression FromDecimal<TIn>(VectorExpression input, DataType to, bool tryMode)
        where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
    {
        var s = input.Type.Scale;
        return to.Physical switch
        {
            PhysicalType.Int8 => new UnaryMap<TIn, sbyte, DecimalToInteger<TIn, sbyte>>(input, to, new(s), tryMode),
            PhysicalType.Int16 => new UnaryMap<TIn, short, DecimalToInteger<TIn, short>>(input, to, new(s), tryMode),
            PhysicalType.Int32 => new UnaryMap<TIn, int, DecimalToInteger<TIn, int>>(input, to, new(s), tryMode),
            PhysicalType.Int64 when to.Kind == TypeKind.BigInt => new UnaryMap<TIn, long, DecimalToInteger<TIn, long>>(input, to, new(s), tryMode),
            PhysicalType.Int64 => new UnaryMap<TIn, long, DecimalToDecimal<TIn, long>>(input, to, new(s, to.Scale, to.Precision), tryMode),
            PhysicalType.Int128 => new UnaryMap<TIn, Int128, DecimalToDecimal<TIn, Int128>>(input, to, new(s, to.Scale, to.Precision), tryMode),
            PhysicalType.Float32 => new UnaryMap<TIn, float, DecimalToFloating<TIn, float>>(input, to, new(s), tryMode),
            _ => new UnaryMap<TIn, double, DecimalToFloating<TIn, double>>(input, to, new(s), tryMode),
        };
    }

    private static VectorExpression ToText(VectorExpression input, ExecutionContext context)
    {
        var from = input.Type;
        var to = DataType.String.WithNullable(from.Nullable);
        return from.Kind switch
        {
            TypeKind.Boolean => new FormatCast<bool, BooleanText>(input, to, default),
            TypeKind.TinyInt => new FormatCast<sbyte, IntegerText<sbyte>>(input, to, default),
            TypeKind.SmallInt => new FormatCast<short, IntegerText<short>>(input, to, default),
            TypeKind.Int => new FormatCast<int, IntegerText<int>>(input, to, default),
            TypeKind.BigInt => new FormatCast<long, IntegerText<long>>(input, to, default),
            TypeKind.Float => new FormatCast<float, FloatText>(input, to, default),
            TypeKind.Double => new FormatCast<double, DoubleText>(input, to, default),
            TypeKind.Decimal when from.Physical == PhysicalType.Int64 => new FormatCast<long, DecimalText<long>>(input, to, new(from.Scale)),
            TypeKind.Decimal => new FormatCast<Int128, DecimalText<Int128>>(input, to, new(from.Scale)),
            TypeKind.Date => new FormatCast<int, DateText>(input, to, default),
            TypeKind.Time => new FormatCast<long, TimeText>(input, to, new(from)),
            TypeKind.Timestamp => new FormatCast<long, TimestampText>(input, to, new(from, null)),
            TypeKind.TimestampLtz => new FormatCast<long, TimestampText>(input, to, new(from, context.SessionTimeZone)),
            TypeKind.IntervalDayTime => new FormatCast<long, IntervalText>(input, to, default),
            TypeKind.IntervalYearMonth => new FormatCast<int, IntervalMonthsText>(input, to, default),
            _ => throw new TarnException(SqlStates.FeatureNotSupported, $"cast from {from.ToSql()} to STRING is not supported"),
        };
    }

    private static VectorExpression FromText(VectorExpression input, DataType to, bool tryMode, ExecutionContext context) => to.Kind switch
    {
        TypeKind.Boolean => new ParseCast<bool, BooleanParser>(input, to, default, tryMode),
        TypeKind.TinyInt => new ParseCast<sbyte, IntegerParser<sbyte>>(input, to, new(sbyte.MinValue, sbyte.MaxValue), tryMode),
        TypeKind.SmallInt => new ParseCast<short, IntegerParser<short>>(input, to, new(short.MinValue, short.MaxValue), tryMode),
        TypeKind.Int => new ParseCast<int, IntegerParser<int>>(input, to, new(int.MinValue, int.MaxValue), tryMode),
        TypeKind.BigInt => new ParseCast<long, IntegerParser<long>>(input, to, new(long.MinValue, long.MaxValue), tryMode),
        TypeKind.Float => new ParseCast<float, FloatParser>(input, to, default, tryMode),
        TypeKind.Double => new ParseCast<double, DoubleParser>(input, to, default, tryMode),
        TypeKind.Decimal when to.Physical == PhysicalType.Int64 => new ParseCast<long, DecimalParser<long>>(input, to, new(to.Precision, to.Scale), tryMode),
        TypeKind.Decimal => new ParseCast<Int128, DecimalParser<Int128>>(input, to, new(to.Precision, to.Scale), tryMode),
        TypeKind.Date => new ParseCast<int, DateParser>(input, to, default, tryMode),
        TypeKind.Time => new ParseCast<long, TimeParser>(input, to, new(to), tryMode),
        TypeKind.Timestamp or TypeKind.TimestampLtz => new ParseCast<long, TimestampParser>(input, to, new(to, context.SessionTimeZone), tryMode),
        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"cast from {input.Type.ToSql()} to {to.ToSql()} is not supported"),
    };
}
