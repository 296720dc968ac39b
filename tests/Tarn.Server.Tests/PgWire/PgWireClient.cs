using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Tarn.Server.Tests.PgWire;

/// <summary>A minimal raw pgwire client for tests that need to see the messages themselves (COPY streams, odd frames).</summary>
internal sealed class PgWireClient : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;

    public static async Task<PgWireClient> ConnectAsync(int port)
    {
        var client = new PgWireClient();
        await client._client.ConnectAsync("127.0.0.1", port);
        client._stream = client._client.GetStream();
        await client._stream.WriteAsync(StartupMessage());
        while ((await client.ReadAsync()).Type != 'Z') { }
        return client;
    }

    public static byte[] StartupMessage()
    {
        var body = "\0\u0003\0\0user\0tarn\0database\0tarn\0\0"u8.ToArray();
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    public async Task QueryAsync(string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        var frame = new byte[6 + text.Length];
        frame[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 5 + text.Length);
        text.CopyTo(frame, 5);
        await _stream.WriteAsync(frame);
    }

    /// <summary>Sends one typed frontend message.</summary>
    public async Task SendAsync(char type, byte[] body)
    {
        var frame = new byte[5 + body.Length];
        frame[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + body.Length);
        body.CopyTo(frame, 5);
        await _stream.WriteAsync(frame);
    }

    /// <summary>The next backend message (type and body); fails the test after 30 s of silence.</summary>
    public async Task<(char Type, byte[] Body)> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var header = new byte[5];
        await _stream.ReadExactlyAsync(header, timeout.Token);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        await _stream.ReadExactlyAsync(body, timeout.Token);
        return ((char)header[0], body);
    }

    public void Dispose() => _client.Dispose();
}
