using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Tarn.Vectors;

namespace Tarn.Types;

/// <summary>
/// Maps stored (physical) values to the CLR values the API hands out, and back:
/// DATE = days since 1970-01-01 (<see cref="DateOnly"/>), TIME = units since midnight (<see cref="TimeOnly"/>),
/// TIMESTAMP = units since the epoch without zone (<see cref="DateTime"/>, Unspecified), TIMESTAMP_LTZ = an instant
/// (<see cref="DateTimeOffset"/> in UTC), DECIMAL = unscaled integer (<see cref="decimal"/>).
/// Units are microseconds for precision ≤ 6 and nanoseconds above.
/// </summary>
public static class ValueConverter
{
    public static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    public static readonly DateOnly EpochDate = new(1970, 1, 1);

    public static object ToClr<T>(DataType type, T raw) where T : unmanaged
    {
        if (typeof(T) == typeof(long))
        {
            var v = Unsafe.As<T, long>(ref raw);
            return type.Kind switch
            {
                TypeKind.Timestamp => TimestampToDateTime(v, type),
                TypeKind.TimestampLtz => new DateTimeOffset(TimestampToDateTime(v, type), TimeSpan.Zero),
                TypeKind.Time => TimeToTimeOnly(v, type),
                TypeKind.Decimal => DecimalToClr(v, type.Scale),
                TypeKind.IntervalDayTime => TimeSpan.FromTicks(v * 10),
                _ => v,
            };
        }
        if (typeof(T) == typeof(int))
        {
            var v = Unsafe.As<T, int>(ref raw);
            return type.Kind == TypeKind.Date ? EpochDate.AddDays(v) : v;
        }
        if (typeof(T) == typeof(Int128))
        {
            var v = Unsafe.As<T, Int128>(ref raw);
            return DecimalToClr(v, type.Scale);
        }
        return raw;
    }

    public static DateTime TimestampToDateTime(long units, DataType type)
    {
        var ticks = type.Precision > 6 ? units / 100 : units * 10;
        return new DateTime(Epoch.Ticks + ticks, DateTimeKind.Unspecified);
    }

    public static long DateTimeToTimestamp(DateTime value, DataType type)
    {
        var ticks = value.Ticks - Epoch.Ticks;
        if (value.Kind == DateTimeKind.Local) ticks = value.ToUniversalTime().Ticks - Epoch.Ticks;
        var units = type.Precision > 6 ? ticks * 100 : ticks / 10;
        return TruncateToPrecision(units, type);
    }

    public static long TruncateToPrecision(long units, DataType type)
    {
        var p = type.Precision;
        var max = type.Precision > 6 ? 9 : 6;
        if (p >= max) return units;
        var div = (long)Math.Pow(10, max - p);
        return units - (((units % div) + div) % div);
    }

    public static TimeOnly TimeToTimeOnly(long units, DataType type) =>
        new(type.Precision > 6 ? units / 100 : units * 10);

    public static long TimeOnlyToTime(TimeOnly value, DataType type) =>
        TruncateToPrecision(type.Precision > 6 ? value.Ticks * 100 : value.Ticks / 10, type);

    public static int DateOnlyToDays(DateOnly d) => d.DayNumber - EpochDate.DayNumber;

    public static object DecimalToClr(Int128 unscaled, int scale)
    {
        // System.Decimal holds 96-bit mantissas; wider values are returned as their exact text.
        if (Int128.Abs(unscaled) < ((Int128)1 << 96) && scale <= 28)
        {
            var abs = Int128.Abs(unscaled);
            var lo = (int)(uint)(abs & uint.MaxValue);
            var mid = (int)(uint)((abs >> 32) & uint.MaxValue);
            var hi = (int)(uint)((abs >> 64) & uint.MaxValue);
            return new decimal(lo, mid, hi, unscaled < 0, (byte)scale);
        }
        return DecimalToString(unscaled, scale);
    }

    public static string DecimalToString(Int128 unscaled, int scale)
    {
        var neg = unscaled < 0;
        var digits = Int128.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            if (digits.Length <= scale) digits = new string('0', scale - digits.Length + 1) + digits;
            digits = digits[..^scale] + "." + digits[^scale..];
        }
        return neg ? "-" + digits : digits;
    }

    /// <summary>Converts a CLR decimal to an unscaled value at <paramref name="scale"/>, rounding half away from zero.</summary>
    public static Int128 DecimalToUnscaled(decimal value, int scale)
    {
        var rounded = Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
        var bits = decimal.GetBits(rounded);
        Int128 mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var currentScale = (bits[3] >> 16) & 0xFF;
        var neg = (bits[3] & int.MinValue) != 0;
        for (var s = currentScale; s < scale; s++) mantissa *= 10;
        return neg ? -mantissa : mantissa;
    }

    public static Int128 Pow10(int n)
    {
        Int128 r = 1;
        for (var i = 0; i < n; i++) r *= 10;
        return r;
    }

    /// <summary>Appends a CLR value (as the API accepts it) to a vector of <paramref name="vector"/>'s type, converting as SQL would on assignment.</summary>
    public static void AppendClr(ColumnVector vector, object? value)
    {
        if (value is null || value is DBNull) { vector.AppendNull(); return; }
        var type = vector.Type;
        switch (vector)
        {
            case PrimitiveVector<bool> b: b.Append(Convert.ToBoolean(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<sbyte> i8: i8.Append(Convert.ToSByte(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<short> i16: i16.Append(Convert.ToInt16(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<int> i32:
                i32.Append(type.Kind == TypeKind.Date ? value switch
                {
                    DateOnly d => DateOnlyToDays(d),
                    DateTime dt => DateOnlyToDays(DateOnly.FromDateTime(dt)),
                    string s => DateOnlyToDays(DateOnly.Parse(s, CultureInfo.InvariantCulture)),
                    _ => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                } : Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case PrimitiveVector<long> i64: i64.Append(ToInt64(type, value)); break;
            case PrimitiveVector<Int128> i128:
                i128.Append(value switch
                {
                    decimal m => DecimalToUnscaled(m, type.Scale),
                    Int128 x => x * Pow10(type.Scale),
                    BigInteger bi => (Int128)bi * Pow10(type.Scale),
                    _ => DecimalToUnscaled(Convert.ToDecimal(value, CultureInfo.InvariantCulture), type.Scale),
                });
                break;
            case PrimitiveVector<float> f: f.Append(Convert.ToSingle(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<double> d: d.Append(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case BinaryVector bin:
                switch (value)
                {
                    case System.Collections.IEnumerable list when type.IsArray && value is not (string or byte[]):
                        bin.Append(ArrayValues.FromClr(list, type.Element!));
                        break;
                    case var _ when type.IsArray: // never store bytes that are not an array encoding
                        throw new InvalidCastException($"a {type.ToSql()} value must be a list (object[], List<T>, ...), not {value.GetType().Name}");
                    case string s: bin.Append(s); break;
                    case byte[] bytes: bin.Append(bytes); break;
                    case ReadOnlyMemory<byte> mem: bin.Append(mem.Span); break;
                    default: bin.Append(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""); break;
                }
                break;
            default:
                throw new InvalidOperationException($"cannot append to {vector.GetType().Name}");
        }
    }

    private static long ToInt64(DataType type, object value) => type.Kind switch
    {
        TypeKind.Timestamp or TypeKind.TimestampLtz => value switch
        {
            DateTime dt => DateTimeToTimestamp(type.Kind == TypeKind.TimestampLtz && dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt, type),
            DateTimeOffset dto => DateTimeToTimestamp(type.Kind == TypeKind.TimestampLtz ? dto.UtcDateTime : dto.DateTime, type),
            string s => DateTimeToTimestamp(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), type),
            _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        },
        TypeKind.Time => value switch
        {
            TimeOnly t => TimeOnlyToTime(t, type),
            TimeSpan ts => TimeOnlyToTime(TimeOnly.FromTimeSpan(ts), type),
            string s => TimeOnlyToTime(TimeOnly.Parse(s, CultureInfo.InvariantCulture), type),
            _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        },
        TypeKind.Decimal => (long)DecimalToUnscaled(Convert.ToDecimal(value, CultureInfo.InvariantCulture), type.Scale),
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}
