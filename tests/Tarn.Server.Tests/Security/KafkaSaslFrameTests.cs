using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Tarn.Server.Kafka;
using Tarn.Server.Tests.Kafka;

namespace Tarn.Server.Tests.Security;

/// <summary>Hand-built SASL frames: SaslAuthenticate v2 (flexible) with PLAIN, and the gate before authentication.</summary>
public sealed class KafkaSaslFrameTests
{
    private static byte[] Frame(short apiKey, short version, int correlationId, Action<KafkaWriter> body, bool flexibleHeader = false)
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(apiKey);
        w.Int16(version);
        w.Int32(correlationId);
        w.NullableString("sasl-test");
        if (flexibleHeader) w.UVarLong(0); // request header v2: tagged fields
        body(w);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    private static async Task<byte[]?> ReadFrameAsync(NetworkStream stream)
    {
        var size = new byte[4];
        try
        {
            await stream.ReadExactlyAsync(size);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body);
        return body;
    }

    private static Action<KafkaWriter> Metadata => w => w.Int32(-1); // v1: all topics

    [Fact]
    public async Task Plain_over_sasl_authenticate_v2_then_metadata()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("CREATE USER bob PASSWORD 'builder'");
        using var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        var stream = client.GetStream();

        await stream.WriteAsync(Frame(KafkaConnection.SaslHandshakeKey, 1, 1, w => w.String("PLAIN")));
        var handshake = new KafkaReader((await ReadFrameAsync(stream))!);
        Assert.Equal(1, handshake.Int32());
        Assert.Equal(0, handshake.Int16());

        var token = Encoding.UTF8.GetBytes("\0bob\0builder");
        await stream.WriteAsync(Frame(KafkaConnection.SaslAuthenticateKey, 2, 2, w =>
        {
            w.UVarLong((ulong)token.Length + 1);
            w.Raw(token);
            w.UVarLong(0);
        }, flexibleHeader: true));
        var auth = new KafkaReader((await ReadFrameAsync(stream))!);
        Assert.Equal(2, auth.Int32());
        auth.SkipTaggedFields(); // response header v1
        Assert.Equal(0, auth.Int16());
        Assert.Null(auth.CompactNullableString());

        await stream.WriteAsync(Frame(KafkaApiKeys.Metadata, 1, 3, Metadata));
        var metadata = new KafkaReader((await ReadFrameAsync(stream))!);
        Assert.Equal(3, metadata.Int32());
    }

    [Fact]
    public async Task Before_authentication_only_api_versions_and_sasl_are_answered()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE USER bob PASSWORD 'builder'");
        using var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Frame(KafkaApiKeys.ApiVersions, 0, 1, _ => { }));
        Assert.NotNull(await ReadFrameAsync(stream));
        await stream.WriteAsync(Frame(KafkaApiKeys.Metadata, 1, 2, Metadata));
        Assert.Null(await ReadFrameAsync(stream)); // closed without an answer

        // A failed PLAIN attempt answers SASL_AUTHENTICATION_FAILED (58).
        using var second = new TcpClient();
        await second.ConnectAsync(fx.Listener.LocalEndPoint);
        var s2 = second.GetStream();
        await s2.WriteAsync(Frame(KafkaConnection.SaslHandshakeKey, 1, 1, w => w.String("PLAIN")));
        Assert.NotNull(await ReadFrameAsync(s2));
        var token = Encoding.UTF8.GetBytes("\0bob\0wrong");
        await s2.WriteAsync(Frame(KafkaConnection.SaslAuthenticateKey, 1, 2, w => { w.Int32(token.Length); w.Raw(token); }));
        var auth = new KafkaReader((await ReadFrameAsync(s2))!);
        Assert.Equal(2, auth.Int32());
        Assert.Equal(58, auth.Int16());
    }
}
