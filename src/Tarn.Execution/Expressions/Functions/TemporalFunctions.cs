using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>Splits temporal values into wall-clock microseconds (TIMESTAMP_LTZ shifted into the session zone).</summary>
public readonly struct WallClock(DataType type, TimeZoneInfo zone)
{
    private readonly long _unitsPerMicro = type.Precision > 6 ? 1000L : 1L;
    private readonly bool _isDate = type.Kind == TypeKind.Date;
    private readonly TimeZoneInfo? _zone = type.Kind == TypeKind.TimestampLtz ? zone : null;

    /// <summary>Microseconds (wall clock) and the sub-microsecond nanoseconds of a physical value.</summary>
    public long Micros(long value, out int extraNanos)
    {
        if (_isDate) { extraNanos = 0; return value * CivilDate.MicrosPerDay; }
        var micros = CivilDate.FloorDiv(value, _unitsPerMicro);
        extraNanos = (int)(value - micros * _unitsPerMicro);
        return _zone is null ? micros : TimeZones.UtcToLocalMicros(micros, _zone);
    }

    /// <summary>Back from wall-clock microseconds to the physical value.</summary>
    public long FromMicros(long micros, int extraNanos)
    {
        if (_isDate) return CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
        var utc = _zone is null ? micros : TimeZones.LocalToUtcMicros(micros, _zone);
        return checked(utc * _unitsPerMicro + extraNanos);
    }
}

/// <summary>EXTRACT(unit FROM x) → BIGINT. SECOND is whole seconds; MILLISECOND/MICROSECOND/NANOSECOND include the
/// seconds (Calcite/Flink: 30.123 s → 30123 ms); DOW 1 = Sunday; WEEK is the ISO week; EPOCH seconds since 1970.</summary>
public readonly struct ExtractOp(TimeUnit unit, WallClock clock) : IUnaryOp<long, long>
{
    public bool TryApply(long value, out long r)
    {
        var micros = clock.Micros(value, out var nanos);
        var days = CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
        var inDay = micros - days * CivilDate.MicrosPerDay;
        var secondOfMinute = inDay / CivilDate.MicrosPerSecond % 60;
        var fraction = inDay % CivilDate.MicrosPerSecond;
        switch (unit)
        {
            case TimeUnit.Hour: r = inDay / 3_600_000_000L; return true;
            case TimeUnit.Minute: r = inDay / 60_000_000L % 60; return true;
            case TimeUnit.Second: r = secondOfMinute; return true;
            case TimeUnit.Millisecond: r = secondOfMinute * 1000 + fraction / 1000; return true;
            case TimeUnit.Microsecond: r = secondOfMinute * 1_000_000 + fraction; return true;
            case TimeUnit.Nanosecond: r = (secondOfMinute * 1_000_000 + fraction) * 1000 + nanos; return true;
            case TimeUnit.Epoch: r = CivilDate.FloorDiv(micros, CivilDate.MicrosPerSecond); return true;
            case TimeUnit.DayOfWeek: r = CivilDate.DayOfWeek(days); return true;
            case TimeUnit.Week: r = CivilDate.IsoWeek(days); return true;
        }
        CivilDate.FromDays(days, out var year, out var month, out var day);
        r = unit switch
        {
            TimeUnit.Year => year,
            TimeUnit.Quarter => (month - 1) / 3 + 1,
            TimeUnit.Month => month,
            TimeUnit.Day => day,
            TimeUnit.DayOfYear => days - CivilDate.ToDays(year, 1, 1) + 1,
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"EXTRACT does not support {unit}"),
        };
        return true;
    }
}

/// <summary>EXTRACT from a TIME value (units since midnight).</summary>
public readonly struct ExtractTimeOp(TimeUnit unit, long unitsPerMicro) : IUnaryOp<long, long>
{
    public bool TryApply(long value, out long r)
    {
        var inDay = value / unitsPerMicro;
        var nanos = value % unitsPerMicro;
        var secondOfMinute = inDay / CivilDate.MicrosPerSecond % 60;
        var fraction = inDay % CivilDate.MicrosPerSecond;
        r = unit switch
        {
            TimeUnit.Hour => inDay / 3_600_000_000L,
            TimeUnit.Minute => inDay / 60_000_000L % 60,
            TimeUnit.Second => secondOfMinute,
            TimeUnit.Millisecond => secondOfMinute * 1000 + fraction / 1000,
            TimeUnit.Microsecond => secondOfMinute * 1_000_000 + fraction,
            _ => (secondOfMinute * 1_000_000 + fraction) * 1000 + nanos,
        };
        return true;
    }
}

/// <summary>FLOOR/CEIL(x TO unit) for DATE, TIMESTAMP, TIMESTAMP_LTZ (in the session zone) and TIME. Weeks start on Monday (ISO).</summary>
public readonly struct TemporalFloorOp(TimeUnit unit, bool ceiling, WallClock clock, bool isTime, long timeUnitsPerMicro) : IUnaryOp<long, long>
{
    public bool TryApply(long value, out long r)
    {
        if (isTime)
        {
            var step = StepMicros() * timeUnitsPerMicro;
            var floor = value - CivilDate.FloorMod(value, step);
            r = ceiling && floor != value ? floor + step : floor;
            if (r >= CivilDate.MicrosPerDay * timeUnitsPerMicro) r -= CivilDate.MicrosPerDay * timeUnitsPerMicro;
            return true;
        }
        var micros = clock.Micros(value, out var nanos);
        var floored = Floor(micros);
        var exact = floored == micros && nanos == 0;
        var result = ceiling && !exact ? Next(floored) : floored;
        r = clock.FromMicros(result, 0);
        return true;
    }

    private long StepMicros() => unit switch
    {
        TimeUnit.Day => CivilDate.MicrosPerDay,
        TimeUnit.Hour => 3_600_000_000L,
        TimeUnit.Minute => 60_000_000L,
        TimeUnit.Second => CivilDate.MicrosPerSecond,
        TimeUnit.Millisecond => 1000L,
        TimeUnit.Week => 7 * CivilDate.MicrosPerDay,
        _ => 1L,
    };

    private long Floor(long micros)
    {
        var days = CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
        switch (unit)
        {
            case TimeUnit.Year:
            case TimeUnit.Quarter:
            case TimeUnit.Month:
                CivilDate.FromDays(days, out var y, out var m, out _);
                var month = unit == TimeUnit.Year ? 1 : unit == TimeUnit.Quarter ? (m - 1) / 3 * 3 + 1 : m;
                return CivilDate.ToDays(y, month, 1) * CivilDate.MicrosPerDay;
            case TimeUnit.Week:
                var monday = days - (CivilDate.FloorMod(days + 3, 7));
                return monday * CivilDate.MicrosPerDay;
            default:
                var step = StepMicros();
                return micros - CivilDate.FloorMod(micros, step);
        }
    }

    private long Next(long floored)
    {
        var days = CivilDate.FloorDiv(floored, CivilDate.MicrosPerDay);
        return unit switch
        {
            TimeUnit.Year => CivilDate.AddMonths(days, 12) * CivilDate.MicrosPerDay,
            TimeUnit.Quarter => CivilDate.AddMonths(days, 3) * CivilDate.MicrosPerDay,
            TimeUnit.Month => CivilDate.AddMonths(days, 1) * CivilDate.MicrosPerDay,
            _ => floored + StepMicros(),
        };
    }
}

/// <summary>DATE_FORMAT(x, pattern): x is a DATE, TIMESTAMP, TIMESTAMP_LTZ (formatted in the session zone) or a
/// timestamp string. A constant pattern is compiled once.</summary>
public sealed class DateFormatFunction(VectorExpression[] args, DataType type, TimeZoneInfo zone) : FunctionKernel(args, type, liftable: false)
{
    private JavaDateFormat? _format;

    private JavaDateFormat Format(ReadOnlySpan<byte> pattern)
    {
        var text = Utf8Text.Decode(pattern);
        if (_format is null || _format.Pattern != text) _format = JavaDateFormat.Compile(text);
        return _format;
    }

    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var nulls = StrictNulls(args, n);
        var patterns = new StringView(args[1]);
        var result = NewText(Type, n);
        var inputType = args[0].Type;
        var clock = new WallClock(inputType, zone);
        var strings = inputType.IsString ? new StringView(args[0]) : default;
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            long micros;
            if (inputType.IsString)
            {
                if (!DateTimeText.TryParseTimestamp(strings.Get(i), DataType.Timestamp(6), zone, out micros))
                {
                    (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
                    result.Append(ReadOnlySpan<byte>.Empty);
                    continue;
                }
            }
            else micros = clock.Micros(RawValue(args[0], i), out _);
            result.Append(Format(patterns.Get(i)).Format(micros));
        }
        result.SetNulls(nulls);
        return result;
    }

    private static long RawValue(ColumnVector v, int row) => v is PrimitiveVector<int> d ? d.Values[row] : ((PrimitiveVector<long>)v).Values[row];
}

/// <summary>TO_TIMESTAMP(s [, pattern]) → TIMESTAMP(3) and TO_DATE(s [, pattern]) → DATE; NULL when the text does not
/// parse (Flink). Without a pattern: the SQL forms <c>yyyy-MM-dd HH:mm:ss[.fff]</c> / <c>yyyy-MM-dd</c>.</summary>
public sealed class ParseDateTimeFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    private JavaDateFormat? _format;

    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var nulls = StrictNulls(args, n);
        var text = new StringView(args[0]);
        var patterns = args.Length > 1 ? new StringView(args[1]) : default;
        var isDate = Type.Kind == TypeKind.Date;
        var longs = isDate ? null : new long[Math.Max(n, 1)];
        var ints = isDate ? new int[Math.Max(n, 1)] : null;
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) continue;
            bool ok;
            long micros;
            var s = text.Get(i);
            if (args.Length > 1)
            {
                var pattern = Utf8Text.Decode(patterns.Get(i));
                if (_format is null || _format.Pattern != pattern) _format = JavaDateFormat.Compile(pattern);
                ok = _format.TryParse(Utf8Text.Decode(s), out micros);
            }
            else if (isDate)
            {
                ok = DateTimeText.TryParseDate(s, out var days);
                micros = days * CivilDate.MicrosPerDay;
            }
            else ok = DateTimeText.TryParseTimestamp(s, DataType.Timestamp(6), TimeZoneInfo.Utc, out micros);
            if (!ok) { (nulls ??= new byte[Math.Max(n, 1)])[i] = 1; continue; }
            if (isDate) ints![i] = (int)CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
            else longs![i] = micros - CivilDate.FloorMod(micros, 1000); // TIMESTAMP(3)
        }
        return isDate ? new PrimitiveVector<int>(Type, ints!, n, nulls) : new PrimitiveVector<long>(Type, longs!, n, nulls);
    }
}

/// <summary>The niladic time functions: one value per query, from <see cref="ExecutionContext.QueryStart"/>.</summary>
public static class CurrentTime
{
    public static object Value(string name, ExecutionContext context)
    {
        var utcMicros = (context.QueryStart.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        var local = TimeZones.UtcToLocalMicros(utcMicros, context.SessionTimeZone);
        return name switch
        {
            "CURRENT_TIMESTAMP" => (object)(utcMicros - CivilDate.FloorMod(utcMicros, 1000)),
            "LOCALTIMESTAMP" => local - CivilDate.FloorMod(local, 1000),
            "CURRENT_DATE" => (int)CivilDate.FloorDiv(local, CivilDate.MicrosPerDay),
            _ => CivilDate.FloorMod(local, CivilDate.MicrosPerDay) - CivilDate.FloorMod(local, CivilDate.MicrosPerSecond),
        };
    }
}
