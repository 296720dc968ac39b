using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>A minimal hand-rolled Kafka client: InitProducerId and Produce v3 with idempotence fields, for exact retries.</summary>
internal sealed class KafkaRawClient : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;
    private int _correlation;

    public static async Task<KafkaRawClient> ConnectAsync(IPEndPoint endPoint)
    {
        var c = new KafkaRawClient();
        await c._client.ConnectAsync(endPoint);
        c._stream = c._client.GetStream();
        return c;
    }

    public void Dispose() => _client.Dispose();

    private async Task<byte[]> RoundTripAsync(short apiKey, short version, Action<KafkaWriter> body)
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(apiKey);
        w.Int16(version);
        w.Int32(++_correlation);
        w.NullableString("raw-idempotent");
        body(w);
        w.PatchInt32(0, w.Length - 4);
        await _stream.WriteAsync(w.Written.ToArray());
        var size = new byte[4];
        await _stream.ReadExactlyAsync(size);
        var response = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(response);
        Assert.Equal(_correlation, BinaryPrimitives.ReadInt32BigEndian(response));
        return response;
    }

    public async Task<(long ProducerId, short Epoch)> InitProducerIdAsync()
    {
        var response = await RoundTripAsync(KafkaApiKeys.InitProducerId, 0, w =>
        {
            w.NullableString(null);
            w.Int32(60000);
        });
        var r = new KafkaReader(response);
        _ = r.Int32(); // correlation
        _ = r.Int32(); // throttle
        Assert.Equal(KafkaErrors.None, r.Int16());
        return (r.Int64(), r.Int16());
    }

    /// <summary>One batch of <paramref name="values"/> with the given producer fields; returns (error, base offset).</summary>
    public async Task<(short Error, long BaseOffset)> ProduceAsync(string topic, int partition, long producerId, short epoch, int baseSequence, params string[] values)
    {
        var batch = BatchBytes(producerId, epoch, baseSequence, values);
        var response = await RoundTripAsync(KafkaApiKeys.Produce, 3, w =>
        {
            w.NullableString(null);
            w.Int16(-1);
            w.Int32(5000);
            w.Int32(1);
            w.String(topic);
            w.Int32(1);
            w.Int32(partition);
            w.Int32(batch.Length);
            w.Raw(batch);
        });
        var r = new KafkaReader(response);
        _ = r.Int32();
        Assert.Equal(1, r.Int32());
        _ = r.String();
        Assert.Equal(1, r.Int32());
        Assert.Equal(partition, r.Int32());
        return (r.Int16(), r.Int64());
    }

    /// <summary>A RecordBatch v2 whose producer id, epoch and base sequence are set (the CRC recomputed).</summary>
    public static byte[] BatchBytes(long producerId, short epoch, int baseSequence, string[] values)
    {
        var target = new KafkaWriter();
        var writer = new RecordBatchWriter(target);
        writer.Begin(0, 1_700_000_000_000);
        for (var i = 0; i < values.Length; i++) writer.Add(i, default, hasKey: false, Encoding.UTF8.GetBytes(values[i]));
        writer.End();
        var bytes = target.Written.ToArray();
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(43), producerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(51), epoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(53), baseSequence);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), Crc32C.Compute(bytes.AsSpan(21)));
        return bytes;
    }
}
