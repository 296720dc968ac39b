using System.Globalization;

namespace Tarn.Server.PgWire;

/// <summary>
/// Turns the byte stream of COPY FROM STDIN (CopyData messages cut anywhere, even inside a row) into rows of the
/// target. Incoming bytes are appended to one buffer; every complete row is decoded straight into column vectors and
/// only an incomplete tail is kept for the next message. Errors carry the line (row) and column, as PostgreSQL's
/// "COPY t, line 3, column b" context does.
/// </summary>
internal abstract class PgCopyDecoder
{
    private readonly int _maxRowBytes;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    protected PgCopyDecoder(PgCopyTarget target, int maxRowBytes)
    {
        Target = target;
        _maxRowBytes = maxRowBytes;
    }

    public static PgCopyDecoder Create(PgCopyCommand command, PgCopyTarget target, int maxRowBytes) => command.Format switch
    {
        PgCopyFormat.Binary => new PgCopyBinaryDecoder(target, maxRowBytes),
        PgCopyFormat.Csv => new PgCopyCsvDecoder(command, target, maxRowBytes),
        _ => new PgCopyTextDecoder(command, target, maxRowBytes),
    };

    protected PgCopyTarget Target { get; }

    /// <summary>The 1-based line (text, csv) or tuple (binary) being decoded, for error messages.</summary>
    protected long Line { get; set; }

    /// <summary>The index of the field being decoded, -1 between fields.</summary>
    protected int Field { get; set; } = -1;

    /// <summary>The end-of-data marker (<c>\.</c> or the binary trailer) was seen: later bytes are ignored.</summary>
    protected bool Done { get; set; }

    /// <summary>Rows decoded.</summary>
    public long Rows { get; protected set; }

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (Done) return;
        Append(data);
        Decode(final: false);
    }

    /// <summary>CopyDone: the last row may lack its newline; anything left undecodable is a format error.</summary>
    public void Finish() => Decode(final: true);

    private void Decode(bool final)
    {
        try
        {
            var used = DecodeRows(_buffer.AsSpan(_start, _end - _start), final);
            _start += used;
            if (final && _start < _end && !Done) throw PgCopyErrors.BadFormat("unexpected EOF in COPY data");
            if (_start == _end) _start = _end = 0;
        }
        catch (TarnException e)
        {
            var column = Field >= 0 && Field < Target.Columns.Length ? $", column {Target.Columns[Field].Name}" : "";
            throw new TarnException(e.SqlState, $"{e.Message} (COPY {Target.TableName}, line {Line.ToString(CultureInfo.InvariantCulture)}{column})", e);
        }
    }

    /// <summary>Decodes the complete rows at the start of <paramref name="data"/>; returns the bytes consumed.</summary>
    protected abstract int DecodeRows(ReadOnlySpan<byte> data, bool final);

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _buffer.Length)
        {
            var pending = _end - _start;
            if (pending + data.Length > _maxRowBytes)
                throw new TarnException(SqlStates.ProgramLimitExceeded, $"a COPY row is longer than the server's message limit of {_maxRowBytes} bytes (COPY {Target.TableName}, line {Line + 1})");
            if (pending + data.Length <= _buffer.Length)
            {
                _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            }
            else
            {
                var grown = new byte[Math.Max(pending + data.Length, Math.Min(_maxRowBytes, _buffer.Length * 2))];
                _buffer.AsSpan(_start, pending).CopyTo(grown);
                _buffer = grown;
            }
            _start = 0;
            _end = pending;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }
}
