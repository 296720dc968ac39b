using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions;

/// <summary>TIMESTAMP ± INTERVAL DAY TO SECOND: the interval (microseconds) is scaled to the timestamp's units.</summary>
public readonly struct TimestampPlusMicros(long unitsPerMicro, int sign) : IBinaryOp<long, long, long>
{
    public bool TryApply(long ts, long micros, out long r) { r = checked(ts + sign * checked(micros * unitsPerMicro)); return true; }
}

/// <summary>TIMESTAMP ± INTERVAL YEAR TO MONTH: calendar months, clamping the day to the month's end.</summary>
public readonly struct TimestampPlusMonths(long unitsPerDay, int sign) : IBinaryOp<long, int, long>
{
    public bool TryApply(long ts, int months, out long r)
    {
        var days = CivilDate.FloorDiv(ts, unitsPerDay);
        var rest = ts - days * unitsPerDay;
        r = checked(CivilDate.AddMonths(days, (long)sign * months) * unitsPerDay + rest);
        return true;
    }
}

/// <summary>DATE ± INTERVAL DAY TO SECOND moves by whole days (the interval truncated toward zero, as Calcite).</summary>
public readonly struct DatePlusMicros(int sign) : IBinaryOp<int, long, int>
{
    public bool TryApply(int date, long micros, out int r) { r = checked((int)(date + sign * (micros / CivilDate.MicrosPerDay))); return true; }
}

public readonly struct DatePlusMonths(int sign) : IBinaryOp<int, int, int>
{
    public bool TryApply(int date, int months, out int r) { r = checked((int)CivilDate.AddMonths(date, (long)sign * months)); return true; }
}

/// <summary>TIME ± INTERVAL DAY TO SECOND wraps around midnight.</summary>
public readonly struct TimePlusMicros(long unitsPerMicro, long unitsPerDay, int sign) : IBinaryOp<long, long, long>
{
    public bool TryApply(long time, long micros, out long r)
    {
        var delta = CivilDate.FloorMod(micros, CivilDate.MicrosPerDay) * unitsPerMicro;
        r = CivilDate.FloorMod(time + sign * delta, unitsPerDay);
        return true;
    }
}
