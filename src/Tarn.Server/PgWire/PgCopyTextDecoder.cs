namespace Tarn.Server.PgWire;

/// <summary>
/// COPY's text format: one row per line, fields split by the delimiter (tab), backslash escapes (\t \n \\ \ooo \xhh
/// ...), <c>\N</c> (the NULL string, compared before de-escaping) for NULL, and <c>\.</c> alone on a line to end.
/// </summary>
internal sealed class PgCopyTextDecoder(PgCopyCommand command, PgCopyTarget target, int maxRowBytes) : PgCopyDecoder(target, maxRowBytes)
{
    private readonly byte _delimiter = command.Delimiter;
    private readonly byte[] _null = command.Null;
    private bool _skipHeader = command.Header;
    private byte[] _scratch = new byte[256];

    protected override int DecodeRows(ReadOnlySpan<byte> data, bool final)
    {
        var used = 0;
        while (used < data.Length && !Done)
        {
            var rest = data[used..];
            var newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line;
            if (newline < 0)
            {
                if (!final) break;
                line = rest;
                used = data.Length;
            }
            else
            {
                line = rest[..newline];
                used += newline + 1;
            }
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            Line++;
            if (line.Length == 2 && line[0] == '\\' && line[1] == '.') { Done = true; break; }
            if (_skipHeader) { _skipHeader = false; continue; }
            DecodeRow(line);
        }
        return Done ? data.Length : used;
    }

    private void DecodeRow(ReadOnlySpan<byte> line)
    {
        var columns = Target.Columns;
        var position = 0;
        var field = 0;
        while (true)
        {
            // The field ends at the first delimiter not escaped by a backslash.
            var end = position;
            var escaped = false;
            while (true)
            {
                var k = line[end..].IndexOfAny(_delimiter, (byte)'\\');
                if (k < 0) { end = line.Length; break; }
                end += k;
                if (line[end] == _delimiter) break;
                escaped = true;
                end = Math.Min(line.Length, end + 2);
            }
            if (field >= columns.Length) throw PgCopyErrors.BadFormat("extra data after last expected column");
            Field = field;
            var raw = line[position..end];
            var column = columns[field];
            if (raw.SequenceEqual(_null)) Target.AppendNull(column);
            else if (escaped) PgCopyTextValues.Append(column, Unescape(raw));
            else PgCopyTextValues.Append(column, raw);
            field++;
            if (end >= line.Length) break;
            position = end + 1;
        }
        Field = -1;
        if (field < columns.Length) throw PgCopyErrors.BadFormat($"missing data for column \"{columns[field].Name}\"");
        Target.EndRow();
        Rows++;
    }

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw)
    {
        if (_scratch.Length < raw.Length) _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != '\\' || i + 1 == raw.Length) { _scratch[n++] = b; continue; }
            var e = raw[++i];
            switch (e)
            {
                case (byte)'b': _scratch[n++] = 8; break;
                case (byte)'f': _scratch[n++] = 12; break;
                case (byte)'n': _scratch[n++] = 10; break;
                case (byte)'r': _scratch[n++] = 13; break;
                case (byte)'t': _scratch[n++] = 9; break;
                case (byte)'v': _scratch[n++] = 11; break;
                case >= (byte)'0' and <= (byte)'7':
                {
                    var value = e - '0';
                    for (var d = 0; d < 2 && i + 1 < raw.Length && raw[i + 1] is >= (byte)'0' and <= (byte)'7'; d++) value = value * 8 + (raw[++i] - '0');
                    _scratch[n++] = (byte)value;
                    break;
                }
                case (byte)'x' when i + 1 < raw.Length && Hex(raw[i + 1]) >= 0:
                {
                    var value = Hex(raw[++i]);
                    if (i + 1 < raw.Length && Hex(raw[i + 1]) >= 0) value = value * 16 + Hex(raw[++i]);
                    _scratch[n++] = (byte)value;
                    break;
                }
                default: _scratch[n++] = e; break;
            }
        }
        return _scratch.AsSpan(0, n);
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
