using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tarn.Server.Tests.PgWire;

/// <summary>COPY through the extended protocol (Parse/Bind/Describe/Execute/Sync), and a failed COPY's leftovers dropped.</summary>
public sealed class PgCopyExtendedTests
{
    [Fact]
    public async Task CopyFromAndToRunAtExecute()
    {
        await using var server = new PgServerFixture();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(PgLimitsTests.RawStartup());
        await PgLimitsTests.ReadKeyDataAsync(stream);
        await stream.WriteAsync(PgLimitsTests.Query("CREATE TABLE x (id INT, s STRING)"));
        await PgLimitsTests.ReadUntilReadyAsync(stream);

        await stream.WriteAsync(Concat(Parse("COPY x FROM STDIN (FORMAT csv)"), Bind(), Describe(), Execute()));
        await stream.WriteAsync(Concat(Message('d', "1,a\n2,"u8.ToArray()), Message('d', "b\n"u8.ToArray()), Message('c', []), Message('S', [])));
        var types = new StringBuilder();
        string? tag = null;
        while (true)
        {
            var (type, body) = await PgLimitsTests.ReadMessageAsync(stream);
            types.Append(type);
            if (type == 'C') tag = Encoding.UTF8.GetString(body).TrimEnd('\0');
            if (type == 'Z') break;
        }
        Assert.Equal("12nGCZ", types.ToString()); // ParseComplete, BindComplete, NoData, CopyInResponse, CommandComplete, ReadyForQuery
        Assert.Equal("COPY 2", tag);

        await stream.WriteAsync(Concat(Parse("COPY (SELECT id, s FROM x ORDER BY id) TO STDOUT"), Bind(), Execute(), Message('S', [])));
        var data = new StringBuilder();
        types.Clear();
        while (true)
        {
            var (type, body) = await PgLimitsTests.ReadMessageAsync(stream);
            types.Append(type);
            if (type == 'd') data.Append(Encoding.UTF8.GetString(body));
            if (type == 'C') tag = Encoding.UTF8.GetString(body).TrimEnd('\0');
            if (type == 'Z') break;
        }
        Assert.Equal("12HddcCZ", types.ToString());
        Assert.Equal("1\ta\n2\tb\n", data.ToString());
        Assert.Equal("COPY 2", tag);

        // A bad row fails at once (ErrorResponse); the CopyData and CopyDone still on their way are dropped until Sync.
        await stream.WriteAsync(Concat(Parse("COPY x FROM STDIN"), Bind(), Execute(), Message('d', "x\ty\n"u8.ToArray()), Message('d', "3\tz\n"u8.ToArray()), Message('c', []), Message('S', [])));
        var error = await PgLimitsTests.ReadUntilReadyAsync(stream);
        Assert.Contains("22P02", error, StringComparison.Ordinal);
        await stream.WriteAsync(PgLimitsTests.Query("SELECT count(*) FROM x"));
        var rows = new StringBuilder();
        while (true)
        {
            var (type, body) = await PgLimitsTests.ReadMessageAsync(stream);
            if (type == 'D') rows.Append(Encoding.UTF8.GetString(body.AsSpan(6)));
            if (type == 'Z') break;
        }
        Assert.Equal("2", rows.ToString());
    }

    private static byte[] Parse(string sql) => Message('P', [0, .. Encoding.UTF8.GetBytes(sql), 0, 0, 0]);

    private static byte[] Bind() => Message('B', [0, 0, 0, 0, 0, 0, 0, 0]);

    private static byte[] Describe() => Message('D', [(byte)'P', 0]);

    private static byte[] Execute() => Message('E', [0, 0, 0, 0, 0]);

    private static byte[] Message(char type, byte[] body)
    {
        var frame = new byte[5 + body.Length];
        frame[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
