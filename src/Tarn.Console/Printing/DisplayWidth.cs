using System.Globalization;
using System.Text;

namespace Tarn.Console.Printing;

/// <summary>
/// Terminal columns a string occupies, so tables with CJK text or combining accents stay aligned: combining marks
/// take none, East Asian wide characters and most emoji take two.
/// </summary>
internal static class DisplayWidth
{
    public static int Of(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes()) width += Of(rune);
        return width;
    }

    public static int Of(Rune rune)
    {
        var v = rune.Value;
        if (v < 0x300) return v < 0x20 || v is >= 0x7F and < 0xA0 ? 0 : 1;
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return 0;
        return IsWide(v) ? 2 : 1;
    }

    private static bool IsWide(int v) =>
        v is >= 0x1100 and <= 0x115F
            or >= 0x2E80 and <= 0x303E
            or >= 0x3041 and <= 0x33FF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF
            or >= 0xA000 and <= 0xA4CF
            or >= 0xAC00 and <= 0xD7A3
            or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F
            or >= 0xFF00 and <= 0xFF60
            or >= 0xFFE0 and <= 0xFFE6
            or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF
            or >= 0x20000 and <= 0x3FFFD;

    /// <summary><paramref name="text"/> padded with spaces to <paramref name="width"/> columns, on the left or the right.</summary>
    public static string Pad(string text, int width, bool alignRight)
    {
        var missing = width - Of(text);
        if (missing <= 0) return text;
        return alignRight ? new string(' ', missing) + text : text + new string(' ', missing);
    }
}
