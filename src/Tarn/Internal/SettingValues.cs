using System.Globalization;

namespace Tarn.Internal;

/// <summary>
/// Parses option values written the Flink way: memory sizes (<c>'256mb'</c>, <c>'1 gb'</c>, <c>'4096'</c> = bytes;
/// units b, k/kb, m/mb, g/gb, t/tb, all powers of 1024) and durations (<c>'10 s'</c>, <c>'500 ms'</c>, <c>'2 min'</c>,
/// <c>'1500'</c> = milliseconds; units ns, us, ms, s/sec, min/m, h, d, singular or plural words too).
/// </summary>
internal static class SettingValues
{
    public static bool TryParseMemorySize(string text, out long bytes)
    {
        bytes = 0;
        if (!Split(text, out var number, out var unit)) return false;
        long scale = unit switch
        {
            "" or "b" or "bytes" => 1,
            "k" or "kb" or "kib" or "kibibytes" => 1L << 10,
            "m" or "mb" or "mib" or "mebibytes" => 1L << 20,
            "g" or "gb" or "gib" or "gibibytes" => 1L << 30,
            "t" or "tb" or "tib" or "tebibytes" => 1L << 40,
            _ => 0,
        };
        if (scale == 0 || number > long.MaxValue / scale) return false;
        bytes = number * scale;
        return true;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Split(text, out var number, out var unit)) return false;
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

    private static bool Split(string text, out long number, out string unit)
    {
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        unit = s[i..].Trim().ToLowerInvariant();
        return long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
