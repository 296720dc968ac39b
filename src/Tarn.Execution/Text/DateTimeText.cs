using System.Text;
using Tarn.Types;

namespace Tarn.Execution.Text;

/// <summary>
/// SQL text forms of temporal values, as Flink's CAST(... AS STRING) and SQL client print them:
/// DATE <c>yyyy-MM-dd</c>; TIME <c>HH:mm:ss[.f]</c>; TIMESTAMP <c>yyyy-MM-dd HH:mm:ss[.f]</c>, where the fraction
/// has as many digits as the type's precision (TIMESTAMP(3) prints <c>.000</c>, TIMESTAMP(0) none), plus any further
/// non-zero digits. Parsing accepts <c>yyyy-M-d</c>, an optional <c>T</c> or space before the time, 1–9 fraction
/// digits, and for TIMESTAMP_LTZ a trailing <c>Z</c> or <c>±hh:mm</c> offset; surrounding spaces are ignored.
/// </summary>
public static class DateTimeText
{
    // ----- formatting -----

    public static string FormatDate(long days)
    {
        var sb = new StringBuilder(10);
        AppendDate(sb, days);
        return sb.ToString();
    }

    public static void AppendDate(StringBuilder sb, long days)
    {
        CivilDate.FromDays(days, out var y, out var m, out var d);
        if (y < 0) { sb.Append('-'); y = -y; }
        Pad(sb, y, 4).Append('-');
        Pad(sb, m, 2).Append('-');
        Pad(sb, d, 2);
    }

    /// <summary>Formats nanoseconds since midnight.</summary>
    public static void AppendTime(StringBuilder sb, long nanosOfDay, int precision)
    {
        var seconds = nanosOfDay / 1_000_000_000L;
        var nanos = nanosOfDay % 1_000_000_000L;
        Pad(sb, seconds / 3600, 2).Append(':');
        Pad(sb, seconds / 60 % 60, 2).Append(':');
        Pad(sb, seconds % 60, 2);
        AppendFraction(sb, nanos, precision);
    }

    private static void AppendFraction(StringBuilder sb, long nanos, int precision)
    {
        Span<char> digits = stackalloc char[9];
        var v = nanos;
        for (var i = 8; i >= 0; i--) { digits[i] = (char)('0' + v % 10); v /= 10; }
        var len = 9;
        while (len > precision && digits[len - 1] == '0') len--;
        if (len > 0) sb.Append('.').Append(digits[..len]);
    }

    /// <summary>Converts TIME/TIMESTAMP units of <paramref name="type"/> to nanoseconds.</summary>
    public static long UnitsToNanos(long units, DataType type) => type.Precision > 6 ? units : units * 1000;

    public static string FormatTime(long units, DataType type)
    {
        var sb = new StringBuilder(18);
        AppendTime(sb, UnitsToNanos(units, type), type.Precision);
        return sb.ToString();
    }

    public static string FormatTimestamp(long units, DataType type)
    {
        var sb = new StringBuilder(29);
        AppendTimestamp(sb, units, type);
        return sb.ToString();
    }

    public static void AppendTimestamp(StringBuilder sb, long units, DataType type)
    {
        var perDay = 86_400L * type.TimeUnitsPerSecond;
        var days = CivilDate.FloorDiv(units, perDay);
        var inDay = units - days * perDay;
        AppendDate(sb, days);
        sb.Append(' ');
        AppendTime(sb, UnitsToNanos(inDay, type), type.Precision);
    }

    private static StringBuilder Pad(StringBuilder sb, long v, int width)
    {
        var s = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = s.Length; i < width; i++) sb.Append('0');
        return sb.Append(s);
    }

    // ----- parsing -----

    public static bool TryParseDate(ReadOnlySpan<byte> text, out int days)
    {
        days = 0;
        var s = Trim(text);
        var pos = 0;
        if (!TryParseDatePart(s, ref pos, out var d) || pos != s.Length) return false;
        if (d < int.MinValue || d > int.MaxValue) return false;
        days = (int)d;
        return true;
    }

    public static bool TryParseTime(ReadOnlySpan<byte> text, DataType type, out long units)
    {
        units = 0;
        var s = Trim(text);
        var pos = 0;
        if (!TryParseTimePart(s, ref pos, out var nanos) || pos != s.Length) return false;
        units = ValueConverter.TruncateToPrecision(type.Precision > 6 ? nanos : nanos / 1000, type);
        return true;
    }

    /// <summary>Parses a timestamp; for TIMESTAMP_LTZ a zone offset is honoured and the result is UTC
    /// (text without an offset is in <paramref name="zone"/>).</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, DataType type, TimeZoneInfo zone, out long units)
    {
        units = 0;
        var s = Trim(text);
        var pos = 0;
        if (!TryParseDatePart(s, ref pos, out var days)) return false;
        long nanos = 0;
        if (pos < s.Length && (s[pos] == (byte)' ' || s[pos] == (byte)'T'))
        {
            pos++;
            if (!TryParseTimePart(s, ref pos, out nanos)) return false;
        }
        long? offsetSeconds = null;
        if (pos < s.Length)
        {
            if (type.Kind != TypeKind.TimestampLtz) return false;
            while (pos < s.Length && s[pos] == (byte)' ') pos++;
            if (!TryParseOffset(s[pos..], out var off)) return false;
            offsetSeconds = off;
        }
        try
        {
            var localMicros = checked(days * CivilDate.MicrosPerDay + nanos / 1000);
            long utcMicros;
            if (type.Kind == TypeKind.TimestampLtz)
                utcMicros = offsetSeconds is { } o ? checked(localMicros - o * CivilDate.MicrosPerSecond) : TimeZones.LocalToUtcMicros(localMicros, zone);
            else utcMicros = localMicros;
            var u = type.Precision > 6 ? checked(utcMicros * 1000 + nanos % 1000) : utcMicros;
            units = ValueConverter.TruncateToPrecision(u, type);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> s, out long seconds)
    {
        seconds = 0;
        if (s.Length == 1 && (s[0] == (byte)'Z' || s[0] == (byte)'z')) return true;
        if (s.Length < 3 || (s[0] != (byte)'+' && s[0] != (byte)'-')) return false;
        var sign = s[0] == (byte)'-' ? -1 : 1;
        var pos = 1;
        if (!Digits(s, ref pos, 2, 2, out var h)) return false;
        long m = 0;
        if (pos < s.Length)
        {
            if (s[pos] == (byte)':') pos++;
            if (!Digits(s, ref pos, 2, 2, out m)) return false;
        }
        if (pos != s.Length || h > 18 || m > 59) return false;
        seconds = sign * (h * 3600 + m * 60);
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        var b = s.Length;
        while (a < b && IsSpace(s[a])) a++;
        while (b > a && IsSpace(s[b - 1])) b--;
        return s[a..b];
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static bool Digits(ReadOnlySpan<byte> s, ref int pos, int min, int max, out long value)
    {
        value = 0;
        var start = pos;
        while (pos < s.Length && pos - start < max && s[pos] >= (byte)'0' && s[pos] <= (byte)'9')
        {
            value = value * 10 + (s[pos] - '0');
            pos++;
        }
        return pos - start >= min;
    }

    private static bool TryParseDatePart(ReadOnlySpan<byte> s, ref int pos, out long days)
    {
        days = 0;
        var negative = false;
        if (pos < s.Length && (s[pos] == (byte)'-' || s[pos] == (byte)'+')) { negative = s[pos] == (byte)'-'; pos++; }
        if (!Digits(s, ref pos, 1, 9, out var year)) return false;
        if (pos >= s.Length || s[pos] != (byte)'-') return false;
        pos++;
        if (!Digits(s, ref pos, 1, 2, out var month)) return false;
        if (pos >= s.Length || s[pos] != (byte)'-') return false;
        pos++;
        if (!Digits(s, ref pos, 1, 2, out var day)) return false;
        if (negative) year = -year;
        if (month is < 1 or > 12 || day < 1 || day > CivilDate.DaysInMonth(year, (int)month)) return false;
        days = CivilDate.ToDays(year, (int)month, (int)day);
        return true;
    }

    private static bool TryParseTimePart(ReadOnlySpan<byte> s, ref int pos, out long nanos)
    {
        nanos = 0;
        if (!Digits(s, ref pos, 1, 2, out var h)) return false;
        if (pos >= s.Length || s[pos] != (byte)':') return false;
        pos++;
        if (!Digits(s, ref pos, 1, 2, out var m)) return false;
        long sec = 0, frac = 0;
        if (pos < s.Length && s[pos] == (byte)':')
        {
            pos++;
            if (!Digits(s, ref pos, 1, 2, out sec)) return false;
            if (pos < s.Length && s[pos] == (byte)'.')
            {
                pos++;
                var start = pos;
                if (!Digits(s, ref pos, 1, 9, out frac)) return false;
                for (var i = pos - start; i < 9; i++) frac *= 10;
                while (pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9') pos++; // digits past nanoseconds are dropped
            }
        }
        if (h > 23 || m > 59 || sec > 59) return false;
        nanos = ((h * 60 + m) * 60 + sec) * 1_000_000_000L + frac;
        return true;
    }
}
