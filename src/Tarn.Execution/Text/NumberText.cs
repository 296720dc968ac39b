using System.Globalization;
using System.Numerics;
using System.Text;
using Tarn.Types;

namespace Tarn.Execution.Text;

/// <summary>Outcome of parsing text into a number.</summary>
public enum ParseStatus : byte
{
    Ok,
    Invalid,
    OutOfRange,
}

/// <summary>
/// Number text as Flink prints and parses it. DOUBLE/FLOAT print like Java's <c>Double.toString</c>: the shortest
/// digits that round-trip, plain notation for 1e-3 ≤ |x| &lt; 1e7 with at least one fractional digit (<c>1.0</c>),
/// otherwise <c>1.0E7</c> / <c>1.234E-5</c>; <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
/// Parsing ignores surrounding whitespace; integers accept and drop a fractional part (<c>'12.7'</c> → 12, as Flink).
/// </summary>
public static class NumberText
{
    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        return FormatJava(JavaDigits(d.ToString("R", CultureInfo.InvariantCulture), d.ToString("E1", CultureInfo.InvariantCulture), t => double.Parse(t, CultureInfo.InvariantCulture) == d));
    }

    /// <summary>
    /// Java never prints a single significant digit: when the shortest form has one, it uses the two-digit form
    /// closest to the exact value if that still round-trips (Double.MIN_VALUE is 4.9E-324, not 5E-324).
    /// </summary>
    private static string JavaDigits(string shortest, string twoDigits, Func<string, bool> roundTrips)
    {
        var mantissa = shortest.Split('E', 'e')[0].TrimStart('-').Replace(".", "", StringComparison.Ordinal).Trim('0');
        return mantissa.Length == 1 && roundTrips(twoDigits) ? twoDigits : shortest;
    }

    public static string FormatFloat(float f)
    {
        if (float.IsNaN(f)) return "NaN";
        if (float.IsPositiveInfinity(f)) return "Infinity";
        if (float.IsNegativeInfinity(f)) return "-Infinity";
        if (f == 0) return float.IsNegative(f) ? "-0.0" : "0.0";
        return FormatJava(JavaDigits(f.ToString("R", CultureInfo.InvariantCulture), f.ToString("E1", CultureInfo.InvariantCulture), t => float.Parse(t, CultureInfo.InvariantCulture) == f));
    }

    /// <summary>Re-renders .NET's shortest round-trip text in Java's layout.</summary>
    private static string FormatJava(string roundTrip)
    {
        var negative = roundTrip[0] == '-';
        var s = negative ? roundTrip[1..] : roundTrip;
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        string digits;
        if (dot >= 0)
        {
            digits = s[..dot] + s[(dot + 1)..];
            exp += dot;
        }
        else
        {
            digits = s;
            exp += s.Length;
        }
        // digits × 10^(exp - digits.Length); normalise away leading/trailing zeros
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') { lead++; exp--; }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        // value = 0.d1d2d3... × 10^exp
        var sb = new StringBuilder(24);
        if (negative) sb.Append('-');
        var sci = exp - 1; // value = d1.d2d3... × 10^sci
        if (sci >= -3 && sci < 7)
        {
            if (exp <= 0)
            {
                sb.Append("0.").Append('0', -exp).Append(digits);
            }
            else if (exp >= digits.Length)
            {
                sb.Append(digits).Append('0', exp - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, exp).Append('.').Append(digits, exp, digits.Length - exp);
            }
        }
        else
        {
            sb.Append(digits[0]).Append('.');
            sb.Append(digits.Length > 1 ? digits[1..] : "0");
            sb.Append('E').Append(sci.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        var b = s.Length;
        while (a < b && s[a] <= (byte)' ') a++;
        while (b > a && s[b - 1] <= (byte)' ') b--;
        return s[a..b];
    }

    /// <summary>Parses an integer in [min, max]; a fractional part of digits is accepted and truncated.</summary>
    public static ParseStatus TryParseInteger(ReadOnlySpan<byte> text, long min, long max, out long value)
    {
        value = 0;
        var s = Trim(text);
        if (s.Length == 0) return ParseStatus.Invalid;
        var pos = 0;
        var negative = false;
        if (s[0] == (byte)'-' || s[0] == (byte)'+') { negative = s[0] == (byte)'-'; pos++; }
        if (pos >= s.Length) return ParseStatus.Invalid;
        Int128 acc = 0;
        var digits = 0;
        var overflow = false;
        for (; pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9'; pos++)
        {
            digits++;
            if (!overflow) acc = acc * 10 + (s[pos] - '0');
            if (acc > (Int128)ulong.MaxValue) overflow = true;
        }
        if (pos < s.Length && s[pos] == (byte)'.')
        {
            pos++;
            var fracStart = pos;
            while (pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9') pos++;
            if (digits == 0 && pos == fracStart) return ParseStatus.Invalid;
            digits += pos - fracStart;
        }
        if (pos != s.Length || digits == 0) return ParseStatus.Invalid;
        if (negative) acc = -acc;
        if (overflow || acc < min || acc > max) return ParseStatus.OutOfRange;
        value = (long)acc;
        return ParseStatus.Ok;
    }

    public static ParseStatus TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var s = Trim(text);
        if (s.Length > 0 && (s[^1] == (byte)'d' || s[^1] == (byte)'D' || s[^1] == (byte)'f' || s[^1] == (byte)'F')) s = s[..^1];
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return ParseStatus.Ok;
        if (Ascii.EqualsIgnoreCase(s, "inf"u8) || Ascii.EqualsIgnoreCase(s, "+inf"u8) || Ascii.EqualsIgnoreCase(s, "infinity"u8))
        {
            value = double.PositiveInfinity;
            return ParseStatus.Ok;
        }
        if (Ascii.EqualsIgnoreCase(s, "-inf"u8) || Ascii.EqualsIgnoreCase(s, "-infinity"u8))
        {
            value = double.NegativeInfinity;
            return ParseStatus.Ok;
        }
        if (Ascii.EqualsIgnoreCase(s, "nan"u8))
        {
            value = double.NaN;
            return ParseStatus.Ok;
        }
        return ParseStatus.Invalid;
    }

    /// <summary>Parses a decimal number (optional exponent) into an unscaled value at <paramref name="scale"/>,
    /// rounding half away from zero; out of range when it needs more than <paramref name="precision"/> digits.</summary>
    public static ParseStatus TryParseDecimal(ReadOnlySpan<byte> text, int precision, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        var s = Trim(text);
        if (s.Length == 0) return ParseStatus.Invalid;
        var pos = 0;
        var negative = false;
        if (s[0] == (byte)'-' || s[0] == (byte)'+') { negative = s[0] == (byte)'-'; pos++; }
        BigInteger mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        for (; pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9'; pos++, digits++) mantissa = mantissa * 10 + (s[pos] - '0');
        if (pos < s.Length && s[pos] == (byte)'.')
        {
            pos++;
            for (; pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9'; pos++, digits++, fractionDigits++)
                mantissa = mantissa * 10 + (s[pos] - '0');
        }
        if (digits == 0) return ParseStatus.Invalid;
        long exponent = 0;
        if (pos < s.Length && (s[pos] == (byte)'e' || s[pos] == (byte)'E'))
        {
            pos++;
            var expNegative = false;
            if (pos < s.Length && (s[pos] == (byte)'-' || s[pos] == (byte)'+')) { expNegative = s[pos] == (byte)'-'; pos++; }
            var expStart = pos;
            for (; pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9'; pos++)
                if (exponent < 100_000) exponent = exponent * 10 + (s[pos] - '0');
            if (pos == expStart) return ParseStatus.Invalid;
            if (expNegative) exponent = -exponent;
        }
        if (pos != s.Length) return ParseStatus.Invalid;
        if (negative) mantissa = -mantissa;
        // value = mantissa × 10^(exponent - fractionDigits); rescale to `scale`
        var shift = exponent - fractionDigits + scale;
        BigInteger result;
        if (shift >= 0)
        {
            if (shift > 80) return mantissa.IsZero ? ParseStatus.Ok : ParseStatus.OutOfRange;
            result = mantissa * BigInteger.Pow(10, (int)shift);
        }
        else if (-shift > 80) result = BigInteger.Zero;
        else result = DecimalMath.DivideRoundHalfUp(mantissa, BigInteger.Pow(10, (int)-shift));
        if (BigInteger.Abs(result) >= BigInteger.Pow(10, precision)) return ParseStatus.OutOfRange;
        unscaled = (Int128)result;
        return ParseStatus.Ok;
    }

    /// <summary>Flink's string → BOOLEAN: true/t/yes/y/1 and false/f/no/n/0, ignoring case and surrounding spaces.</summary>
    public static ParseStatus TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        var s = Trim(text);
        value = false;
        if (Ascii.EqualsIgnoreCase(s, "true"u8) || Ascii.EqualsIgnoreCase(s, "t"u8) || Ascii.EqualsIgnoreCase(s, "yes"u8)
            || Ascii.EqualsIgnoreCase(s, "y"u8) || s.SequenceEqual("1"u8))
        {
            value = true;
            return ParseStatus.Ok;
        }
        if (Ascii.EqualsIgnoreCase(s, "false"u8) || Ascii.EqualsIgnoreCase(s, "f"u8) || Ascii.EqualsIgnoreCase(s, "no"u8)
            || Ascii.EqualsIgnoreCase(s, "n"u8) || s.SequenceEqual("0"u8))
            return ParseStatus.Ok;
        return ParseStatus.Invalid;
    }

    public static string FormatDecimal(Int128 unscaled, int scale) => ValueConverter.DecimalToString(unscaled, scale);
}
