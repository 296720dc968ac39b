using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Tarn.Server.PgWire;

/// <summary>
/// The live connections of a listener: CancelRequests find their target here by process id, and MaxConnections
/// is enforced at accept time (a client past the limit hears FATAL 53300 after its startup message, then the close).
/// </summary>
public sealed partial class PgListener
{
    private readonly ConcurrentDictionary<int, PgConnection> _live = new();
    private int _open;

    /// <summary>Connections being served now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Takes a connection slot; false when MaxConnections are open already.</summary>
    private bool TryAdmit()
    {
        if (Interlocked.Increment(ref _open) <= Options.MaxConnections) return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    private void Register(int id, PgConnection connection) => _live[id] = connection;

    private void Release(int id)
    {
        _live.TryRemove(id, out _);
        Interlocked.Decrement(ref _open);
    }

    /// <summary>A CancelRequest: cancels the statement of connection <paramref name="processId"/> if the secret matches.</summary>
    internal void Cancel(int processId, int secret)
    {
        if (_live.TryGetValue(processId, out var connection)) connection.Cancel(secret);
    }

    /// <summary>
    /// Answers a client past the limit the way PostgreSQL does: read its startup message (a CancelRequest is still
    /// served, an SSLRequest answered 'N'), send FATAL 53300, close. Bounded by a short timeout.
    /// </summary>
    private async Task RefuseAsync(TcpClient client)
    {
        await Task.Yield();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new PgFrameReader(stream);
                var writer = new PgMessageWriter();
                while (true)
                {
                    var frame = await reader.ReadStartupAsync(timeout.Token);
                    if (frame is null || frame.Value.Length < 4) return;
                    var code = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Value.Span);
                    if (code is 80877103 or 80877104) { await stream.WriteAsync("N"u8.ToArray(), timeout.Token); continue; }
                    if (code == 80877102 && frame.Value.Length >= 12)
                    {
                        Cancel(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Value.Span[4..]),
                            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Value.Span[8..]));
                        return;
                    }
                    PgBackendMessages.ErrorResponse(writer, "FATAL", PgCopyErrors.TooManyConnections, $"sorry, too many clients already (the server allows {Options.MaxConnections} connections)");
                    await writer.FlushAsync(stream, timeout.Token);
                    client.Client.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or PgProtocolException)
            {
                // A refused client that misbehaves is simply closed.
            }
        }
    }
}
