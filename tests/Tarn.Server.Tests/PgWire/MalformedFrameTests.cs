using System.Buffers.Binary;
using System.Net.Sockets;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>A malformed frame closes only its own connection, with an ErrorResponse; the server keeps serving others.</summary>
public sealed class MalformedFrameTests
{
    [Fact]
    public async Task GarbageStartupClosesThatConnectionOnly()
    {
        await using var server = new PgServerFixture();
        // "GET " read as a startup length of 1.2 GB; exactly those bytes, so the server leaves nothing unread (no reset)
        var reply = await SendAndReadToEndAsync(server.Port, [0x47, 0x45, 0x54, 0x20]);
        Assert.Equal((byte)'E', reply[0]);
        Assert.Contains("08P01", System.Text.Encoding.UTF8.GetString(reply), StringComparison.Ordinal);
        await AssertServesAsync(server);
    }

    [Fact]
    public async Task OversizedLengthAfterStartupClosesThatConnectionOnly()
    {
        await using var server = new PgServerFixture();
        var frame = new byte[5];
        frame[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), int.MaxValue); // claims 2 GiB: refused before allocating
        var reply = await SendAfterStartupAsync(server.Port, frame);
        Assert.Equal((byte)'E', reply[0]);
        Assert.Contains("08P01", System.Text.Encoding.UTF8.GetString(reply), StringComparison.Ordinal);
        await AssertServesAsync(server);
    }

    [Fact]
    public async Task TruncatedFieldsCloseThatConnectionOnly()
    {
        await using var server = new PgServerFixture();
        var reply = await SendAfterStartupAsync(server.Port, [(byte)'B', 0, 0, 0, 6, (byte)'x', (byte)'y']); // Bind without its terminators
        Assert.Equal((byte)'E', reply[0]);
        await AssertServesAsync(server);
    }

    /// <summary>Opens a connection, completes the startup, sends <paramref name="frame"/> and reads until the server closes.</summary>
    private static async Task<byte[]> SendAfterStartupAsync(int port, byte[] frame)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(StartupMessage());
        await ReadUntilReadyAsync(stream);
        await stream.WriteAsync(frame);
        return await ReadToEndAsync(stream);
    }

    private static byte[] StartupMessage()
    {
        var body = "\0\u0003\0\0user\0tarn\0database\0tarn\0\0"u8.ToArray();
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private static async Task ReadUntilReadyAsync(NetworkStream stream)
    {
        var header = new byte[5];
        while (true)
        {
            await stream.ReadExactlyAsync(header);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
            await stream.ReadExactlyAsync(body);
            if (header[0] == (byte)'Z') return;
        }
    }

    private static async Task<byte[]> SendAndReadToEndAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes);
        return await ReadToEndAsync(stream);
    }

    /// <summary>Everything the server sends until it closes the connection (the test fails by timeout if it never does).</summary>
    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, timeout.Token);
        return all.ToArray();
    }

    private static async Task AssertServesAsync(PgServerFixture server)
    {
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 40 + 2", conn);
        Assert.Equal(42, Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
