using System.Buffers;
using System.Buffers.Binary;

namespace Tarn.Server.PgWire;

/// <summary>
/// Reads length-prefixed frames from the socket through one buffer: a socket read takes whatever the client has sent
/// (a whole Parse/Bind/Describe/Execute/Sync pipeline, several COPY frames), and frames already in the buffer are
/// returned without touching the socket or an async state machine. A frame's length is validated against the current
/// limit before the buffer grows for it, so a hostile length cannot make the server allocate. A frame's body is valid
/// until the next read.
/// </summary>
internal sealed class PgFrameReader(Stream stream) : IDisposable
{
    private const int InitialBuffer = 8 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start; // first byte not yet returned
    private int _end; // end of the bytes read from the socket

    /// <summary>Bytes the client sent beyond the frames read so far (none may follow an SSLRequest: PostgreSQL refuses them too).</summary>
    public bool HasBufferedBytes => _end > _start;

    /// <summary>The untyped first frame (StartupMessage, SSLRequest...): int32 length including itself, then body.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadStartupAsync(CancellationToken cancellation)
    {
        if (!await FillAsync(4, cancellation)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        if (length < 8 || length > PgLimits.MaxPreAuthFrame) throw new PgProtocolException($"invalid startup frame length {length}");
        if (!await FillAsync(length, cancellation)) throw new PgProtocolException("connection closed in the middle of a frame");
        var body = _buffer.AsMemory(_start + 4, length - 4);
        _start += length;
        return body;
    }

    /// <summary>A typed frame: one type byte, int32 length including itself, body. Null at end of stream.</summary>
    public ValueTask<(byte Type, ReadOnlyMemory<byte> Body)?> ReadAsync(int limit, CancellationToken cancellation) =>
        TryTakeBuffered(limit, out var frame) ? new(frame) : ReadSlowAsync(limit, cancellation);

    private async ValueTask<(byte Type, ReadOnlyMemory<byte> Body)?> ReadSlowAsync(int limit, CancellationToken cancellation)
    {
        if (!await FillAsync(5, cancellation)) return null;
        var length = FrameLength(limit);
        if (!await FillAsync(1 + length, cancellation)) throw new PgProtocolException("connection closed in the middle of a frame");
        return Take(length);
    }

    /// <summary>The next frame when it is in the buffer already (header and body).</summary>
    private bool TryTakeBuffered(int limit, out (byte Type, ReadOnlyMemory<byte> Body)? frame)
    {
        frame = null;
        if (_end - _start < 5) return false;
        var length = FrameLength(limit);
        if (_end - _start < 1 + length) return false;
        frame = Take(length);
        return true;
    }

    private int FrameLength(int limit)
    {
        var type = _buffer[_start];
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
        if (length < 4 || length > limit) throw new PgProtocolException($"invalid frame length {length} for message '{(char)type}'");
        return length;
    }

    private (byte Type, ReadOnlyMemory<byte> Body) Take(int length)
    {
        var type = _buffer[_start];
        var body = _buffer.AsMemory(_start + 5, length - 4);
        _start += 1 + length;
        return (type, body);
    }

    /// <summary>
    /// Reads until at least <paramref name="count"/> unreturned bytes are buffered. False when the stream ends before
    /// any of them arrived; an end after some of them is a protocol error (a frame cut short).
    /// </summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellation)
    {
        if (_end - _start >= count) return true;
        MakeRoom(count);
        while (_end - _start < count)
        {
            var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation);
            if (n == 0)
            {
                if (_end == _start) return false;
                throw new PgProtocolException("connection closed in the middle of a frame");
            }
            _end += n;
        }
        return true;
    }

    /// <summary>Moves the unreturned bytes to the front, into a larger buffer when <paramref name="count"/> would not fit.</summary>
    private void MakeRoom(int count)
    {
        var pending = _end - _start;
        if (_buffer.Length - _start >= count && _buffer.Length - _end >= Math.Min(InitialBuffer, _buffer.Length / 4)) return;
        if (_buffer.Length < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(count);
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        _start = 0;
        _end = pending;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
