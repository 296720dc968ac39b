using System.Runtime.CompilerServices;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reads one CSV file into column batches. Rows are first split into field boundaries over a byte buffer (so a row
/// cut by the end of the buffer is retried after refilling, without half-appended columns), then each needed field
/// is parsed straight into its column. Unneeded columns are only skipped over. A row with one empty field more than
/// the table has (a trailing delimiter, as in TPC-H's <c>.tbl</c> files) is read as if the delimiter were not there.
/// The per-row and per-field methods are compiled fully optimized at once: a load is one pass over the file, most of
/// which tier-0 code would otherwise parse.
/// </summary>
internal sealed class CsvBatchReader : IFileBatchReader
{
    private const int InitialBufferSize = 1 << 20;

    private readonly Stream _stream;
    private readonly string _file;
    private readonly CsvFormatOptions _options;
    private readonly IReadOnlyList<string> _fieldNames;
    private readonly int[] _outputOfField;
    private readonly CsvColumnBuilder[] _builders;
    private readonly int _fieldCount;
    private readonly int[] _fieldStart;
    private readonly int[] _fieldEnd;
    private readonly bool[] _fieldQuoted;
    private byte[] _buffer;
    private byte[] _scratch = new byte[256];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line = 1;
    private bool _extraFieldEmpty;

    /// <param name="fieldNames">The file's columns, in file order (the table's physical columns).</param>
    /// <param name="outputOfField">For each file column, its output position, or -1 when the query does not read it.</param>
    public CsvBatchReader(Stream stream, string file, CsvFormatOptions options, IReadOnlyList<string> fieldNames,
        int[] outputOfField, CsvColumnBuilder[] builders, int bufferSize = InitialBufferSize)
    {
        _buffer = new byte[Math.Max(bufferSize, 16)];
        _stream = stream;
        _file = file;
        _options = options;
        _fieldNames = fieldNames;
        _outputOfField = outputOfField;
        _builders = builders;
        _fieldCount = fieldNames.Count;
        _fieldStart = new int[_fieldCount];
        _fieldEnd = new int[_fieldCount];
        _fieldQuoted = new bool[_fieldCount];
    }

    /// <summary>Up to <paramref name="maxRows"/> rows, or null at the end of the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ColumnBatch? ReadBatch(int maxRows)
    {
        var rows = 0;
        while (rows < maxRows)
        {
            if (!TrySplitRow(out var rowEnd, out var next, out var fields, out var quoted))
            {
                if (_eof) break;
                Refill();
                continue;
            }
            var lineStart = _start;
            var line = _line;
            _line += 1 + (quoted ? _buffer.AsSpan(_start, rowEnd - _start).Count((byte)'\n') : 0);
            _start = next;
            if (rowEnd == lineStart || (_options.AllowComments && _buffer[lineStart] == (byte)'#')) continue; // blank or comment line
            // a trailing delimiter (TPC-H's .tbl files end every row with '|') leaves one empty field more
            if (fields != _fieldCount && !(fields == _fieldCount + 1 && _extraFieldEmpty))
            {
                if (_options.IgnoreParseErrors) continue;
                throw Error(line, 1, $"expected {_fieldCount} fields, found {fields}");
            }
            AppendRow(lineStart, line);
            rows++;
        }
        if (rows == 0) return null;
        var columns = new ColumnVector[_builders.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = _builders[i].Finish(maxRows);
        return new ColumnBatch(columns, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendRow(int lineStart, long line)
    {
        for (var f = 0; f < _fieldCount; f++)
        {
            var output = _outputOfField[f];
            if (output < 0) continue;
            var builder = _builders[output];
            ReadOnlySpan<byte> text = _buffer.AsSpan(_fieldStart[f], _fieldEnd[f] - _fieldStart[f]);
            if (_fieldQuoted[f]) text = Unquote(text);
            else if (_options.NullLiteral is { } nullLiteral && text.SequenceEqual(nullLiteral)) { builder.AppendNull(); continue; }
            else if (text.IsEmpty && !builder.Type.IsString) { builder.AppendNull(); continue; }
            if (builder.TryAppend(text)) continue;
            if (_options.IgnoreParseErrors) { builder.AppendNull(); continue; }
            var shown = System.Text.Encoding.UTF8.GetString(text.Length > 100 ? text[..100] : text);
            throw Error(line, _fieldStart[f] - lineStart + 1,
                $"invalid value '{shown}' for column {_fieldNames[f]} {builder.Type.WithNullable(true).ToSql()}");
        }
    }

    /// <summary>
    /// Finds the fields of the row at <c>_start</c>. False when the row is not complete in the buffer (and the file
    /// has more). <paramref name="rowEnd"/> excludes the line break, <paramref name="next"/> is the next row's start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TrySplitRow(out int rowEnd, out int next, out int fields, out bool anyQuoted)
    {
        rowEnd = next = fields = 0;
        anyQuoted = false;
        var buffer = _buffer;
        var pos = _start;
        var end = _end;
        if (pos >= end) return false;
        var delimiter = _options.FieldDelimiter;
        var quote = _options.QuoteCharacter;
        while (true)
        {
            var fieldStart = pos;
            var quotedField = false;
            int fieldEnd;
            if (quote is { } q && pos < end && buffer[pos] == q)
            {
                quotedField = anyQuoted = true;
                var close = FindClosingQuote(pos + 1, q);
                if (close < 0)
                {
                    if (!_eof) return false;
                    throw Error(_line, pos - _start + 1, "unterminated quoted field");
                }
                fieldStart = pos + 1;
                fieldEnd = close;
                pos = close + 1;
                // after the closing quote: a delimiter, a line break or the end
                var rest = buffer.AsSpan(pos, end - pos);
                var skip = rest.IndexOfAny(delimiter, (byte)'\n');
                if (skip < 0) { if (!_eof) return false; pos = end; }
                else pos += skip;
            }
            else
            {
                var rest = buffer.AsSpan(pos, end - pos);
                var at = rest.IndexOfAny(delimiter, (byte)'\n');
                if (at < 0)
                {
                    if (!_eof) return false;
                    pos = end;
                }
                else pos += at;
                fieldEnd = pos;
            }
            var lastField = pos >= end || buffer[pos] == (byte)'\n';
            if (lastField && !quotedField && fieldEnd > fieldStart && buffer[fieldEnd - 1] == (byte)'\r') fieldEnd--;
            if (fields < _fieldCount)
            {
                _fieldStart[fields] = fieldStart;
                _fieldEnd[fields] = fieldEnd;
                _fieldQuoted[fields] = quotedField;
            }
            else _extraFieldEmpty = fieldEnd == fieldStart && !quotedField;
            fields++;
            if (lastField)
            {
                rowEnd = pos;
                next = pos < end ? pos + 1 : pos;
                if (fields == 1 && fieldEnd == fieldStart && !quotedField) rowEnd = _start; // an empty line
                return true;
            }
            pos++; // past the delimiter
        }
    }

    private int FindClosingQuote(int pos, byte quote)
    {
        var escape = _options.EscapeCharacter;
        while (pos < _end)
        {
            var c = _buffer[pos];
            if (escape is { } e && c == e) { pos += 2; continue; }
            if (c == quote)
            {
                if (pos + 1 < _end && _buffer[pos + 1] == quote) { pos += 2; continue; } // "" inside quotes
                if (pos + 1 >= _end && !_eof) return -1; // cannot tell "" from the end of the field yet
                return pos;
            }
            pos++;
        }
        return -1;
    }

    /// <summary>The text of a quoted field without its doubled quotes and escapes (copied into a scratch buffer).</summary>
    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> text) => CsvUnquote.Apply(text, _options, ref _scratch);

    /// <summary>Moves the unread bytes to the front (growing the buffer for a row longer than it) and reads more.</summary>
    private void Refill()
    {
        var unread = _end - _start;
        if (_start == 0 && unread == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        else if (unread > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        var firstRead = _line == 1 && unread == 0;
        while (_end < _buffer.Length)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) { _eof = true; break; }
            _end += n;
        }
        if (firstRead && _end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) _start = 3; // UTF-8 byte order mark
    }

    private TarnException Error(long line, long column, string message) =>
        new(SqlStates.InvalidTextRepresentation, $"{_file}:{line}:{column}: {message}") { FilePath = _file };

    public void Dispose() => _stream.Dispose();
}
