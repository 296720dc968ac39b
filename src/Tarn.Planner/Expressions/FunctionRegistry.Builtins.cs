using Tarn.Types;

namespace Tarn.Planner.Expressions;

public static partial class FunctionRegistry
{
    private static readonly DataType s_intType = DataType.Int;

    private static void RegisterBuiltins()
    {
        RegisterStringFunctions();
        RegisterNumericFunctions();
        RegisterConditionalFunctions();
        RegisterTemporalFunctions();
        RegisterHashFunctions();
        RegisterMoreStringFunctions();
        RegisterMathFunctions();
        RegisterMoreTemporalFunctions();
        RegisterJsonFunctions();
        RegisterMoreHashFunctions();
        RegisterOperatorFunctions();
        RegisterSessionFunctions();
        RegisterArrayFunctions();
        RegisterTimeAttributeFunctions();
    }

    private static void RegisterStringFunctions()
    {
        foreach (var name in new[] { "UPPER", "LOWER" })
        {
            Add(name, $"{name}(string)", a => a is [var s] && Str(s.Type) ? Call(name, a, [StrType(s.Type)], StrType(s.Type)) : null);
        }
        Add("CHAR_LENGTH", "CHAR_LENGTH(string)",
            a => a is [var s] && Str(s.Type) ? Call("CHAR_LENGTH", a, [StrType(s.Type)], s_intType) : null, "CHARACTER_LENGTH");
        foreach (var name in new[] { "TRIM", "LTRIM", "RTRIM" })
        {
            Add(name, $"{name}(string [, characters])", a => a switch
            {
                [var s] when Str(s.Type) => Call(name, a, [StrType(s.Type)], VarcharOf(s.Type)),
                [var s, var c] when Str(s.Type) && Str(c.Type) => Call(name, a, [StrType(s.Type), StrType(c.Type)], VarcharOf(s.Type)),
                _ => null,
            });
        }
        Add("SUBSTRING", "SUBSTRING(string, start [, length])", a => a switch
        {
            [var s, var p] when Str(s.Type) && Int(p.Type) => Call("SUBSTRING", a, [StrType(s.Type), DataType.BigInt], VarcharOf(s.Type)),
            [var s, var p, var n] when Str(s.Type) && Int(p.Type) && Int(n.Type) =>
                Call("SUBSTRING", a, [StrType(s.Type), DataType.BigInt, DataType.BigInt], VarcharOf(s.Type)),
            _ => null,
        }, "SUBSTR");
        Add("CONCAT", "CONCAT(string, ...)", a =>
        {
            if (a.Count == 0) return null;
            foreach (var x in a) if (!Str(x.Type)) return null;
            return Call("CONCAT", a, [.. a.Select(x => StrType(x.Type))], DataType.String);
        });
        Add("CONCAT_WS", "CONCAT_WS(separator, string, ...)", a =>
        {
            if (a.Count < 2) return null;
            foreach (var x in a) if (!Str(x.Type)) return null;
            var call = Call("CONCAT_WS", a, [.. a.Select(x => StrType(x.Type))], DataType.String);
            return call with { Type = DataType.String.WithNullable(a[0].Type.Nullable) };
        });
        Add("REPLACE", "REPLACE(string, search, replacement)", a =>
            a is [var s, var f, var t] && Str(s.Type) && Str(f.Type) && Str(t.Type)
                ? Call("REPLACE", a, [StrType(s.Type), StrType(f.Type), StrType(t.Type)], DataType.String)
                : null);
        Add("POSITION", "POSITION(substring IN string)", a =>
            a is [var sub, var s] && Str(sub.Type) && Str(s.Type) ? Call("POSITION", a, [StrType(sub.Type), StrType(s.Type)], s_intType) : null);
    }

    private static DataType NumType(DataType t) => IsNullType(t) ? DataType.Double : t;

    private static void RegisterNumericFunctions()
    {
        Add("ABS", "ABS(numeric)", a => a is [var x] && Num(x.Type) ? Call("ABS", a, [NumType(x.Type)], NumType(x.Type)) : null);
        Add("SIGN", "SIGN(numeric)", a => a is [var x] && Num(x.Type) ? Call("SIGN", a, [NumType(x.Type)], NumType(x.Type)) : null);
        Add("ROUND", "ROUND(numeric [, digits])", a => a switch
        {
            [var x] when Num(x.Type) => Call("ROUND", [x, BoundLiteral.Of(0L)], [NumType(x.Type), DataType.BigInt], RoundType(NumType(x.Type), 0)),
            [var x, var d] when Num(x.Type) && Int(d.Type) =>
                Call("ROUND", a, [NumType(x.Type), DataType.BigInt], RoundType(NumType(x.Type), LiteralInt(d))),
            _ => null,
        });
        foreach (var name in new[] { "FLOOR", "CEIL" })
        {
            Add(name, $"{name}(numeric) | {name}(datetime TO unit)", a => a switch
            {
                [var x] when Num(x.Type) => Call(name, a, [NumType(x.Type)], FloorType(NumType(x.Type))),
                [var x, var u] when Temporal(x.Type) && !IsNullType(x.Type) && IsUnitLiteral(u, out var unit) && IsFloorUnit(unit, x.Type) =>
                    Call(name, a, [x.Type, u.Type], x.Type),
                _ => null,
            }, name == "CEIL" ? ["CEILING"] : []);
        }
        Add("MOD", "MOD(a, b)", a =>
            a is [var x, var y] && Num(x.Type) && Num(y.Type) ? BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, x, y) : null);
        Add("POWER", "POWER(base, exponent)", a =>
            a is [var x, var y] && Num(x.Type) && Num(y.Type) ? Call("POWER", a, [DataType.Double, DataType.Double], DataType.Double) : null, "POW");
        foreach (var name in new[] { "SQRT", "LN", "LOG10", "LOG2", "EXP" })
        {
            Add(name, $"{name}(numeric)", a => a is [var x] && Num(x.Type) ? Call(name, a, [DataType.Double], DataType.Double) : null);
        }
        Add("LOG", "LOG(x) | LOG(base, x)", a => a switch
        {
            [var x] when Num(x.Type) => Call("LN", a, [DataType.Double], DataType.Double),
            [var b, var x] when Num(b.Type) && Num(x.Type) => Call("LOG", a, [DataType.Double, DataType.Double], DataType.Double),
            _ => null,
        });
        foreach (var name in new[] { "GREATEST", "LEAST" })
        {
            Add(name, $"{name}(value, ...)", a =>
            {
                if (a.Count == 0) return null;
                var common = TypeRules.CommonType(a.Select(x => x.Type));
                if (common is null || common.Kind == TypeKind.Null) return null;
                return Call(name, a, [.. a.Select(_ => common)], common);
            });
        }
    }

    private static int? LiteralInt(BoundExpression e) => e is BoundLiteral { Value: not null } l ? Convert.ToInt32(l.Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>ROUND keeps integer and floating types; DECIMAL(p,s) rounded to r digits becomes Flink's
    /// DECIMAL(1+p-s+r, r) for 0 ≤ r &lt; s (a carry can add a digit), DECIMAL(1+p-s, 0) for r &lt; 0, unchanged for
    /// r ≥ s. With a non-constant r the type stays DECIMAL(p,s) (the value is still rounded).</summary>
    public static DataType RoundType(DataType x, int? digits)
    {
        if (x.Kind != TypeKind.Decimal || digits is not { } r) return x;
        if (r >= x.Scale) return x;
        if (r < 0) return DataType.Decimal(Math.Min(DataType.MaxDecimalPrecision, 1 + x.Precision - x.Scale), 0);
        return DataType.Decimal(Math.Min(DataType.MaxDecimalPrecision, 1 + x.Precision - x.Scale + r), r);
    }

    /// <summary>FLOOR/CEIL keep integer and floating types; DECIMAL(p,s) becomes DECIMAL(p-s+1, 0).</summary>
    public static DataType FloorType(DataType x) =>
        x.Kind == TypeKind.Decimal ? DataType.Decimal(Math.Min(DataType.MaxDecimalPrecision, x.Precision - x.Scale + 1), 0) : x;

    private static bool IsFloorUnit(TimeUnit unit, DataType t) => t.Kind == TypeKind.Time
        ? unit is TimeUnit.Hour or TimeUnit.Minute or TimeUnit.Second or TimeUnit.Millisecond or TimeUnit.Microsecond
        : unit <= TimeUnit.Microsecond;

    private static void RegisterConditionalFunctions()
    {
        Add("COALESCE", "COALESCE(value, ...)", a => a.Count == 0 ? null : BoundExpressions.Coalesce(a));
        Add("NULLIF", "NULLIF(value1, value2)", a =>
        {
            if (a is not [var x, var y] || TypeRules.CommonType(x.Type, y.Type) is null) return null;
            return new BoundCase([new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Equal, x, y), BoundLiteral.Null(x.Type))], x, x.Type.WithNullable(true));
        });
        Add("IF", "IF(condition, then, else)", a =>
        {
            if (a is not [var c, var t, var e]) return null;
            if (c.Type.Kind is not (TypeKind.Boolean or TypeKind.Null)) return null;
            if (TypeRules.CommonType(t.Type, e.Type) is null) return null;
            return BoundExpressions.Case([new BoundWhen(c, t)], e);
        });
    }

    private static void RegisterTemporalFunctions()
    {
        Add("DATE_FORMAT", "DATE_FORMAT(timestamp, 'java pattern')", a =>
            a is [var x, var f] && (DateTime(x.Type) || x.Type.IsString) && Str(f.Type)
                ? Call("DATE_FORMAT", a, [IsNullType(x.Type) ? DataType.Timestamp(3) : x.Type, StrType(f.Type)], DataType.String)
                : null);
        Add("TO_TIMESTAMP", "TO_TIMESTAMP(string [, 'java pattern'])", a => a switch
        {
            [var s] when Str(s.Type) => Call("TO_TIMESTAMP", a, [StrType(s.Type)], DataType.Timestamp(3), alwaysNullable: true),
            [var s, var f] when Str(s.Type) && Str(f.Type) => Call("TO_TIMESTAMP", a, [StrType(s.Type), StrType(f.Type)], DataType.Timestamp(3), alwaysNullable: true),
            _ => null,
        });
        Add("TO_DATE", "TO_DATE(string [, 'java pattern'])", a => a switch
        {
            [var s] when Str(s.Type) => Call("TO_DATE", a, [StrType(s.Type)], DataType.Date, alwaysNullable: true),
            [var s, var f] when Str(s.Type) && Str(f.Type) => Call("TO_DATE", a, [StrType(s.Type), StrType(f.Type)], DataType.Date, alwaysNullable: true),
            _ => null,
        });
        Add("EXTRACT", "EXTRACT(unit FROM datetime)", a =>
            a is [var u, var x] && IsUnitLiteral(u, out var unit) && Temporal(x.Type) && !IsNullType(x.Type) && IsExtractUnit(unit, x.Type)
                ? Call("EXTRACT", a, [u.Type, x.Type], DataType.BigInt)
                : null);
        foreach (var (name, unit) in new[]
        {
            ("YEAR", TimeUnit.Year), ("QUARTER", TimeUnit.Quarter), ("MONTH", TimeUnit.Month), ("WEEK", TimeUnit.Week),
            ("DAYOFYEAR", TimeUnit.DayOfYear), ("DAYOFMONTH", TimeUnit.Day), ("DAYOFWEEK", TimeUnit.DayOfWeek),
            ("HOUR", TimeUnit.Hour), ("MINUTE", TimeUnit.Minute), ("SECOND", TimeUnit.Second),
        })
        {
            Add(name, $"{name}(datetime)", a =>
                a is [var x] && Temporal(x.Type) && !IsNullType(x.Type) && IsExtractUnit(unit, x.Type)
                    ? Call("EXTRACT", [BoundLiteral.Of(TimeUnits.Name(unit)), x], [DataType.Varchar(TimeUnits.Name(unit).Length).WithNullable(false), x.Type], DataType.BigInt)
                    : null);
        }
        Add("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", a => a.Count == 0 ? Call("CURRENT_TIMESTAMP", a, [], DataType.TimestampLtz(3).WithNullable(false)) : null, "NOW");
        Add("LOCALTIMESTAMP", "LOCALTIMESTAMP", a => a.Count == 0 ? Call("LOCALTIMESTAMP", a, [], DataType.Timestamp(3).WithNullable(false)) : null);
        Add("CURRENT_DATE", "CURRENT_DATE", a => a.Count == 0 ? Call("CURRENT_DATE", a, [], DataType.Date.WithNullable(false)) : null);
        Add("CURRENT_TIME", "CURRENT_TIME", a => a.Count == 0 ? Call("CURRENT_TIME", a, [], DataType.Time(0).WithNullable(false)) : null, "LOCALTIME");
    }

    private static bool IsExtractUnit(TimeUnit unit, DataType t) => t.Kind != TypeKind.Time
        || unit is TimeUnit.Hour or TimeUnit.Minute or TimeUnit.Second or TimeUnit.Millisecond or TimeUnit.Microsecond or TimeUnit.Nanosecond;

    private static void RegisterHashFunctions()
    {
        foreach (var name in new[] { "MD5", "SHA256", "SHA1" })
        {
            Add(name, $"{name}(string)", a =>
                a is [var s] && (Str(s.Type) || s.Type.IsBinary) ? Call(name, a, [IsNullType(s.Type) ? DataType.String : s.Type], DataType.String) : null);
        }
        Add("HASH_CODE", "HASH_CODE(value)", a =>
            a is [var x] && x.Type.Kind != TypeKind.Null ? Call("HASH_CODE", a, [x.Type], s_intType) : null);
    }
}
