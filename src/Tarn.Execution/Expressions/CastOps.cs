using System.Numerics;
using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions;

/// <summary>Integer/floating conversions: out of range throws (22003); floating → integer truncates toward zero.</summary>
public readonly struct NumberConvert<TFrom, TTo> : IUnaryOp<TFrom, TTo> where TFrom : INumberBase<TFrom> where TTo : INumberBase<TTo>
{
    public bool TryApply(TFrom v, out TTo r) { r = TTo.CreateChecked(v); return true; }
}

public readonly struct IntegerToDecimal<TFrom, TOut>(int scale, int precision) : IUnaryOp<TFrom, TOut>
    where TFrom : IBinaryInteger<TFrom> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TFrom v, out TOut r)
    {
        var x = checked(Int128.CreateTruncating(v) * DecimalMath.Pow10(scale));
        if (!DecimalMath.Fits(x, precision)) throw new OverflowException();
        r = TOut.CreateTruncating(x);
        return true;
    }
}

public readonly struct DecimalToInteger<TIn, TTo>(int scale) : IUnaryOp<TIn, TTo> where TIn : IBinaryInteger<TIn> where TTo : IBinaryInteger<TTo>
{
    public bool TryApply(TIn v, out TTo r)
    {
        r = TTo.CreateChecked(Int128.CreateTruncating(v) / DecimalMath.Pow10(scale));
        return true;
    }
}

public readonly struct DecimalToDecimal<TIn, TOut>(int fromScale, int toScale, int precision) : IUnaryOp<TIn, TOut>
    where TIn : IBinaryInteger<TIn> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TIn v, out TOut r)
    {
        var x = DecimalMath.Rescale(Int128.CreateTruncating(v), fromScale, toScale);
        if (!DecimalMath.Fits(x, precision)) throw new OverflowException();
        r = TOut.CreateTruncating(x);
        return true;
    }
}

public readonly struct DecimalToFloating<TIn, TTo>(int scale) : IUnaryOp<TIn, TTo> where TIn : IBinaryInteger<TIn> where TTo : IFloatingPointIeee754<TTo>
{
    public bool TryApply(TIn v, out TTo r)
    {
        r = TTo.CreateTruncating(DecimalMath.ToDouble(Int128.CreateTruncating(v), scale));
        return true;
    }
}

public readonly struct FloatingToDecimal<TFrom, TOut>(int scale, int precision) : IUnaryOp<TFrom, TOut>
    where TFrom : IFloatingPointIeee754<TFrom> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TFrom v, out TOut r)
    {
        var x = DecimalMath.FromDouble(double.CreateTruncating(v), scale) ?? throw new OverflowException();
        if (!DecimalMath.Fits(x, precision)) throw new OverflowException();
        r = TOut.CreateTruncating(x);
        return true;
    }
}

public readonly struct BoolToInteger<T> : IUnaryOp<bool, T> where T : IBinaryInteger<T>
{
    public bool TryApply(bool v, out T r) { r = v ? T.One : T.Zero; return true; }
}

public readonly struct IntegerToBool<T> : IUnaryOp<T, bool> where T : IBinaryInteger<T>
{
    public bool TryApply(T v, out bool r) { r = !T.IsZero(v); return true; }
}

/// <summary>DATE → TIMESTAMP (midnight) or, with a zone, → TIMESTAMP_LTZ (midnight in that zone).</summary>
public readonly struct DateToTimestamp(long unitsPerMicro, TimeZoneInfo? zone) : IUnaryOp<int, long>
{
    public bool TryApply(int days, out long r)
    {
        var micros = days * CivilDate.MicrosPerDay;
        if (zone is not null) micros = TimeZones.LocalToUtcMicros(micros, zone);
        r = checked(micros * unitsPerMicro);
        return true;
    }
}

/// <summary>TIMESTAMP → DATE (or TIMESTAMP_LTZ → DATE in the zone): the day, rounding toward the past.</summary>
public readonly struct TimestampToDate(long unitsPerMicro, TimeZoneInfo? zone) : IUnaryOp<long, int>
{
    public bool TryApply(long units, out int r)
    {
        var micros = CivilDate.FloorDiv(units, unitsPerMicro);
        if (zone is not null) micros = TimeZones.UtcToLocalMicros(micros, zone);
        r = checked((int)CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay));
        return true;
    }
}

/// <summary>
/// Between TIME/TIMESTAMP/TIMESTAMP_LTZ units and precisions: optional zone shift (+1 local → UTC, -1 UTC → local),
/// unit change (µs ↔ ns), truncation to the target precision, and for a TIME target the time of day.
/// </summary>
public readonly struct TemporalRescale(long fromUnitsPerMicro, long toUnitsPerMicro, long truncateTo, TimeZoneInfo? zone, int zoneDirection, bool timeOfDay)
    : IUnaryOp<long, long>
{
    public bool TryApply(long units, out long r)
    {
        var v = units;
        if (zone is not null)
        {
            var micros = CivilDate.FloorDiv(v, fromUnitsPerMicro);
            var shifted = zoneDirection > 0 ? TimeZones.LocalToUtcMicros(micros, zone) : TimeZones.UtcToLocalMicros(micros, zone);
            v = checked(v + (shifted - micros) * fromUnitsPerMicro);
        }
        if (timeOfDay) v = CivilDate.FloorMod(v, CivilDate.MicrosPerDay * fromUnitsPerMicro);
        if (toUnitsPerMicro > fromUnitsPerMicro) v = checked(v * (toUnitsPerMicro / fromUnitsPerMicro));
        else if (toUnitsPerMicro < fromUnitsPerMicro) v = CivilDate.FloorDiv(v, fromUnitsPerMicro / toUnitsPerMicro);
        if (truncateTo > 1) v -= CivilDate.FloorMod(v, truncateTo);
        r = v;
        return true;
    }
}
