using System.Text;

namespace Tarn.Console.Printing;

/// <summary>Display text for table cells: NULL spelled out, control characters made harmless, split into lines.</summary>
internal static class CellText
{
    public const string Null = "NULL";

    /// <summary>
    /// The lines of a cell. Newlines split the cell (EXPLAIN plans stay readable); tabs become a space and other
    /// control characters U+FFFD, so a value can neither break alignment nor send escape sequences to the terminal.
    /// </summary>
    public static string[] Lines(string? value)
    {
        if (value is null) return [Null];
        if (!NeedsCleaning(value)) return [value];
        var sb = new StringBuilder(value.Length);
        var lines = new List<string>();
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '\r' && i + 1 < value.Length && value[i + 1] == '\n') continue;
            if (ch is '\n' or '\r') { lines.Add(sb.ToString()); sb.Clear(); }
            else if (ch == '\t') sb.Append(' ');
            else if (char.IsControl(ch)) sb.Append('\uFFFD');
            else sb.Append(ch);
        }
        lines.Add(sb.ToString());
        return [.. lines];
    }

    private static bool NeedsCleaning(string value)
    {
        foreach (var ch in value)
            if (char.IsControl(ch)) return true;
        return false;
    }
}
