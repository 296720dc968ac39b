using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>csv</c> format for one message: a single record whose fields are the columns in declaration order,
/// with the same options as the filesystem connector's CSV files (<see cref="CsvFormatOptions"/>). A record with the
/// wrong number of fields is malformed; an empty unquoted field is NULL except for string columns.
/// </summary>
internal sealed class CsvRowDecoder : IRowDecoder
{
    private readonly CsvFormatOptions _options;
    private readonly IReadOnlyList<string> _names;
    private readonly CsvColumnBuilder?[] _builders;
    private readonly int[] _start;
    private readonly int[] _end;
    private readonly bool[] _quoted;
    private byte[] _scratch = new byte[256];

    public CsvRowDecoder(FormatOptions options, IReadOnlyList<string> names, CsvColumnBuilder?[] builders)
    {
        var prefixed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Options) prefixed["csv." + key] = value;
        try
        {
            _options = CsvFormatOptions.From(prefixed);
        }
        catch (TarnException e)
        {
            throw new TarnException(e.SqlState, $"{options.Owner}: {e.Message}");
        }
        _names = names;
        _builders = builders;
        _start = new int[names.Count];
        _end = new int[names.Count];
        _quoted = new bool[names.Count];
    }

    public bool ProducesChanges => false;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        var end = message.Length;
        while (end > 0 && (message[end - 1] == (byte)'\n' || message[end - 1] == (byte)'\r')) end--;
        if (end == 0 && _names.Count > 1) return Malformed($"an empty record has 1 field, expected {_names.Count}");
        var fields = 0;
        var pos = 0;
        var delimiter = _options.FieldDelimiter;
        while (true)
        {
            int fieldStart, fieldEnd;
            var quoted = false;
            if (_options.QuoteCharacter is { } q && pos < end && message[pos] == q)
            {
                quoted = true;
                var close = ClosingQuote(message, pos + 1, end, q);
                if (close < 0) return Malformed("unterminated quoted field");
                fieldStart = pos + 1;
                fieldEnd = close;
                pos = close + 1;
                if (pos < end && message[pos] != delimiter) return Malformed($"text after the closing quote of field {fields + 1}");
            }
            else
            {
                var at = message[pos..end].IndexOf(delimiter);
                fieldStart = pos;
                pos = at < 0 ? end : pos + at;
                fieldEnd = pos;
            }
            if (fields < _names.Count)
            {
                _start[fields] = fieldStart;
                _end[fields] = fieldEnd;
                _quoted[fields] = quoted;
            }
            fields++;
            if (pos >= end) break;
            pos++; // past the delimiter
        }
        return fields == _names.Count ? 1 : Malformed($"expected {_names.Count} fields, found {fields}");
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        for (var f = 0; f < _builders.Length; f++)
        {
            var builder = _builders[f];
            if (builder is null) continue;
            var text = message[_start[f].._end[f]];
            if (_quoted[f]) text = Unquote(text);
            else if (_options.NullLiteral is { } nullLiteral && text.SequenceEqual(nullLiteral)) { builder.AppendNull(); continue; }
            else if (text.IsEmpty && !builder.Type.IsString) { builder.AppendNull(); continue; }
            if (builder.TryAppend(text)) continue;
            if (_options.IgnoreParseErrors) { builder.AppendNull(); continue; }
            var shown = System.Text.Encoding.UTF8.GetString(text.Length > 100 ? text[..100] : text);
            throw new RowDecodeException($"field '{_names[f]}': '{shown}' is not a valid {builder.Type.WithNullable(true).ToSql()}");
        }
        return RowKind.Insert;
    }

    private int Malformed(string reason) => _options.IgnoreParseErrors ? -1 : throw new RowDecodeException($"malformed CSV record: {reason}");

    private int ClosingQuote(ReadOnlySpan<byte> s, int pos, int end, byte quote)
    {
        var escape = _options.EscapeCharacter;
        while (pos < end)
        {
            var c = s[pos];
            if (escape is { } e && c == e) { pos += 2; continue; }
            if (c == quote)
            {
                if (pos + 1 < end && s[pos + 1] == quote) { pos += 2; continue; }
                return pos;
            }
            pos++;
        }
        return -1;
    }

    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> text) => CsvUnquote.Apply(text, _options, ref _scratch);
}
