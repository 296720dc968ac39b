using System.Globalization;

namespace Tarn.Catalog.Options;

/// <summary>
/// Flink's duration syntax for options (<c>'10 s'</c>, <c>'5 min'</c>, <c>'200ms'</c>, <c>'1d'</c>): a whole number and
/// a unit; a bare number is milliseconds. Table options (connectors, lookup caches) and session settings share it.
/// </summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        var unit = s[i..].Trim().ToLowerInvariant();
        if (!long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        double ms = unit switch
        {
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => number / 1e6,
            "us" or "µs" or "micro" or "micros" or "microsecond" or "microseconds" => number / 1e3,
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => number,
            "s" or "sec" or "secs" or "second" or "seconds" => number * 1e3,
            "m" or "min" or "mins" or "minute" or "minutes" => number * 60e3,
            "h" or "hour" or "hours" => number * 3600e3,
            "d" or "day" or "days" => number * 86400e3,
            _ => -1,
        };
        if (ms < 0 || ms > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
