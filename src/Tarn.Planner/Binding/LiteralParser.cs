using System.Globalization;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>Parses the text of typed literals (DATE '...', TIMESTAMP '...', TIME '...') into physical values.</summary>
public static class LiteralParser
{
    public static bool TryParseDate(string text, out int days)
    {
        days = 0;
        if (!DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        days = ValueConverter.DateOnlyToDays(d);
        return true;
    }

    /// <summary>Seconds and fraction digits of "HH:mm[:ss[.fffffffff]]".</summary>
    private static bool TryParseTimeOfDay(string text, out long seconds, out long nanos)
    {
        seconds = 0;
        nanos = 0;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h > 23) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59) return false;
        var s = 0;
        if (parts.Length == 3)
        {
            var sec = parts[2];
            var dot = sec.IndexOf('.');
            var whole = dot >= 0 ? sec[..dot] : sec;
            if (!int.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out s) || s > 59) return false;
            if (dot >= 0)
            {
                var frac = sec[(dot + 1)..];
                if (frac.Length is 0 or > 9 || !frac.All(char.IsAsciiDigit)) return false;
                nanos = long.Parse(frac.PadRight(9, '0'), CultureInfo.InvariantCulture);
            }
        }
        seconds = h * 3600L + m * 60L + s;
        return true;
    }

    /// <summary>"yyyy-MM-dd[ HH:mm[:ss[.f...]]]" (also with 'T') to units of <paramref name="type"/> since the epoch.</summary>
    public static bool TryParseTimestamp(string text, DataType type, out long units)
    {
        units = 0;
        text = text.Trim();
        var sep = text.IndexOfAny([' ', 'T']);
        var datePart = sep < 0 ? text : text[..sep];
        if (!TryParseDate(datePart, out var days)) return false;
        long seconds = 0, nanos = 0;
        if (sep >= 0 && !TryParseTimeOfDay(text[(sep + 1)..].Trim(), out seconds, out nanos)) return false;
        var perSecond = type.TimeUnitsPerSecond;
        var fraction = perSecond == 1_000_000 ? nanos / 1000 : nanos;
        units = ValueConverter.TruncateToPrecision((days * 86400L + seconds) * perSecond + fraction, type);
        return true;
    }

    public static bool TryParseTime(string text, DataType type, out long units)
    {
        units = 0;
        if (!TryParseTimeOfDay(text.Trim(), out var seconds, out var nanos)) return false;
        var perSecond = type.TimeUnitsPerSecond;
        units = ValueConverter.TruncateToPrecision(seconds * perSecond + (perSecond == 1_000_000 ? nanos / 1000 : nanos), type);
        return true;
    }

    /// <summary>Precision (fraction digits) written in a time or timestamp literal, at least 0.</summary>
    public static int FractionDigits(string text)
    {
        var dot = text.LastIndexOf('.');
        var colon = text.LastIndexOf(':');
        return dot > colon && colon >= 0 ? text.Length - dot - 1 : 0;
    }

    /// <summary>Parses an exact decimal text into an unscaled integer at <paramref name="scale"/>.</summary>
    public static bool TryParseDecimal(string text, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        text = text.Trim();
        var negative = text.StartsWith('-');
        if (negative || text.StartsWith('+')) text = text[1..];
        var dot = text.IndexOf('.');
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        if (intPart.Length + fracPart.Length == 0 || !intPart.All(char.IsAsciiDigit) || !fracPart.All(char.IsAsciiDigit)) return false;
        if (fracPart.Length > scale)
        {
            // Round half away from zero on the first dropped digit.
            var roundUp = fracPart[scale] >= '5';
            fracPart = fracPart[..scale];
            if (!Int128.TryParse(intPart + fracPart.PadRight(scale, '0') is { Length: > 0 } s ? s : "0", NumberStyles.None, CultureInfo.InvariantCulture, out unscaled)) return false;
            if (roundUp) unscaled++;
        }
        else if (!Int128.TryParse((intPart + fracPart.PadRight(scale, '0')) is { Length: > 0 } s2 ? s2 : "0", NumberStyles.None, CultureInfo.InvariantCulture, out unscaled)) return false;
        if (negative) unscaled = -unscaled;
        return true;
    }
}
