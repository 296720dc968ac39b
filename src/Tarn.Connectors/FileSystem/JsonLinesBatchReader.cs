using Tarn.Connectors.Formats;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reads a file of JSON lines (one object per line, Flink's <c>json</c> format in the filesystem connector) with the
/// Kafka source's <see cref="JsonRowDecoder"/>. Blank lines are skipped; a malformed line is skipped with
/// <c>json.ignore-parse-errors</c> and otherwise an error naming the file and line.
/// </summary>
internal sealed class JsonLinesBatchReader : IFileBatchReader
{
    private const int InitialBufferSize = 1 << 20;

    private readonly Stream _stream;
    private readonly string _file;
    private readonly JsonRowDecoder _decoder;
    private readonly CsvColumnBuilder[] _outputs;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;

    /// <param name="fieldBuilders">For each file column, the builder of its output column, or null when not read.</param>
    /// <param name="outputs">The builders in output order.</param>
    public JsonLinesBatchReader(Stream stream, string file, FormatOptions options, IReadOnlyList<string> fieldNames, CsvColumnBuilder?[] fieldBuilders, CsvColumnBuilder[] outputs)
    {
        _stream = stream;
        _file = file;
        _outputs = outputs;
        _decoder = new JsonRowDecoder(options, fieldNames, fieldBuilders);
    }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        var rows = 0;
        while (rows < maxRows)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Refill();
                continue;
            }
            if (newline < 0 && _start == _end) break;
            var length = newline < 0 ? _end - _start : newline;
            var line = _buffer.AsSpan(_start, length);
            _start += newline < 0 ? length : length + 1;
            _line++;
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (_line == 1 && line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..]; // UTF-8 byte order mark
            if (line.Trim((byte)' ').IsEmpty) continue;
            try
            {
                if (_decoder.Prepare(line, false) <= 0) continue;
                _decoder.AppendRow(line, 0);
            }
            catch (RowDecodeException e)
            {
                throw new TarnException(SqlStates.InvalidTextRepresentation, $"{_file}:{_line}: {e.Message}") { FilePath = _file };
            }
            rows++;
        }
        if (rows == 0) return null;
        var columns = new ColumnVector[_outputs.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = _outputs[i].Finish(maxRows);
        return new ColumnBatch(columns, rows);
    }

    /// <summary>Moves the unread bytes to the front (growing the buffer for a line longer than it) and reads more.</summary>
    private void Refill()
    {
        var unread = _end - _start;
        if (_start == 0 && unread == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        else if (unread > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        while (_end < _buffer.Length)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) { _eof = true; break; }
            _end += n;
        }
    }

    public void Dispose() => _stream.Dispose();
}
