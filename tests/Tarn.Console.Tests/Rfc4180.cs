using System.Text;

namespace Tarn.Console.Tests;

/// <summary>
/// A tiny, strict RFC 4180 reader for checking the console's CSV: records end with LF, a quoted field may hold
/// anything (quotes doubled), an unquoted empty field reads as null (NULL), a quoted empty field as "".
/// </summary>
internal static class Rfc4180
{
    public static List<string?[]> Parse(string text)
    {
        var records = new List<string?[]>();
        var fields = new List<string?>();
        var i = 0;
        while (i < text.Length)
        {
            string? field;
            if (text[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException("unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                field = sb.ToString();
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != ',' && text[i] != '\n')
                {
                    if (text[i] is '"' or '\r') throw new FormatException($"bare {(int)text[i]} in unquoted field at {i}");
                    i++;
                }
                field = i == start ? null : text[start..i];
            }
            fields.Add(field);
            if (i >= text.Length) throw new FormatException("record not terminated by LF");
            if (text[i] == ',') { i++; continue; }
            if (text[i] != '\n') throw new FormatException($"unexpected character after field at {i}");
            i++;
            records.Add([.. fields]);
            fields.Clear();
        }
        return records;
    }
}
