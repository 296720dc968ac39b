using System.Buffers.Binary;
using System.Net.Sockets;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Random frames after a valid startup, and random bytes instead of one: the connection ends, the server serves on.</summary>
public sealed class PgFuzzTests
{
    private static readonly byte[] Types = "QPBDECSHdfx"u8.ToArray();

    /// <summary>1 to 6 frames of a random type (mostly ones the server knows) with 0 to 64 random body bytes; seeded, so reproducible.</summary>
    private static List<(byte Type, byte[] Body)> RandomFrames(Random random)
    {
        var frames = new List<(byte, byte[])>();
        for (var n = random.Next(1, 7); n > 0; n--)
        {
            var body = new byte[random.Next(0, 65)];
            random.NextBytes(body);
            frames.Add((Types[random.Next(Types.Length)], body));
        }
        return frames;
    }

    [Fact]
    public async Task RandomFramesNeverTakeTheServerDown()
    {
        await using var server = new PgServerFixture();
        var random = new Random(6);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(server.Port, RandomFrames(random));
        }
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 7", conn);
        Assert.Equal(7, Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Sends the frames and reads until the server closes. The server may close (and reset) while frames are still on
    /// their way, so a reset seen here is one of the expected endings, not a failure.
    /// </summary>
    private static async Task SendAsync(int port, List<(byte Type, byte[] Body)> sample)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync(Startup());
            foreach (var (type, body) in sample)
            {
                var frame = new byte[5 + body.Length];
                frame[0] = type;
                BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + body.Length);
                body.CopyTo(frame, 5);
                await stream.WriteAsync(frame);
            }
            await stream.WriteAsync(new byte[] { (byte)'X', 0, 0, 0, 4 });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await stream.CopyToAsync(Stream.Null, timeout.Token); // the server closes: after Terminate or at the first bad frame
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private static byte[] Startup()
    {
        var body = "\0\u0003\0\0user\0tarn\0\0"u8.ToArray();
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        body.CopyTo(frame, 4);
        return frame;
    }
}
