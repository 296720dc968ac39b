using System.Buffers;

namespace Tarn.Server.PgWire;

/// <summary>
/// COPY's csv format: fields split by the delimiter (comma), quoted with QUOTE (") where they hold delimiters,
/// quotes or newlines (a quoted field may span lines), a quote inside quotes written as ESCAPE+QUOTE (""), and an
/// UNQUOTED field equal to the NULL string (empty by default) for NULL, so <c>""</c> is an empty string.
/// </summary>
internal sealed class PgCopyCsvDecoder : PgCopyDecoder
{
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly byte _escape;
    private readonly byte[] _null;
    private readonly SearchValues<byte> _unquotedStops;
    private readonly SearchValues<byte> _quotedStops;
    private bool _skipHeader;
    private int[] _fieldStarts = new int[16];
    private int[] _fieldEnds = new int[16];
    private bool[] _fieldQuoted = new bool[16];
    private byte[] _scratch = new byte[256];

    public PgCopyCsvDecoder(PgCopyCommand command, PgCopyTarget target, int maxRowBytes) : base(target, maxRowBytes)
    {
        _delimiter = command.Delimiter;
        _quote = command.Quote;
        _escape = command.Escape;
        _null = command.Null;
        _skipHeader = command.Header;
        _unquotedStops = SearchValues.Create([_delimiter, _quote, (byte)'\n', (byte)'\r']);
        _quotedStops = SearchValues.Create(_quote == _escape ? [_quote] : [_quote, _escape]);
    }

    protected override int DecodeRows(ReadOnlySpan<byte> data, bool final)
    {
        var used = 0;
        while (used < data.Length && !Done)
        {
            var consumed = SplitRow(data[used..], final, out var fields);
            if (consumed == 0) break;
            var row = data[used..];
            used += consumed;
            Line++;
            if (fields == 1 && !_fieldQuoted[0] && row[_fieldStarts[0].._fieldEnds[0]].SequenceEqual("\\."u8)) { Done = true; break; }
            if (_skipHeader) { _skipHeader = false; continue; }
            DecodeRow(row, fields);
        }
        return Done ? data.Length : used;
    }

    /// <summary>
    /// Finds the fields of the first row of <paramref name="data"/> (positions relative to it); returns the bytes of the
    /// row with its line end, or 0 when the row is not complete yet.
    /// </summary>
    private int SplitRow(ReadOnlySpan<byte> data, bool final, out int fields)
    {
        fields = 0;
        var p = 0;
        var fieldStart = 0;
        var quoted = false;
        var inQuotes = false;
        while (true)
        {
            if (inQuotes)
            {
                var k = data[p..].IndexOfAny(_quotedStops);
                if (k < 0)
                {
                    if (final) throw PgCopyErrors.BadFormat("unterminated CSV quoted field");
                    return 0;
                }
                p += k;
                if (p + 1 >= data.Length && !final) return 0; // is it "" (an escaped quote) or the closing quote? wait for the next byte
                var next = p + 1 < data.Length ? data[p + 1] : (byte)0;
                if (data[p] == _escape && p + 1 < data.Length && (next == _quote || (next == _escape && _escape != _quote)))
                {
                    p += 2;
                    continue;
                }
                if (data[p] == _quote) inQuotes = false;
                p++;
                continue;
            }
            var s = data[p..].IndexOfAny(_unquotedStops);
            if (s < 0)
            {
                if (!final) return 0;
                AddField(ref fields, fieldStart, data.Length, quoted);
                return data.Length;
            }
            p += s;
            var b = data[p];
            if (b == _quote)
            {
                inQuotes = true;
                quoted = true;
                p++;
                continue;
            }
            if (b == _delimiter)
            {
                AddField(ref fields, fieldStart, p, quoted);
                quoted = false;
                fieldStart = ++p;
                continue;
            }
            // A line end: \n, \r or \r\n.
            if (b == '\r' && p + 1 >= data.Length && !final) return 0;
            AddField(ref fields, fieldStart, p, quoted);
            return b == '\r' && p + 1 < data.Length && data[p + 1] == '\n' ? p + 2 : p + 1;
        }
    }

    private void AddField(ref int fields, int start, int end, bool quoted)
    {
        if (fields == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, fields * 2);
            Array.Resize(ref _fieldEnds, fields * 2);
            Array.Resize(ref _fieldQuoted, fields * 2);
        }
        _fieldStarts[fields] = start;
        _fieldEnds[fields] = end;
        _fieldQuoted[fields] = quoted;
        fields++;
    }

    private void DecodeRow(ReadOnlySpan<byte> row, int fields)
    {
        var columns = Target.Columns;
        if (fields > columns.Length) { Field = -1; throw PgCopyErrors.BadFormat("extra data after last expected column"); }
        for (var f = 0; f < fields; f++)
        {
            Field = f;
            var raw = row[_fieldStarts[f].._fieldEnds[f]];
            var column = columns[f];
            if (!_fieldQuoted[f])
            {
                if (raw.SequenceEqual(_null)) Target.AppendNull(column);
                else PgCopyTextValues.Append(column, raw);
            }
            else
            {
                PgCopyTextValues.Append(column, Unquote(raw));
            }
        }
        Field = -1;
        if (fields < columns.Length) throw PgCopyErrors.BadFormat($"missing data for column \"{columns[fields].Name}\"");
        Target.EndRow();
        Rows++;
    }

    /// <summary>The value of a field with quotes: quoted stretches lose their quotes and escapes, unquoted ones stay.</summary>
    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> raw)
    {
        if (_scratch.Length < raw.Length) _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
        var n = 0;
        var inQuotes = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (inQuotes)
            {
                if (b == _escape && i + 1 < raw.Length && (raw[i + 1] == _quote || (raw[i + 1] == _escape && _escape != _quote)))
                {
                    _scratch[n++] = raw[++i];
                    continue;
                }
                if (b == _quote) { inQuotes = false; continue; }
                _scratch[n++] = b;
                continue;
            }
            if (b == _quote) { inQuotes = true; continue; }
            _scratch[n++] = b;
        }
        return _scratch.AsSpan(0, n);
    }
}
