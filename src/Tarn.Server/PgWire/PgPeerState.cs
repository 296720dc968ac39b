using System.Net.Sockets;

namespace Tarn.Server.PgWire;

/// <summary>
/// Whether the peer of a socket is gone although unread bytes still wait in it (a client that pipelined messages and
/// then closed, was reset, or died and was timed out by TCP keepalive): the socket holds an error (reset, keepalive
/// timeout), or on Linux its TCP state shows the peer's FIN (CLOSE_WAIT and later). Reading the bytes is not needed.
/// </summary>
internal static class PgPeerState
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11; // getsockopt(IPPROTO_TCP, TCP_INFO): struct tcp_info, tcpi_state first
    private const byte TcpTimeWait = 6, TcpClose = 7, TcpCloseWait = 8, TcpLastAck = 9, TcpClosing = 11;

    public static bool ClosedByPeer(Socket socket)
    {
        if ((int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! != 0) return true;
        if (!OperatingSystem.IsLinux()) return false;
        Span<byte> info = stackalloc byte[8];
        try
        {
            if (socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) < 1) return false;
        }
        catch (SocketException)
        {
            return false;
        }
        return info[0] is TcpTimeWait or TcpClose or TcpCloseWait or TcpLastAck or TcpClosing;
    }
}
