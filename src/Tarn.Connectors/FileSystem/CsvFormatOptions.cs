namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Flink's <c>csv</c> format options (<c>csv.field-delimiter</c>, <c>csv.quote-character</c>,
/// <c>csv.disable-quote-character</c>, <c>csv.allow-comments</c>, <c>csv.ignore-parse-errors</c>,
/// <c>csv.null-literal</c>, <c>csv.escape-character</c>). Delimiters are single ASCII characters.
/// </summary>
public sealed record CsvFormatOptions(
    byte FieldDelimiter,
    byte? QuoteCharacter,
    byte? EscapeCharacter,
    bool AllowComments,
    bool IgnoreParseErrors,
    byte[]? NullLiteral)
{
    public static readonly CsvFormatOptions Default = new((byte)',', (byte)'"', null, false, false, null);

    public static CsvFormatOptions From(IReadOnlyDictionary<string, string> options)
    {
        var o = Default;
        foreach (var (key, value) in options)
        {
            switch (key)
            {
                case "csv.field-delimiter": o = o with { FieldDelimiter = SingleCharacter(key, value) }; break;
                case "csv.quote-character": o = o with { QuoteCharacter = SingleCharacter(key, value) }; break;
                case "csv.escape-character": o = o with { EscapeCharacter = SingleCharacter(key, value) }; break;
                case "csv.disable-quote-character": if (Flag(key, value)) o = o with { QuoteCharacter = null }; break;
                case "csv.allow-comments": o = o with { AllowComments = Flag(key, value) }; break;
                case "csv.ignore-parse-errors": o = o with { IgnoreParseErrors = Flag(key, value) }; break;
                case "csv.null-literal": o = o with { NullLiteral = System.Text.Encoding.UTF8.GetBytes(value) }; break;
                case "csv.array-element-delimiter" or "csv.write-bigdecimal-in-scientific-notation": break; // no arrays; decimals are always plain
                default:
                    if (key.StartsWith("csv.", StringComparison.Ordinal))
                        throw new TarnException(SqlStates.InvalidParameterValue, $"unknown csv format option '{key}'");
                    break;
            }
        }
        if (o.FieldDelimiter is (byte)'\n' or (byte)'\r' || o.FieldDelimiter == o.QuoteCharacter)
            throw new TarnException(SqlStates.InvalidParameterValue, "'csv.field-delimiter' must differ from line breaks and the quote character");
        return o;
    }

    private static byte SingleCharacter(string key, string value)
    {
        var v = value switch { "\\t" => "\t", "\\n" => "\n", _ => value };
        if (v.Length != 1 || v[0] > 127)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a single ASCII character, got '{value}'");
        return (byte)v[0];
    }

    private static bool Flag(string key, string value) =>
        bool.TryParse(value, out var b) ? b : throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be 'true' or 'false', got '{value}'");
}
