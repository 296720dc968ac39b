using System.Text;

namespace Tarn.Console.Printing;

/// <summary>
/// RFC 4180 fields as <c>psql --csv</c> writes them: a field is quoted when it contains a comma, a double quote,
/// CR or LF (quotes inside doubled), and an empty string is written as <c>""</c> so it differs from NULL, which is
/// an empty unquoted field. Records end with LF.
/// </summary>
internal static class CsvFormat
{
    public static void AppendField(StringBuilder line, string? value)
    {
        if (value is null) return;
        if (value.Length > 0 && value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"');
        foreach (var ch in value)
        {
            if (ch == '"') line.Append('"');
            line.Append(ch);
        }
        line.Append('"');
    }

    public static string Record(IReadOnlyList<string?> fields)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) line.Append(',');
            AppendField(line, fields[i]);
        }
        return line.Append('\n').ToString();
    }
}
