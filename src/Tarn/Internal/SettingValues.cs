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

    public static bool TryParseDuration(string text, out TimeSpan duration) => Catalog.Options.DurationText.TryParse(text, out duration);

    private static bool Split(string text, out long number, out string unit)
    {
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        unit = s[i..].Trim().ToLowerInvariant();
        return long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
