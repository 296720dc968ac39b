namespace Tarn.Connectors.FileSystem;

/// <summary>The text of a quoted CSV field without its doubled quotes and escapes; shared by the file reader and the message decoder.</summary>
internal static class CsvUnquote
{
    /// <summary>
    /// <paramref name="text"/> itself when it holds no quote or escape character, else the unquoted bytes copied into
    /// <paramref name="scratch"/> (grown as needed).
    /// </summary>
    public static ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> text, CsvFormatOptions options, ref byte[] scratch)
    {
        var quote = options.QuoteCharacter!.Value;
        var escape = options.EscapeCharacter;
        if (text.IndexOf(quote) < 0 && (escape is null || text.IndexOf(escape.Value) < 0)) return text;
        if (scratch.Length < text.Length) scratch = new byte[Math.Max(text.Length, scratch.Length * 2)];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == quote || (escape is { } e && c == e)) && i + 1 < text.Length) c = text[++i];
            scratch[n++] = c;
        }
        return scratch.AsSpan(0, n);
    }
}
