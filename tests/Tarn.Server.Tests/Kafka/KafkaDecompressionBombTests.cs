using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Tarn.Server.Hosting;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>A bomb in a Produce request is refused for its partition (RECORD_LIST_TOO_LARGE); the connection stays usable.</summary>
public sealed class KafkaDecompressionBombTests
{
    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body);
        return body;
    }

    private static short PartitionError(byte[] response)
    {
        var r = new KafkaReader(response);
        _ = r.Int32(); // correlation id
        Assert.Equal(1, r.Int32());
        _ = r.String();
        Assert.Equal(1, r.Int32());
        Assert.Equal(0, r.Int32());
        return r.Int16();
    }

    [Theory]
    [InlineData(CodecEncoding.Gzip)]
    [InlineData(CodecEncoding.SnappyRaw)]
    [InlineData(CodecEncoding.SnappyXerial)]
    [InlineData(CodecEncoding.Lz4Linked)]
    [InlineData(CodecEncoding.Zstd)]
    public async Task A_bomb_is_refused_and_the_connection_keeps_working(CodecEncoding encoding)
    {
        await using var fx = new KafkaFixture(new ServerOptions { MaxMessageBytes = 8 << 20 });
        await fx.Database.ExecuteAsync("CREATE TABLE events (id BIGINT, tag STRING) WITH ('bucket' = '1')");
        using var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        var stream = client.GetStream();

        var bomb = KafkaCodecs.WithRecords(KafkaCodecs.EmptyHeader(), 1, KafkaCodecs.CodecOf(encoding), Bombs.Of(encoding));
        Assert.True(bomb.Length < 8 << 20, $"the {bomb.Length}-byte bomb must fit a request");
        await stream.WriteAsync(KafkaCodecs.ProduceRequest(1, "events", bomb));
        Assert.Equal(KafkaErrors.RecordListTooLarge, PartitionError(await ReadFrameAsync(stream)));

        var good = KafkaCodecs.Batch([Encoding.UTF8.GetBytes("{\"id\":7,\"tag\":\"after\"}")], encoding);
        await stream.WriteAsync(KafkaCodecs.ProduceRequest(2, "events", good));
        Assert.Equal(KafkaErrors.None, PartitionError(await ReadFrameAsync(stream)));
        var rows = await fx.Database.ExecuteAsync("SELECT count(*), max(tag) FROM events");
        Assert.Equal(1L, Convert.ToInt64(rows.Rows.Single()[0]));
        Assert.Equal("after", rows.Rows.Single()[1]);
        Assert.Equal(0, fx.Listener.ConnectionFaults);
    }
}
