namespace Tarn.Planner.Expressions;

/// <summary>
/// Units of EXTRACT and of FLOOR/CEIL(x TO unit). The binder passes the unit as a VARCHAR literal argument
/// (its SQL name, e.g. <c>'YEAR'</c>); <see cref="TimeUnits.Parse"/> reads it back.
/// </summary>
public enum TimeUnit : byte
{
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
    /// <summary>Day of week, 1 = Sunday … 7 = Saturday (Flink/Calcite).</summary>
    DayOfWeek,
    /// <summary>Day of year, 1 … 366.</summary>
    DayOfYear,
    /// <summary>Seconds since 1970-01-01 00:00:00.</summary>
    Epoch,
}

public static class TimeUnits
{
    public static bool TryParse(string text, out TimeUnit unit)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "YEAR": unit = TimeUnit.Year; return true;
            case "QUARTER": unit = TimeUnit.Quarter; return true;
            case "MONTH": unit = TimeUnit.Month; return true;
            case "WEEK": unit = TimeUnit.Week; return true;
            case "DAY": unit = TimeUnit.Day; return true;
            case "HOUR": unit = TimeUnit.Hour; return true;
            case "MINUTE": unit = TimeUnit.Minute; return true;
            case "SECOND": unit = TimeUnit.Second; return true;
            case "MILLISECOND": unit = TimeUnit.Millisecond; return true;
            case "MICROSECOND": unit = TimeUnit.Microsecond; return true;
            case "NANOSECOND": unit = TimeUnit.Nanosecond; return true;
            case "DOW": case "DAYOFWEEK": unit = TimeUnit.DayOfWeek; return true;
            case "DOY": case "DAYOFYEAR": unit = TimeUnit.DayOfYear; return true;
            case "EPOCH": unit = TimeUnit.Epoch; return true;
            default: unit = default; return false;
        }
    }

    public static TimeUnit Parse(string text) =>
        TryParse(text, out var u) ? u : throw new TarnException(SqlStates.InvalidParameterValue, $"unknown time unit '{text}'");

    public static string Name(TimeUnit unit) => unit switch
    {
        TimeUnit.DayOfWeek => "DOW",
        TimeUnit.DayOfYear => "DOY",
        _ => unit.ToString().ToUpperInvariant(),
    };
}
