using System.Buffers;
using System.Buffers.Binary;

namespace Tarn.Server.PgWire;

/// <summary>
/// Reads length-prefixed frames from the socket. The length is validated against the current limit before a buffer
/// is rented, so a hostile length cannot make the server allocate.
/// </summary>
internal sealed class PgFrameReader(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
    private readonly byte[] _header = new byte[5]; // reused: a COPY sends a frame per few KB

    /// <summary>The untyped first frame (StartupMessage, SSLRequest...): int32 length including itself, then body.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadStartupAsync(CancellationToken cancellation)
    {
        var header = new byte[4];
        if (!await ReadExactAsync(header, cancellation)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 8 || length > PgLimits.MaxPreAuthFrame) throw new PgProtocolException($"invalid startup frame length {length}");
        return await ReadBodyAsync(length - 4, cancellation);
    }

    /// <summary>A typed frame: one type byte, int32 length including itself, body. Null at end of stream.</summary>
    public async ValueTask<(byte Type, ReadOnlyMemory<byte> Body)?> ReadAsync(int limit, CancellationToken cancellation)
    {
        if (!await ReadExactAsync(_header, cancellation)) return null;
        var type = _header[0];
        var length = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1));
        if (length < 4 || length > limit) throw new PgProtocolException($"invalid frame length {length} for message '{(char)type}'");
        var body = await ReadBodyAsync(length - 4, cancellation);
        if (body is null) return null;
        return (type, body.Value);
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(int size, CancellationToken cancellation)
    {
        if (_buffer.Length < size)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
        var memory = _buffer.AsMemory(0, size);
        if (!await ReadExactAsync(memory, cancellation)) return null;
        return memory;
    }

    private async ValueTask<bool> ReadExactAsync(Memory<byte> target, CancellationToken cancellation)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = await stream.ReadAsync(target[read..], cancellation);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new PgProtocolException("connection closed in the middle of a frame");
            }
            read += n;
        }
        return true;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
