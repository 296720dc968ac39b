using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>
/// Decodes one field of COPY text/csv (already de-escaped, UTF-8) straight into its column's vector: typed parsers
/// over the bytes for the common shapes (integers, fixed-point decimals, ISO dates and timestamps), the framework's
/// parsers for the rest. A value that does not parse raises 22P02; one that does not fit, 22003 or 22008.
/// </summary>
internal static class PgCopyTextValues
{
    private static readonly long MicrosFrom1970To2000 = 946_684_800_000_000L;

    public static void Append(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        switch (column.Kind)
        {
            case PgCopyKind.Bool: ((PrimitiveVector<bool>)column.Vector).Append(ParseBool(column, s)); return;
            case PgCopyKind.TinyInt: ((PrimitiveVector<sbyte>)column.Vector).Append((sbyte)ParseInteger(column, s, sbyte.MinValue, sbyte.MaxValue)); return;
            case PgCopyKind.SmallInt: ((PrimitiveVector<short>)column.Vector).Append((short)ParseInteger(column, s, short.MinValue, short.MaxValue)); return;
            case PgCopyKind.Int: ((PrimitiveVector<int>)column.Vector).Append((int)ParseInteger(column, s, int.MinValue, int.MaxValue)); return;
            case PgCopyKind.BigInt: ((PrimitiveVector<long>)column.Vector).Append(ParseInteger(column, s, long.MinValue, long.MaxValue)); return;
            case PgCopyKind.Float: ((PrimitiveVector<float>)column.Vector).Append(ParseFloat(column, s)); return;
            case PgCopyKind.Double: ((PrimitiveVector<double>)column.Vector).Append(ParseDouble(column, s)); return;
            case PgCopyKind.Decimal64: ((PrimitiveVector<long>)column.Vector).Append(ParseDecimal64(column, s)); return;
            case PgCopyKind.Decimal128: ((PrimitiveVector<Int128>)column.Vector).Append(ParseDecimal128(column, s)); return;
            case PgCopyKind.Text:
                if (!Utf8.IsValid(s)) throw PgCopyErrors.BadEncoding(s);
                ((BinaryVector)column.Vector).Append(s);
                return;
            case PgCopyKind.Bytes: AppendBytea(column, s); return;
            case PgCopyKind.Date: ((PrimitiveVector<int>)column.Vector).Append(ParseDate(column, s)); return;
            case PgCopyKind.Time: ((PrimitiveVector<long>)column.Vector).Append(ParseTime(column, s)); return;
            case PgCopyKind.Timestamp: ((PrimitiveVector<long>)column.Vector).Append(ParseTimestamp(column, s, withZone: false)); return;
            case PgCopyKind.TimestampTz: ((PrimitiveVector<long>)column.Vector).Append(ParseTimestamp(column, s, withZone: true)); return;
            default: AppendOther(column, s); return;
        }
    }

    private static bool ParseBool(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        s = s.Trim((byte)' ');
        if (s.Length == 1)
        {
            switch (s[0] | 0x20)
            {
                case 't' or 'y' or '1' | 0x20: return true;
                case 'f' or 'n' or '0' | 0x20: return false;
            }
        }
        if (Ascii.EqualsIgnoreCase(s, "true"u8) || Ascii.EqualsIgnoreCase(s, "yes"u8) || Ascii.EqualsIgnoreCase(s, "on"u8)) return true;
        if (Ascii.EqualsIgnoreCase(s, "false"u8) || Ascii.EqualsIgnoreCase(s, "no"u8) || Ascii.EqualsIgnoreCase(s, "off"u8)) return false;
        throw PgCopyErrors.InvalidInput(column, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ParseInteger(PgCopyColumn column, ReadOnlySpan<byte> s, long min, long max)
    {
        // Fast path: an optional minus and up to 18 digits cannot overflow a long.
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+') { negative = s[0] == '-'; i = 1; }
        if (s.Length - i is > 0 and <= 18)
        {
            long value = 0;
            for (; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9) return ParseIntegerSlow(column, s, min, max);
                value = value * 10 + d;
            }
            if (negative) value = -value;
            if (value < min || value > max) throw PgCopyErrors.OutOfRange(column, s);
            return value;
        }
        return ParseIntegerSlow(column, s, min, max);
    }

    private static long ParseIntegerSlow(PgCopyColumn column, ReadOnlySpan<byte> s, long min, long max)
    {
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;
        if (long.TryParse(s, styles, CultureInfo.InvariantCulture, out var value))
        {
            if (value < min || value > max) throw PgCopyErrors.OutOfRange(column, s);
            return value;
        }
        if (Int128.TryParse(s, styles, CultureInfo.InvariantCulture, out _) || System.Numerics.BigInteger.TryParse(Encoding.UTF8.GetString(s), styles, CultureInfo.InvariantCulture, out _))
            throw PgCopyErrors.OutOfRange(column, s);
        throw PgCopyErrors.InvalidInput(column, s);
    }

    /// <summary>Exact powers of ten up to 10^22 (every one is a double without rounding).</summary>
    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static double ParseDouble(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        // Fast path for plain decimals of at most 15 digits: the digits and the power of ten are exact doubles, so one
        // IEEE division rounds correctly (Clinger's fast path); everything else goes to the framework's parser.
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] == '-') { negative = true; i = 1; }
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d <= 9) { mantissa = mantissa * 10 + d; digits++; if (fraction >= 0) fraction++; continue; }
            if (s[i] == '.' && fraction < 0) { fraction = 0; continue; }
            digits = 99; // anything else: not the fast path
            break;
        }
        if (digits is > 0 and <= 15)
        {
            var result = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
            return negative ? -result : result;
        }
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (double.IsInfinity(value) && !IsInfinityWord(s)) throw PgCopyErrors.OutOfRange(column, s);
            return value;
        }
        if (IsInfinityWord(s)) return s.Trim((byte)' ')[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        throw PgCopyErrors.InvalidInput(column, s);
    }

    private static float ParseFloat(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        var value = ParseDouble(column, s);
        var single = (float)value;
        if (float.IsInfinity(single) && !double.IsInfinity(value)) throw PgCopyErrors.OutOfRange(column, s);
        return single;
    }

    private static bool IsInfinityWord(ReadOnlySpan<byte> s)
    {
        s = s.Trim((byte)' ');
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+') s = s[1..];
        return Ascii.EqualsIgnoreCase(s, "infinity"u8) || Ascii.EqualsIgnoreCase(s, "inf"u8);
    }

    /// <summary>A DECIMAL(p ≤ 18) as its unscaled long: digits, optional point and fraction, rounded half away from zero.</summary>
    private static long ParseDecimal64(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        var scale = column.Type.Scale;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+') { negative = s[0] == '-'; i = 1; }
        long unscaled = 0;
        var digits = 0;
        var fraction = -1;
        var roundUp = false;
        for (; i < s.Length; i++)
        {
            var b = s[i];
            if (b == '.' && fraction < 0) { fraction = 0; continue; }
            var d = (uint)(b - '0');
            if (d > 9) return (long)ParseDecimal128(column, s);
            if (fraction >= 0)
            {
                if (fraction >= scale)
                {
                    if (fraction == scale) roundUp = d >= 5; // the first dropped digit decides: half away from zero
                    fraction++;
                    continue;
                }
                fraction++;
            }
            digits++;
            if (digits > 18) return (long)ParseDecimal128(column, s);
            unscaled = unscaled * 10 + d;
        }
        if (digits == 0 && fraction <= 0) throw PgCopyErrors.InvalidInput(column, s);
        for (var f = Math.Clamp(fraction, 0, scale); f < scale; f++)
        {
            if (unscaled > long.MaxValue / 10) throw PgCopyErrors.NumericOverflow(column);
            unscaled *= 10;
        }
        if (roundUp) unscaled++;
        if (unscaled >= column.DecimalLimit) throw PgCopyErrors.NumericOverflow(column);
        return negative ? -unscaled : unscaled;
    }

    private static Int128 ParseDecimal128(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) throw PgCopyErrors.NumericOverflow(column);
            throw PgCopyErrors.InvalidInput(column, s);
        }
        return ToUnscaled(column, value);
    }

    public static Int128 ToUnscaled(PgCopyColumn column, decimal value)
    {
        var unscaled = ValueConverter.DecimalToUnscaled(value, column.Type.Scale);
        if (Int128.Abs(unscaled) >= ValueConverter.Pow10(column.Type.Precision)) throw PgCopyErrors.NumericOverflow(column);
        return unscaled;
    }

    private static void AppendBytea(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        var vector = (BinaryVector)column.Vector;
        if (s.Length >= 2 && s[0] == '\\' && s[1] == 'x')
        {
            var hex = s[2..];
            if (hex.Length % 2 != 0) throw PgCopyErrors.InvalidInput(column, s);
            var bytes = hex.Length <= 1024 ? stackalloc byte[hex.Length / 2] : new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                var hi = HexValue(hex[2 * i]);
                var lo = HexValue(hex[2 * i + 1]);
                if ((hi | lo) < 0) throw PgCopyErrors.InvalidInput(column, s);
                bytes[i] = (byte)(hi << 4 | lo);
            }
            vector.Append(bytes);
            return;
        }
        // The escape format: \\ for a backslash, \ooo for any byte, everything else as itself.
        var output = new byte[s.Length];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\') { output[n++] = s[i]; continue; }
            if (i + 1 < s.Length && s[i + 1] == '\\') { output[n++] = (byte)'\\'; i++; continue; }
            if (i + 3 < s.Length + 0 && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) && IsOctal(s[i + 3]) && s[i + 1] <= '3')
            {
                output[n++] = (byte)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
                i += 3;
                continue;
            }
            throw PgCopyErrors.InvalidInput(column, s);
        }
        vector.Append(output.AsSpan(0, n));
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static int ParseDate(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        if (TryIsoDate(s, out var days)) return days;
        if (DateOnly.TryParse(Encoding.UTF8.GetString(s), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
            return ValueConverter.DateOnlyToDays(date);
        throw PgCopyErrors.InvalidInput(column, s);
    }

    private static long ParseTime(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        if (TryIsoTime(s, out var nanos, out var used) && used == s.Length) return TimeUnits(column, nanos);
        if (TimeOnly.TryParse(Encoding.UTF8.GetString(s), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time))
            return ValueConverter.TimeOnlyToTime(time, column.Type);
        throw PgCopyErrors.InvalidInput(column, s);
    }

    private static long TimeUnits(PgCopyColumn column, long nanos) =>
        ValueConverter.TruncateToPrecision(column.NanoTime ? nanos : nanos / 1000, column.Type);

    /// <summary>
    /// 'YYYY-MM-DD[ T]HH:MM:SS[.fffffffff][zone]'; a zone (Z, +HH, +HH:MM, +HHMM) shifts a TIMESTAMP WITH TIME ZONE to
    /// UTC and is ignored for one without, as PostgreSQL does. Anything else goes through DateTimeOffset's parser.
    /// </summary>
    private static long ParseTimestamp(PgCopyColumn column, ReadOnlySpan<byte> s, bool withZone)
    {
        if (s.Length >= 10 && TryIsoDate(s[..10], out var days))
        {
            long nanos = 0;
            var rest = s[10..];
            if (rest.Length > 0 && rest[0] is (byte)' ' or (byte)'T')
            {
                if (!TryIsoTime(rest[1..], out nanos, out var used)) return ParseTimestampSlow(column, s, withZone);
                rest = rest[(1 + used)..];
            }
            long offsetSeconds = 0;
            if (rest.Length > 0 && !TryZone(rest, out offsetSeconds)) return ParseTimestampSlow(column, s, withZone);
            if (!withZone) offsetSeconds = 0;
            var micros = days * 86_400_000_000L + nanos / 1000 - offsetSeconds * 1_000_000L;
            return ToUnits(column, micros, nanos % 1000);
        }
        return ParseTimestampSlow(column, s, withZone);
    }

    private static long ToUnits(PgCopyColumn column, long micros, long subMicroNanos)
    {
        if (!column.NanoTime) return ValueConverter.TruncateToPrecision(micros, column.Type);
        if (micros > long.MaxValue / 1000 || micros < long.MinValue / 1000) throw PgCopyErrors.DateOutOfRange(column);
        return ValueConverter.TruncateToPrecision(micros * 1000 + subMicroNanos, column.Type);
    }

    private static long ParseTimestampSlow(PgCopyColumn column, ReadOnlySpan<byte> s, bool withZone)
    {
        var text = Encoding.UTF8.GetString(s).Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            var dateTime = withZone ? value.UtcDateTime : value.DateTime;
            var ticks = dateTime.Ticks - ValueConverter.Epoch.Ticks;
            return ToUnits(column, ticks / 10, ticks % 10 * 100);
        }
        throw PgCopyErrors.InvalidInput(column, s);
    }

    /// <summary>Exactly 'YYYY-MM-DD' → days since 1970-01-01.</summary>
    private static bool TryIsoDate(ReadOnlySpan<byte> s, out int days)
    {
        days = 0;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        days = new DateOnly(year, month, day).DayNumber - ValueConverter.EpochDate.DayNumber;
        return true;
    }

    /// <summary>'HH:MM[:SS[.f...]]' at the start of <paramref name="s"/> → nanoseconds of the day and bytes used.</summary>
    private static bool TryIsoTime(ReadOnlySpan<byte> s, out long nanos, out int used)
    {
        nanos = 0;
        used = 0;
        if (s.Length < 5 || s[2] != ':') return false;
        if (!TryDigits(s[..2], out var hour) || !TryDigits(s.Slice(3, 2), out var minute)) return false;
        var second = 0;
        used = 5;
        if (s.Length >= 8 && s[5] == ':')
        {
            if (!TryDigits(s.Slice(6, 2), out second)) return false;
            used = 8;
        }
        long fraction = 0;
        if (used == 8 && s.Length > 8 && s[8] == '.')
        {
            used = 9;
            var scale = 100_000_000L;
            while (used < s.Length && (uint)(s[used] - '0') <= 9)
            {
                fraction += (s[used] - '0') * scale;
                scale /= 10;
                used++;
            }
        }
        if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute | second) != 0 || hour == 24 && fraction != 0)) return false;
        nanos = ((hour * 60L + minute) * 60 + second) * 1_000_000_000L + fraction;
        return true;
    }

    /// <summary>A zone suffix: optional spaces, then Z/UTC or ±HH[[:]MM[[:]SS]] → seconds east of UTC.</summary>
    private static bool TryZone(ReadOnlySpan<byte> s, out long offsetSeconds)
    {
        offsetSeconds = 0;
        s = s.TrimStart((byte)' ');
        if (s.Length == 0) return true;
        if (s.SequenceEqual("Z"u8) || Ascii.EqualsIgnoreCase(s, "UTC"u8) || Ascii.EqualsIgnoreCase(s, "GMT"u8)) return true;
        if (s[0] is not ((byte)'+' or (byte)'-')) return false;
        var sign = s[0] == '-' ? -1 : 1;
        var digits = s[1..];
        Span<int> parts = stackalloc int[3];
        var count = 0;
        while (digits.Length >= 2 && count < 3)
        {
            if (!TryDigits(digits[..2], out parts[count])) return false;
            count++;
            digits = digits[2..];
            if (digits.Length > 0 && digits[0] == ':') digits = digits[1..];
        }
        if (count == 0 || digits.Length != 0) return false;
        offsetSeconds = sign * (parts[0] * 3600L + parts[1] * 60L + parts[2]);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var d = (uint)(b - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }

    /// <summary>Intervals, arrays and the rest: the engine's own conversion from text.</summary>
    private static void AppendOther(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        var text = Encoding.UTF8.GetString(s);
        try
        {
            ValueConverter.AppendClr(column.Vector, column.Kind switch
            {
                PgCopyKind.IntervalDayTime => (object)TimeSpan.Parse(text, CultureInfo.InvariantCulture),
                PgCopyKind.IntervalYearMonth => int.Parse(text, CultureInfo.InvariantCulture),
                _ => text,
            });
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or TarnException)
        {
            throw PgCopyErrors.InvalidInput(column, s);
        }
    }

    /// <summary>Micro-seconds since 2000-01-01 (PostgreSQL's binary epoch) → since 1970-01-01.</summary>
    public static long From2000(long micros) => micros + MicrosFrom1970To2000;
}
