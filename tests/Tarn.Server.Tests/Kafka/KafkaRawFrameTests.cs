using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Hand-built frames: corrupt batches are refused, garbage closes only the connection that sent it.</summary>
public sealed class KafkaRawFrameTests
{
    private static byte[] ProduceRequest(int correlationId, string topic, bool corrupt)
    {
        var batch = new KafkaWriter();
        var writer = new RecordBatchWriter(batch);
        writer.Begin(0, 1_700_000_000_000);
        writer.Add(0, default, hasKey: false, Encoding.UTF8.GetBytes("{\"id\":7,\"tag\":\"x\"}"));
        writer.End();
        var batchBytes = batch.Written.ToArray();
        if (corrupt) batchBytes[^3] ^= 0x01; // inside the value: the CRC no longer matches

        var w = new KafkaWriter();
        w.Int32(0); // size, patched below
        w.Int16(KafkaApiKeys.Produce);
        w.Int16(3);
        w.Int32(correlationId);
        w.NullableString("raw-test");
        w.NullableString(null); // transactional id
        w.Int16(-1); // acks=all
        w.Int32(5000);
        w.Int32(1);
        w.String(topic);
        w.Int32(1);
        w.Int32(0);
        w.Int32(batchBytes.Length);
        w.Raw(batchBytes);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body);
        return body;
    }

    private static short ProduceError(byte[] response)
    {
        // correlation id, topics[1], name, partitions[1], index, error
        var r = new KafkaReader(response);
        _ = r.Int32();
        Assert.Equal(1, r.Int32());
        _ = r.String();
        Assert.Equal(1, r.Int32());
        Assert.Equal(0, r.Int32());
        return r.Int16();
    }

    private static async Task<TcpClient> ConnectAsync(KafkaFixture fx)
    {
        var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        return client;
    }

    [Fact]
    public async Task A_batch_with_a_bad_crc_is_rejected_and_nothing_is_stored()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE events (id BIGINT, tag STRING) WITH ('bucket' = '1')");
        using var client = await ConnectAsync(fx);
        var stream = client.GetStream();

        await stream.WriteAsync(ProduceRequest(1, "events", corrupt: true));
        Assert.Equal(KafkaErrors.CorruptMessage, ProduceError(await ReadFrameAsync(stream)));
        var count = await fx.Database.ExecuteAsync("SELECT count(*) FROM events");
        Assert.Equal(0L, Convert.ToInt64(count.Rows.Single()[0]));

        // the same batch with its CRC intact is stored
        await stream.WriteAsync(ProduceRequest(2, "events", corrupt: false));
        Assert.Equal(KafkaErrors.None, ProduceError(await ReadFrameAsync(stream)));
        count = await fx.Database.ExecuteAsync("SELECT count(*), max(tag) FROM events");
        Assert.Equal(1L, Convert.ToInt64(count.Rows.Single()[0]));
        Assert.Equal("x", count.Rows.Single()[1]);
    }

    [Fact]
    public async Task A_garbage_frame_closes_only_its_connection()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE events (id BIGINT, tag STRING) WITH ('bucket' = '1')");
        using var good = await ConnectAsync(fx);
        using var bad = await ConnectAsync(fx);

        // a Produce header whose topic count claims far more than the frame holds
        var garbage = new byte[] { 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 9, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF };
        var badStream = bad.GetStream();
        await badStream.WriteAsync(garbage);
        var buffer = new byte[16];
        Assert.Equal(0, await badStream.ReadAsync(buffer)); // closed by the server

        // an absurd size prefix is refused before anything is allocated
        using var huge = await ConnectAsync(fx);
        var hugeStream = huge.GetStream();
        await hugeStream.WriteAsync(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0, 18, 0, 0 });
        Assert.Equal(0, await hugeStream.ReadAsync(buffer));

        var goodStream = good.GetStream();
        await goodStream.WriteAsync(ProduceRequest(5, "events", corrupt: false));
        var response = await ReadFrameAsync(goodStream);
        Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(response));
        Assert.Equal(KafkaErrors.None, ProduceError(response));
    }
}
