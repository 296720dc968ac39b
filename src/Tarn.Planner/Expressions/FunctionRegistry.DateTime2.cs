using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>Flink's further date/time functions. TIMESTAMPADD/TIMESTAMPDIFF get their unit as the first argument, a
/// VARCHAR literal like EXTRACT's.</summary>
public static partial class FunctionRegistry
{
    private static void RegisterMoreTemporalFunctions()
    {
        Add("TIMESTAMPADD", "TIMESTAMPADD(unit, integer, datetime)", a =>
        {
            if (a is not [var u, var n, var x] || !IsUnitLiteral(u, out var unit) || !Int(n.Type) || !DateTime(x.Type) || IsNullType(x.Type)) return null;
            if (unit > TimeUnit.Microsecond) return null;
            var target = x.Type.Kind == TypeKind.Date && unit > TimeUnit.Day ? DataType.Timestamp(0) : x.Type;
            return Call("TIMESTAMPADD", a, [u.Type, DataType.BigInt, target], target);
        });
        Add("TIMESTAMPDIFF", "TIMESTAMPDIFF(unit, datetime1, datetime2)", a =>
            a is [var u, var x, var y] && IsUnitLiteral(u, out var unit) && unit <= TimeUnit.Microsecond
                && DateTime(x.Type) && !IsNullType(x.Type) && DateTime(y.Type) && !IsNullType(y.Type)
                ? Call("TIMESTAMPDIFF", a, [u.Type, x.Type, y.Type], s_intType)
                : null);
        foreach (var name in new[] { "DATE_ADD", "DATE_SUB" })
        {
            Add(name, $"{name}(date, days)", a =>
                a is [var d, var n] && (d.Type.Kind == TypeKind.Date || IsNullType(d.Type)) && Int(n.Type)
                    ? Call(name, a, [DataType.Date, DataType.BigInt], DataType.Date) : null);
        }
        Add("DATEDIFF", "DATEDIFF(end, start)", a =>
            a is [var x, var y] && DateTime(x.Type) && DateTime(y.Type)
                ? Call("DATEDIFF", a, [IsNullType(x.Type) ? DataType.Date : x.Type, IsNullType(y.Type) ? DataType.Date : y.Type], s_intType) : null);
        Add("LAST_DAY", "LAST_DAY(date)", a =>
            a is [var x] && DateTime(x.Type) ? Call("LAST_DAY", a, [IsNullType(x.Type) ? DataType.Date : x.Type], DataType.Date) : null);
        Add("UNIX_TIMESTAMP", "UNIX_TIMESTAMP([string [, 'java pattern']])", a => a switch
        {
            [] => Call("UNIX_TIMESTAMP", a, [], DataType.BigInt.WithNullable(false)),
            [var s] when Str(s.Type) => Call("UNIX_TIMESTAMP", a, [StrType(s.Type)], DataType.BigInt),
            [var s, var f] when Str(s.Type) && Str(f.Type) => Call("UNIX_TIMESTAMP", a, [StrType(s.Type), StrType(f.Type)], DataType.BigInt),
            _ => null,
        });
        Add("FROM_UNIXTIME", "FROM_UNIXTIME(seconds [, 'java pattern'])", a => a switch
        {
            [var n] when Int(n.Type) => Call("FROM_UNIXTIME", a, [DataType.BigInt], DataType.String, alwaysNullable: true),
            [var n, var f] when Int(n.Type) && Str(f.Type) => Call("FROM_UNIXTIME", a, [DataType.BigInt, StrType(f.Type)], DataType.String, alwaysNullable: true),
            _ => null,
        });
        Add("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_LTZ(epoch, precision)", a => a switch
        {
            [var n] when Int(n.Type) => Call("TO_TIMESTAMP_LTZ", [n, BoundLiteral.Of(3L)], [DataType.BigInt, DataType.BigInt], DataType.TimestampLtz(3), alwaysNullable: true),
            [var n, var p] when Int(n.Type) && Int(p.Type) => Call("TO_TIMESTAMP_LTZ", a, [DataType.BigInt, DataType.BigInt], DataType.TimestampLtz(3), alwaysNullable: true),
            _ => null,
        });
        Add("CONVERT_TZ", "CONVERT_TZ(string, from_zone, to_zone)", a =>
            a is [var s, var f, var t] && Str(s.Type) && Str(f.Type) && Str(t.Type)
                ? Call("CONVERT_TZ", a, [StrType(s.Type), StrType(f.Type), StrType(t.Type)], DataType.String, alwaysNullable: true) : null);
    }
}
