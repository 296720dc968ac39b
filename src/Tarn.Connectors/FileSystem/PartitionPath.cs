using System.Text;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Hive-style partition directories (<c>a=1/b=x</c>), as Flink's filesystem connector names them: values are their
/// CAST(x AS STRING) text with characters that are special in paths escaped as <c>%XX</c>; NULL is the table's
/// default partition name.
/// </summary>
internal static class PartitionPath
{
    /// <summary>The characters Hive's FileUtils.escapePathName escapes (plus control characters).</summary>
    private static bool NeedsEscape(char c) =>
        c < ' ' || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '\u007F' or '{' or '[' or ']' or '^';

    public static string Escape(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!NeedsEscape(c)) { sb?.Append(c); continue; }
            sb ??= new StringBuilder(value, 0, i, value.Length + 8);
            sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb?.ToString() ?? value;
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal)) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && int.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The values of <paramref name="keys"/> in the directories between <paramref name="root"/> and
    /// <paramref name="file"/> (null where a key's directory is missing; the default name is returned as is).
    /// </summary>
    public static string?[] ValuesOf(string root, string file, IReadOnlyList<string> keys)
    {
        var values = new string?[keys.Count];
        var relative = Path.GetRelativePath(root, Path.GetDirectoryName(file) ?? root);
        if (relative == ".") return values;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = Unescape(part[..eq]);
            for (var k = 0; k < keys.Count; k++)
                if (string.Equals(keys[k], name, StringComparison.OrdinalIgnoreCase)) values[k] = Unescape(part[(eq + 1)..]);
        }
        return values;
    }
}
