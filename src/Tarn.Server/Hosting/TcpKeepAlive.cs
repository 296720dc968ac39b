using System.Net.Sockets;

namespace Tarn.Server.Hosting;

/// <summary>
/// TCP keepalive on accepted sockets (PostgreSQL's tcp_keepalives_idle/interval/count): a client whose machine died or
/// whose network vanished sends no FIN, so without probes a connection waiting on it (a SUBSCRIBE, a FETCH without
/// timeout) would wait forever. After <see cref="ServerOptions.TcpKeepAliveIdle"/> of silence the kernel probes every
/// <see cref="ServerOptions.TcpKeepAliveInterval"/> and resets the connection after <see cref="ServerOptions.TcpKeepAliveCount"/>
/// unanswered probes; the socket then reports the error and the connection ends.
/// </summary>
internal static class TcpKeepAlive
{
    public static void Apply(Socket socket, ServerOptions options)
    {
        if (!options.TcpKeepAlive) return;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, Seconds(options.TcpKeepAliveIdle));
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Seconds(options.TcpKeepAliveInterval));
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, Math.Max(1, options.TcpKeepAliveCount));
        }
        catch (Exception e) when (e is SocketException or PlatformNotSupportedException or ObjectDisposedException)
        {
            // A platform without the per-socket settings keeps the system's; a socket already closed needs none.
        }
    }

    private static int Seconds(TimeSpan value) => (int)Math.Clamp(Math.Ceiling(value.TotalSeconds), 1, int.MaxValue);
}
