namespace Tarn.Sql.Ast;

/// <summary>Date-time fields used by intervals, EXTRACT, FLOOR/CEIL ... TO and TIMESTAMPADD/TIMESTAMPDIFF.</summary>
public enum TimeUnit
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
    /// <summary>DOW: day of week, Sunday = 1.</summary>
    DayOfWeek,
    /// <summary>DOY: day of year.</summary>
    DayOfYear,
    /// <summary>ISODOW: ISO day of week, Monday = 1.</summary>
    IsoDayOfWeek,
    IsoYear,
    Epoch,
    Decade,
    Century,
    Millennium,
}

/// <summary>
/// The unit part of an interval literal: a single field (MINUTE, SECOND(3)) or a range (DAY TO SECOND). Only
/// YEAR, MONTH, DAY, HOUR, MINUTE and SECOND appear, and a range never mixes year-month with day-time fields.
/// </summary>
/// <param name="Precision">Leading field precision, e.g. DAY(3); null if not written.</param>
/// <param name="FractionalPrecision">Fractional-second precision, e.g. SECOND(2, 6) or ... TO SECOND(3); null if not written.</param>
public sealed record IntervalQualifier(TimeUnit Start, TimeUnit? End = null, int? Precision = null, int? FractionalPrecision = null)
{
    public bool IsYearMonth => Start is TimeUnit.Year or TimeUnit.Month;
}
