using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// A SUBSCRIBE or FETCH waiting for changes ends when its client is gone, even when the client pipelined messages the
/// server has not read yet (no Terminate among them): closed (FIN) or reset (RST). TCP keepalive is set on accepted sockets.
/// </summary>
public sealed class PgPeerGoneTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_subscription_ends_when_its_client_closes_with_messages_unread(bool reset)
    {
        await using var server = new PgServerFixture();
        await server.Server.Database.ExecuteAsync("CREATE TABLE t (id INT)");
        using var client = await ConnectAsync(server.Port);
        // SUBSCRIBE, then a pipelined query the server reads only once the subscription is over.
        await client.GetStream().WriteAsync(Concat(Query("SUBSCRIBE t"), Query("SELECT 1")));
        Assert.Equal((byte)'H', await ReadTypeAsync(client)); // the COPY stream has started and now waits for changes
        Close(client, reset);
        await WaitUntilClosedAsync(server);
    }

    [Fact]
    public async Task A_fetch_without_timeout_ends_when_its_client_closes_with_messages_unread()
    {
        await using var server = new PgServerFixture();
        await server.Server.Database.ExecuteAsync("CREATE TABLE t (id INT)");
        using var client = await ConnectAsync(server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Query("DECLARE c CURSOR WITH HOLD FOR SUBSCRIBE t"));
        while (await ReadTypeAsync(client) != (byte)'Z') { }
        await stream.WriteAsync(Concat(Query("FETCH 1 c"), Query("SELECT 1")));
        await Task.Delay(100); // not a timing assertion: only lets the FETCH start waiting before the client leaves
        Close(client, reset: false);
        await WaitUntilClosedAsync(server);
    }

    [Fact]
    public void Keepalive_is_set_on_sockets_as_configured()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        TcpKeepAlive.Apply(socket, new ServerOptions { TcpKeepAliveIdle = TimeSpan.FromSeconds(42), TcpKeepAliveInterval = TimeSpan.FromSeconds(7), TcpKeepAliveCount = 3 });
        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(42, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(7, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(3, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);

        using var off = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        TcpKeepAlive.Apply(off, new ServerSettings { TcpKeepAliveIdle = TimeSpan.Zero }.ToOptions());
        Assert.Equal(0, (int)off.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.True(ServerOptions.Default.TcpKeepAlive);
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        await client.GetStream().WriteAsync(PgWireClient.StartupMessage());
        while (await ReadTypeAsync(client) != (byte)'Z') { }
        return client;
    }

    private static void Close(TcpClient client, bool reset)
    {
        if (reset) client.Client.LingerState = new LingerOption(true, 0); // close sends RST
        client.Close();
    }

    /// <summary>Waits (up to a minute) until the server has closed every connection.</summary>
    private static async Task WaitUntilClosedAsync(PgServerFixture server)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (server.Server.PgWire!.OpenConnections > 0) await Task.Delay(50, deadline.Token);
    }

    /// <summary>Reads one backend message and returns its type.</summary>
    private static async Task<byte> ReadTypeAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var header = new byte[5];
        await client.GetStream().ReadExactlyAsync(header, timeout.Token);
        await client.GetStream().ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4], timeout.Token);
        return header[0];
    }

    private static byte[] Query(string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        var frame = new byte[6 + text.Length];
        frame[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 5 + text.Length);
        text.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
