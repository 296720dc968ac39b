namespace Tarn.Execution.Text;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), valid for any year, without
/// DateTime's 1..9999 limit. Algorithms from Howard Hinnant's "chrono-compatible low-level date algorithms".
/// </summary>
public static class CivilDate
{
    public const long MicrosPerSecond = 1_000_000L;
    public const long MicrosPerDay = 86_400_000_000L;

    public static void FromDays(long days, out long year, out int month, out int day)
    {
        var z = days + 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        day = (int)(doy - (153 * mp + 2) / 5 + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = month <= 2 ? y + 1 : y;
    }

    public static long ToDays(long year, int month, int day)
    {
        var y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - era * 400;
        var mp = month > 2 ? month - 3 : month + 9;
        var doy = (153 * mp + 2) / 5 + day - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    public static bool IsLeapYear(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Floor division (toward negative infinity), for splitting timestamps before 1970 into day and time.</summary>
    public static long FloorDiv(long a, long b) => a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);

    public static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    /// <summary>Day of week 1 = Sunday … 7 = Saturday (1970-01-01 was a Thursday).</summary>
    public static int DayOfWeek(long days) => (int)FloorMod(days + 4, 7) + 1;

    /// <summary>Adds months, clamping the day to the end of the target month (Jan 31 + 1 month = Feb 28/29).</summary>
    public static long AddMonths(long days, long months)
    {
        FromDays(days, out var y, out var m, out var d);
        var total = y * 12 + (m - 1) + months;
        var ny = FloorDiv(total, 12);
        var nm = (int)FloorMod(total, 12) + 1;
        return ToDays(ny, nm, Math.Min(d, DaysInMonth(ny, nm)));
    }

    /// <summary>ISO-8601 week number (weeks start on Monday; week 1 holds the year's first Thursday).</summary>
    public static int IsoWeek(long days)
    {
        var isoDow = (int)FloorMod(days + 3, 7) + 1; // Monday = 1
        var thursday = days - isoDow + 4;
        FromDays(thursday, out var y, out _, out _);
        var jan1 = ToDays(y, 1, 1);
        return (int)((thursday - jan1) / 7) + 1;
    }
}
