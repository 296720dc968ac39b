using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// Writes the rows of COPY TO STDOUT, one CopyData message per row (as PostgreSQL sends them; the connection flushes
/// many at a time): text with backslash escapes, csv with quoting where needed, or binary in the send formats.
/// </summary>
internal sealed class PgCopyEncoder
{
    private readonly PgCopyCommand _command;
    private readonly int[] _oids;
    private readonly bool[] _forceQuote;
    private bool _binaryHeaderPending;

    public PgCopyEncoder(PgCopyCommand command, IReadOnlyList<TarnColumn> columns)
    {
        _command = command;
        _oids = new int[columns.Count];
        _forceQuote = new bool[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            _oids[c] = PgTypeOids.For(columns[c].Type);
            _forceQuote[c] = command.ForceQuote is { } force && (force.Count == 0 || force.Any(n => string.Equals(n, columns[c].Name, StringComparison.OrdinalIgnoreCase)));
        }
    }

    public int ColumnCount => _oids.Length;

    /// <summary>The binary signature and header, or the header line of text/csv (when HEADER is on).</summary>
    public void WriteHeader(PgMessageWriter w, IReadOnlyList<TarnColumn> columns)
    {
        if (_command.Format == PgCopyFormat.Binary)
        {
            // PostgreSQL sends the header in the CopyData of the first row (or of the trailer), and Npgsql's exporter relies on it.
            _binaryHeaderPending = true;
            return;
        }
        if (!_command.Header) return;
        w.Begin((byte)'d');
        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0) w.WriteByte(_command.Delimiter);
            WriteTextValue(w, columns[c].Name, c);
        }
        w.WriteByte((byte)'\n');
        w.End();
    }

    public void WriteRow(PgMessageWriter w, Tarn.Vectors.ColumnBatch batch, int row)
    {
        w.Begin((byte)'d');
        if (_command.Format == PgCopyFormat.Binary)
        {
            WritePendingHeader(w);
            w.WriteInt16((short)_oids.Length);
            for (var c = 0; c < _oids.Length; c++)
            {
                var value = batch.Columns[c].GetValue(row);
                if (value is null) { w.WriteInt32(-1); continue; }
                var at = w.ReserveInt32();
                PgValueEncoder.WriteBinary(w, _oids[c], value);
                w.PatchInt32(at, w.Position - at - 4);
            }
        }
        else
        {
            for (var c = 0; c < _oids.Length; c++)
            {
                if (c > 0) w.WriteByte(_command.Delimiter);
                var value = batch.Columns[c].GetValue(row);
                if (value is null) w.WriteBytes(_command.Null);
                else WriteTextValue(w, PgValueEncoder.FormatText(_oids[c], value), c);
            }
            w.WriteByte((byte)'\n');
        }
        w.End();
    }

    public void WriteTrailer(PgMessageWriter w)
    {
        if (_command.Format != PgCopyFormat.Binary) return;
        w.Begin((byte)'d');
        WritePendingHeader(w);
        w.WriteInt16(-1);
        w.End();
    }

    private void WritePendingHeader(PgMessageWriter w)
    {
        if (!_binaryHeaderPending) return;
        _binaryHeaderPending = false;
        w.WriteBytes(PgCopyBinaryDecoder.Signature);
        w.WriteInt32(0); // flags
        w.WriteInt32(0); // header extension length
    }

    private void WriteTextValue(PgMessageWriter w, string text, int column)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_command.Format == PgCopyFormat.Csv) WriteCsv(w, bytes, column);
        else WriteEscaped(w, bytes);
    }

    private void WriteEscaped(PgMessageWriter w, byte[] bytes)
    {
        var delimiter = _command.Delimiter;
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            byte escape = b switch
            {
                (byte)'\\' => (byte)'\\',
                (byte)'\n' => (byte)'n',
                (byte)'\r' => (byte)'r',
                (byte)'\t' => (byte)'t',
                8 => (byte)'b',
                12 => (byte)'f',
                11 => (byte)'v',
                _ => b == delimiter ? b : (byte)0,
            };
            if (escape == 0) continue;
            w.WriteBytes(bytes.AsSpan(start, i - start));
            w.WriteByte((byte)'\\');
            w.WriteByte(escape);
            start = i + 1;
        }
        w.WriteBytes(bytes.AsSpan(start));
    }

    private void WriteCsv(PgMessageWriter w, byte[] bytes, int column)
    {
        var quote = _command.Quote;
        var escape = _command.Escape;
        var needsQuotes = _forceQuote[column] || bytes.AsSpan().SequenceEqual(_command.Null)
            || bytes.AsSpan().IndexOfAny(_command.Delimiter, quote, (byte)'\n') >= 0 || bytes.AsSpan().IndexOf((byte)'\r') >= 0
            || (bytes.Length == 2 && bytes[0] == '\\' && bytes[1] == '.');
        if (!needsQuotes)
        {
            w.WriteBytes(bytes);
            return;
        }
        w.WriteByte(quote);
        foreach (var b in bytes)
        {
            if (b == quote || b == escape) w.WriteByte(escape);
            w.WriteByte(b);
        }
        w.WriteByte(quote);
    }
}
