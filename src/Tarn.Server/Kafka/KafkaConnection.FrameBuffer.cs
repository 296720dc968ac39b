using System.Buffers;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>First buffer of a frame; it grows (doubling) only as bytes actually arrive.</summary>
    private const int InitialFrameBytes = 64 << 10;

    /// <summary>
    /// Reads a frame of <paramref name="size"/> bytes into a pooled buffer (the caller returns it). The buffer grows with the
    /// bytes received, so a size prefix near MaxMessageBytes followed by silence costs 64 KiB, not the declared size.
    /// Returns null when the peer closes first.
    /// </summary>
    private async ValueTask<byte[]?> ReadFrameAsync(int size, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(size, InitialFrameBytes));
        var read = 0;
        try
        {
            while (read < size)
            {
                if (read == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, 2L * buffer.Length));
                    buffer.AsSpan(0, read).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = await _stream.ReadAsync(buffer.AsMemory(read, Math.Min(size, buffer.Length) - read), cancellation).ConfigureAwait(false);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
                read += n;
            }
            return buffer;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
