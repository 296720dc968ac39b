using System.Buffers;
using System.Globalization;
using Tarn.Execution.Text;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>TIMESTAMPADD/TIMESTAMPDIFF, DATE_ADD/DATE_SUB/DATEDIFF, UNIX_TIMESTAMP/FROM_UNIXTIME, TO_TIMESTAMP_LTZ,
/// CONVERT_TZ, LAST_DAY. TIMESTAMP_LTZ values are read on the session zone's wall clock.</summary>
public static class MoreTemporalFunctions
{
    private const string DefaultFormat = "yyyy-MM-dd HH:mm:ss";

    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["TIMESTAMPADD"] = TimestampAdd;
        f["TIMESTAMPDIFF"] = TimestampDiff;
        f["DATE_ADD"] = (c, a, _) => new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
        {
            r = checked((int)(x.Long(0, i) + x.Long(1, i)));
            return true;
        });
        f["DATE_SUB"] = (c, a, _) => new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
        {
            r = checked((int)(x.Long(0, i) - x.Long(1, i)));
            return true;
        });
        f["DATEDIFF"] = (c, a, ctx) =>
        {
            var ca = new WallClock(a[0].Type, ctx.SessionTimeZone);
            var cb = new WallClock(a[1].Type, ctx.SessionTimeZone);
            return new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
            {
                var da = CivilDate.FloorDiv(ca.Micros(x.Long(0, i), out _), CivilDate.MicrosPerDay);
                var db = CivilDate.FloorDiv(cb.Micros(x.Long(1, i), out _), CivilDate.MicrosPerDay);
                r = (int)(da - db);
                return true;
            });
        };
        f["LAST_DAY"] = (c, a, ctx) =>
        {
            var clock = new WallClock(a[0].Type, ctx.SessionTimeZone);
            return new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
            {
                var days = CivilDate.FloorDiv(clock.Micros(x.Long(0, i), out _), CivilDate.MicrosPerDay);
                CivilDate.FromDays(days, out var y, out var m, out _);
                r = (int)CivilDate.ToDays(y, m, CivilDate.DaysInMonth(y, m));
                return true;
            });
        };
        f["UNIX_TIMESTAMP"] = UnixTimestamp;
        f["FROM_UNIXTIME"] = (c, a, ctx) =>
        {
            var formats = new FormatCache();
            var zone = ctx.SessionTimeZone;
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
            {
                var seconds = x.Long(0, i);
                if (seconds is > 253402300799L or < -62135596800L) return false;
                var local = TimeZones.UtcToLocalMicros(seconds * CivilDate.MicrosPerSecond, zone);
                RowText.Write(o, formats.Get(x.Count > 1 ? x.Text(1, i) : DefaultFormat).Format(local));
                return true;
            }, liftable: false);
        };
        f["TO_TIMESTAMP_LTZ"] = (c, a, _) =>
        {
            var precision = a[1] is ConstantExpression { Value: { } p } ? Convert.ToInt64(p, CultureInfo.InvariantCulture) : -1;
            if (precision is not (0 or 3)) throw RowText.Invalid("TO_TIMESTAMP_LTZ precision must be the constant 0 (seconds) or 3 (milliseconds)");
            var scale = precision == 0 ? CivilDate.MicrosPerSecond : 1000L;
            var limit = precision == 0 ? 253402300799L : 253402300799999L; // 9999-12-31 23:59:59(.999); beyond: NULL (Flink)
            var lowest = precision == 0 ? -62135596800L : -62135596800000L; // 0001-01-01
            return new ValueRowFunction<long>([a[0]], c.Type, (in RowArgs x, int i, out long r) =>
            {
                var v = x.Long(0, i);
                r = v * scale;
                return v >= lowest && v <= limit;
            });
        };
        f["CONVERT_TZ"] = (c, a, _) =>
        {
            var zones = new ZoneCache();
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
            {
                if (!DateTimeText.TryParseTimestamp(x.Bytes(0, i), DataType.Timestamp(6), TimeZoneInfo.Utc, out var wall)) return false;
                var utc = TimeZones.LocalToUtcMicros(wall, zones.Get(x.Text(1, i)));
                var local = TimeZones.UtcToLocalMicros(utc, zones.Get(x.Text(2, i)));
                RowText.Write(o, DateTimeText.FormatTimestamp(local - CivilDate.FloorMod(local, CivilDate.MicrosPerSecond), DataType.Timestamp(0)));
                return true;
            }, liftable: false);
        };
    }

    private static string UnitText(VectorExpression unitArg) =>
        unitArg is ConstantExpression { Value: string s } ? s : throw RowText.Invalid("time unit must be a literal");

    private static long FixedMicros(TimeUnit unit) => unit switch
    {
        TimeUnit.Week => 7 * CivilDate.MicrosPerDay,
        TimeUnit.Day => CivilDate.MicrosPerDay,
        TimeUnit.Hour => 3_600_000_000L,
        TimeUnit.Minute => 60_000_000L,
        TimeUnit.Second => CivilDate.MicrosPerSecond,
        TimeUnit.Millisecond => 1000L,
        TimeUnit.Microsecond => 1L,
        _ => 0,
    };

    private static long MonthsOf(TimeUnit unit) => unit switch
    {
        TimeUnit.Year => 12,
        TimeUnit.Quarter => 3,
        TimeUnit.Month => 1,
        _ => 0,
    };

    /// <summary>TIMESTAMPADD(unit, n, x): x moved by n units on its wall clock; months clamp to the month's last day.</summary>
    private static VectorExpression TimestampAdd(BoundFunctionCall c, VectorExpression[] a, ExecutionContext ctx)
    {
        var unit = TimeUnits.Parse(UnitText(a[0]));
        var months = MonthsOf(unit);
        var step = FixedMicros(unit);
        if (months == 0 && step == 0) throw RowText.Invalid($"TIMESTAMPADD does not support {TimeUnits.Name(unit)}");
        var clock = new WallClock(a[2].Type, ctx.SessionTimeZone);
        var args = new[] { a[1], a[2] };
        ValueRow<long> body = (in RowArgs x, int i, out long r) =>
        {
            var micros = clock.Micros(x.Long(1, i), out var nanos);
            var n = x.Long(0, i);
            if (months != 0)
            {
                var days = CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
                var inDay = micros - days * CivilDate.MicrosPerDay;
                micros = checked(CivilDate.AddMonths(days, n * months) * CivilDate.MicrosPerDay + inDay);
            }
            else micros = checked(micros + n * step);
            r = clock.FromMicros(micros, nanos);
            return true;
        };
        if (c.Type.Physical == PhysicalType.Int32)
        {
            return new ValueRowFunction<int>(args, c.Type, (in RowArgs x, int i, out int r) =>
            {
                body(x, i, out var v);
                r = checked((int)v);
                return true;
            });
        }
        return new ValueRowFunction<long>(args, c.Type, body);
    }

    /// <summary>TIMESTAMPDIFF(unit, a, b): whole units from a to b, truncated toward zero; months count calendar months
    /// (a partial last month does not count).</summary>
    private static VectorExpression TimestampDiff(BoundFunctionCall c, VectorExpression[] a, ExecutionContext ctx)
    {
        var unit = TimeUnits.Parse(UnitText(a[0]));
        var months = MonthsOf(unit);
        var step = FixedMicros(unit);
        if (months == 0 && step == 0) throw RowText.Invalid($"TIMESTAMPDIFF does not support {TimeUnits.Name(unit)}");
        var ca = new WallClock(a[1].Type, ctx.SessionTimeZone);
        var cb = new WallClock(a[2].Type, ctx.SessionTimeZone);
        return new ValueRowFunction<int>([a[1], a[2]], c.Type, (in RowArgs x, int i, out int r) =>
        {
            var from = ca.Micros(x.Long(0, i), out _);
            var to = cb.Micros(x.Long(1, i), out _);
            long diff;
            if (months != 0)
            {
                var m = MonthIndex(to, out var toRest) - MonthIndex(from, out var fromRest);
                if (m > 0 && toRest < fromRest) m--;
                else if (m < 0 && toRest > fromRest) m++;
                diff = m / months;
            }
            else diff = (to - from) / step;
            if (diff is > int.MaxValue or < int.MinValue) throw new TarnException(SqlStates.NumericValueOutOfRange, "TIMESTAMPDIFF result does not fit INT");
            r = (int)diff;
            return true;
        });
    }

    /// <summary>Months since year 0 and the microseconds into that month.</summary>
    private static long MonthIndex(long micros, out long rest)
    {
        var days = CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
        CivilDate.FromDays(days, out var y, out var m, out var d);
        rest = (d - 1) * CivilDate.MicrosPerDay + (micros - days * CivilDate.MicrosPerDay);
        return y * 12 + m - 1;
    }

    /// <summary>UNIX_TIMESTAMP(): seconds at query start. UNIX_TIMESTAMP(s [, format]): s read in the session zone
    /// (default format yyyy-MM-dd HH:mm:ss); Long.MIN_VALUE when it does not parse, as Flink documents.</summary>
    private static VectorExpression UnixTimestamp(BoundFunctionCall c, VectorExpression[] a, ExecutionContext ctx)
    {
        if (a.Length == 0) return new ConstantExpression(c.Type, ctx.QueryStart.ToUnixTimeSeconds());
        var formats = new FormatCache();
        var zone = ctx.SessionTimeZone;
        return new ValueRowFunction<long>(a, c.Type, (in RowArgs x, int i, out long r) =>
        {
            r = long.MinValue;
            if (!formats.Get(x.Count > 1 ? x.Text(1, i) : DefaultFormat).TryParse(x.Text(0, i), out var wall)) return true;
            r = CivilDate.FloorDiv(TimeZones.LocalToUtcMicros(wall, zone), CivilDate.MicrosPerSecond);
            return true;
        }, liftable: false);
    }

    private sealed class FormatCache
    {
        private volatile JavaDateFormat? _last;

        public JavaDateFormat Get(string pattern)
        {
            var f = _last;
            if (f is not null && f.Pattern == pattern) return f;
            return _last = JavaDateFormat.Compile(pattern);
        }
    }

    private sealed class ZoneCache
    {
        private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.OrdinalIgnoreCase);

        public TimeZoneInfo Get(string name)
        {
            lock (_zones)
            {
                if (_zones.TryGetValue(name, out var z)) return z;
                try
                {
                    z = name.Equals("UTC", StringComparison.OrdinalIgnoreCase) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(name);
                }
                catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
                {
                    throw RowText.Invalid($"unknown time zone '{name}'");
                }
                _zones[name] = z;
                return z;
            }
        }
    }
}
