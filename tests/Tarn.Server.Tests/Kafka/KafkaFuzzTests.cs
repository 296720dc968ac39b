using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Tarn.Server.Hosting;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// Seeded fuzzing of the Kafka endpoint: 100 000 malformed or random frames over many parallel connections. After each
/// fuzz frame the client pipelines an ApiVersions "ping": the server must answer the ping (the fuzz frame was handled,
/// answered or not - acks=0 produces get no answer) or close the connection, within a timeout. Afterwards the server
/// has had no connection fault and a real Confluent.Kafka producer and consumer still work.
/// </summary>
public sealed class KafkaFuzzTests
{
    private const int Seed = 0x7A12_2026;
    private const int Frames = 100_000;
    private const int Workers = 16;
    private const int PingCorrelation = int.MinValue + 0x5A5A;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Malformed_frames_never_crash_or_hang_the_server()
    {
        await using var fx = new KafkaFixture(new ServerOptions { MaxMessageBytes = 1 << 20 });
        await fx.Database.ExecuteAsync("CREATE TABLE fz (id BIGINT, msg STRING) WITH ('bucket' = '2')");
        await fx.Database.ExecuteAsync("INSERT INTO fz VALUES (1, 'a'), (2, 'b'), (3, 'c')");

        var workers = new Task<(int Frames, int Connections)>[Workers];
        for (var i = 0; i < Workers; i++)
        {
            var worker = i;
            workers[i] = Task.Run(() => FuzzAsync(fx, new Random(Seed + worker), Frames / Workers, worker));
        }
        var results = await Task.WhenAll(workers);
        Assert.Equal(Frames, results.Sum(r => r.Frames));
        Assert.True(fx.Listener.ConnectionFaults == 0, $"{fx.Listener.ConnectionFaults} connection faults:\n{string.Join("\n", fx.Listener.ConnectionFaultSamples.Select(e => e.GetType().Name + ": " + e.Message + " at " + e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Tarn.", StringComparison.Ordinal))).Distinct())}");

        await RealClientStillWorksAsync(fx);
    }

    private static async Task<(int Frames, int Connections)> FuzzAsync(KafkaFixture fx, Random random, int frames, int worker)
    {
        var generator = new FuzzFrames(random);
        var ping = Ping();
        var connections = 0;
        TcpClient? client = null;
        try
        {
            for (var i = 0; i < frames; i++)
            {
                if (client is null)
                {
                    client = new TcpClient { NoDelay = true, LingerState = new LingerOption(true, 0) };
                    await client.ConnectAsync(fx.Listener.LocalEndPoint);
                    connections++;
                }
                var (frame, kind) = generator.Next();
                var open = await SendAndAwaitPingAsync(client.GetStream(), frame, ping, $"worker {worker} frame {i} ({kind}): {Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 48)))}");
                if (!open)
                {
                    client.Dispose();
                    client = null;
                }
            }
        }
        finally
        {
            client?.Dispose();
        }
        return (frames, connections);
    }

    /// <summary>Writes the fuzz frame and the ping; returns true when the ping was answered, false when the server closed.</summary>
    private static async Task<bool> SendAndAwaitPingAsync(NetworkStream stream, byte[] frame, byte[] ping, string what)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        try
        {
            await stream.WriteAsync(frame, timeout.Token);
            await stream.WriteAsync(ping, timeout.Token);
            var size = new byte[4];
            while (true)
            {
                if (!await ReadOrEndAsync(stream, size, timeout.Token)) return false;
                var length = BinaryPrimitives.ReadInt32BigEndian(size);
                Assert.True(length is >= 4 and < 16 << 20, $"bad response length {length} after {what}");
                var body = new byte[length];
                if (!await ReadOrEndAsync(stream, body, timeout.Token)) return false;
                if (BinaryPrimitives.ReadInt32BigEndian(body) == PingCorrelation) return true;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no answer and no close within {AnswerTimeout.TotalSeconds} s after {what}");
            return false;
        }
        catch (IOException)
        {
            return false; // reset by the server while we were still writing: a close
        }
    }

    private static async Task<bool> ReadOrEndAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellation)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellation);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private static byte[] Ping()
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(KafkaApiKeys.ApiVersions);
        w.Int16(0);
        w.Int32(PingCorrelation);
        w.NullableString("fuzz-ping");
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    private static async Task RealClientStillWorksAsync(KafkaFixture fx)
    {
        await fx.Database.ExecuteAsync("CREATE TABLE after_fuzz (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        var producerConfig = new ProducerConfig { BootstrapServers = fx.Bootstrap, Acks = Acks.All, LingerMs = 5, MessageTimeoutMs = 20000 };
        using (var producer = new ProducerBuilder<Null, string>(producerConfig).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                var result = await producer.ProduceAsync("after_fuzz", new Message<Null, string> { Value = $"{{\"id\":{i},\"msg\":\"m{i}\"}}" });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }
        var consumerConfig = new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = "unused", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<Ignore, string>(consumerConfig).Build();
        consumer.Assign(new TopicPartitionOffset("after_fuzz", 0, Offset.Beginning));
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 20 && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null || cr.IsPartitionEOF) continue;
            seen.Add(cr.Message.Value);
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{{\"id\":{i},\"msg\":\"m{i}\"}}"), seen);
    }
}

/// <summary>The seeded generator: well-formed requests of every served API, then damaged in many ways, and pure noise.</summary>
internal sealed class FuzzFrames(Random random)
{
    private readonly Random _r = random;
    private int _correlation;

    private static readonly int[] WildInts = [int.MaxValue, int.MinValue, -1, -2, 0x40000000, 0x00FFFFFF, 65536, 1 << 20, 0];
    private static readonly string[] Topics = ["fz", "missing", "fz.fz", "", "db.fz", "a b", "x.y.z", "fz "];

    public (byte[] Frame, string Kind) Next()
    {
        var roll = _r.Next(100);
        return roll switch
        {
            < 10 => (Noise(), "noise"),
            < 13 => (BadSizePrefix(), "size prefix"),
            < 40 => (Mutate(WellFormed(out var api)), "mutated " + api),
            < 65 => (Frame(KafkaApiKeys.Produce, (short)_r.Next(3, 9), w => ProduceBody(w, BadBatch())), "bad batch"),
            < 66 => (Frame(KafkaApiKeys.Produce, (short)_r.Next(3, 9), w => ProduceBody(w, GoodBatch(), "fz")), "good produce"),
            < 80 => (Truncate(WellFormed(out var api2)), "truncated " + api2),
            _ => (WellFormed(out var api3), "well-formed " + api3),
        };
    }

    private byte[] Frame(short key, short version, Action<KafkaWriter> body)
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(key);
        w.Int16(version);
        w.Int32(++_correlation);
        w.NullableString(_r.Next(4) == 0 ? null : "fuzz");
        if (key == KafkaApiKeys.ApiVersions && version >= 3) w.UVarLong(0);
        body(w);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    private string Topic() => Topics[_r.Next(Topics.Length)];

    private byte[] WellFormed(out string api)
    {
        switch (_r.Next(5))
        {
            case 0:
                api = "produce";
                return Frame(KafkaApiKeys.Produce, (short)_r.Next(3, 9), w => ProduceBody(w, _r.Next(2) == 0 ? GoodBatch() : BadBatch()));
            case 1:
            {
                var v = (short)_r.Next(4, 12);
                api = "fetch v" + v;
                return Frame(KafkaApiKeys.Fetch, v, w => FetchBody(w, v));
            }
            case 2:
            {
                var v = (short)_r.Next(1, 6);
                api = "list offsets v" + v;
                return Frame(KafkaApiKeys.ListOffsets, v, w => ListOffsetsBody(w, v));
            }
            case 3:
            {
                var v = (short)_r.Next(0, 9);
                api = "metadata v" + v;
                return Frame(KafkaApiKeys.Metadata, v, w => MetadataBody(w, v));
            }
            default:
            {
                var v = (short)_r.Next(0, 5); // 4 is unsupported: answered UNSUPPORTED_VERSION
                api = "api versions v" + v;
                return Frame(KafkaApiKeys.ApiVersions, v, w =>
                {
                    if (v < 3) return;
                    w.UVarLong((ulong)_r.Next(0, 8));
                    w.Raw("fuzz"u8);
                    w.UVarLong(4);
                    w.Raw("1.0"u8);
                    w.UVarLong(0);
                });
            }
        }
    }

    private void ProduceBody(KafkaWriter w, byte[] batch, string? topic = null)
    {
        w.NullableString(null);
        w.Int16((short)(_r.Next(3) - 1)); // acks -1, 0, 1
        w.Int32(_r.Next(0, 100));
        var topics = _r.Next(1, 3);
        w.Int32(topics);
        for (var t = 0; t < topics; t++)
        {
            w.String(topic ?? Topic());
            w.Int32(1);
            w.Int32(_r.Next(4) == 0 ? _r.Next(-2, 5) : 0);
            w.Int32(batch.Length);
            w.Raw(batch);
        }
    }

    private void FetchBody(KafkaWriter w, short v)
    {
        w.Int32(-1);
        w.Int32(_r.Next(0, 3)); // max wait: keep the fuzz fast
        w.Int32(_r.Next(0, 2));
        w.Int32(_r.Next(2) == 0 ? 1 << 20 : _r.Next(0, 100));
        w.Int8(0);
        if (v >= 7)
        {
            w.Int32(0);
            w.Int32(-1);
        }
        w.Int32(1);
        w.String(Topic());
        var parts = _r.Next(1, 3);
        w.Int32(parts);
        for (var p = 0; p < parts; p++)
        {
            w.Int32(_r.Next(-1, 3));
            if (v >= 9) w.Int32(-1);
            w.Int64(_r.Next(-2, 6));
            if (v >= 5) w.Int64(0);
            w.Int32(_r.Next(0, 1 << 16));
        }
        if (v >= 7) w.Int32(0); // forgotten topics
        if (v >= 11) w.NullableString(null); // rack
    }

    private void ListOffsetsBody(KafkaWriter w, short v)
    {
        w.Int32(-1);
        if (v >= 2) w.Int8(0);
        w.Int32(1);
        w.String(Topic());
        w.Int32(1);
        w.Int32(_r.Next(-1, 3));
        if (v >= 4) w.Int32(-1);
        w.Int64(_r.Next(-3, 2));
    }

    private void MetadataBody(KafkaWriter w, short v)
    {
        if (_r.Next(3) == 0) w.Int32(v == 0 ? 0 : -1);
        else
        {
            w.Int32(1);
            w.String(Topic());
        }
        if (v >= 4) w.Bool(false);
        if (v >= 8)
        {
            w.Bool(false);
            w.Bool(false);
        }
    }

    private byte[] GoodBatch()
    {
        var values = new List<byte[]>();
        var n = _r.Next(1, 4);
        for (var i = 0; i < n; i++) values.Add(Encoding.UTF8.GetBytes(JsonValue()));
        var plain = Batch(values);
        if (_r.Next(3) != 0) return plain;
        var encodings = Enum.GetValues<CodecEncoding>();
        return KafkaCodecs.Batch(values, encodings[_r.Next(encodings.Length)]);
    }

    /// <summary>JSON values a producer might send to a (id BIGINT, msg STRING) table, most of them ill-typed.</summary>
    private string JsonValue() => _r.Next(12) switch
    {
        0 => "{\"id\":1e400,\"msg\":\"x\"}",
        1 => "{\"id\":\"not a number\"}",
        2 => "{\"id\":12345678901234567890123}",
        3 => "{\"msg\":{\"nested\":[1,2,3]}}",
        4 => "[1,2,3]",
        5 => "not json",
        6 => "{\"id\":true,\"msg\":false}",
        7 => "{\"id\":-9223372036854775808,\"msg\":null}",
        8 => "{\"id\":1.5,\"msg\":12}",
        9 => "",
        10 => "{\"ID\":7,\"Msg\":\"case\",\"extra\":1}",
        _ => $"{{\"id\":{_r.Next()},\"msg\":\"ok\"}}",
    };

    private static byte[] Batch(List<byte[]> values)
    {
        var w = new KafkaWriter();
        var batch = new RecordBatchWriter(w);
        batch.Begin(0, 1_700_000_000_000);
        for (var i = 0; i < values.Count; i++) batch.Add(i, default, hasKey: false, values[i]);
        batch.End();
        return w.Written.ToArray();
    }

    /// <summary>Record batches that are wrong in the ways that matter: CRC, lengths, counts, varints, magic, codec, compressed garbage.</summary>
    private byte[] BadBatch()
    {
        var values = new List<byte[]> { Encoding.UTF8.GetBytes("{\"id\":1,\"msg\":\"x\"}"), new byte[_r.Next(0, 50)] };
        var batch = Batch(values);
        var header = KafkaCodecs.EmptyHeader();
        switch (_r.Next(10))
        {
            case 0: // bad CRC
                batch[_r.Next(21, batch.Length)] ^= (byte)(1 << _r.Next(8));
                return batch;
            case 1: // bad batch length
                BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), WildInts[_r.Next(WildInts.Length)]);
                return batch;
            case 2: // wild record count with a valid CRC
                return KafkaCodecs.WithRecords(batch, WildInts[_r.Next(WildInts.Length)], 0, batch.AsSpan(61));
            case 3: // bad varints in the records section, valid CRC
            {
                var records = new byte[_r.Next(1, 40)];
                for (var i = 0; i < records.Length; i++) records[i] = _r.Next(2) == 0 ? (byte)0xFF : (byte)_r.Next(256);
                return KafkaCodecs.WithRecords(header, _r.Next(1, 5), 0, records);
            }
            case 4: // compressed garbage with a valid CRC, every codec (and the undefined 5..7)
            {
                var garbage = new byte[_r.Next(0, 200)];
                _r.NextBytes(garbage);
                if (_r.Next(2) == 0 && garbage.Length >= 4) BinaryPrimitives.WriteUInt32LittleEndian(garbage, 0x184D2204); // LZ4 magic
                return KafkaCodecs.WithRecords(header, _r.Next(0, 3), _r.Next(1, 8), garbage);
            }
            case 5: // a compressed batch, then damaged after the CRC was computed or before (recomputed)
            {
                var encodings = Enum.GetValues<CodecEncoding>();
                var compressed = KafkaCodecs.Batch(values, encodings[_r.Next(encodings.Length)]);
                var records = compressed.AsSpan(61).ToArray();
                if (records.Length > 0) records[_r.Next(records.Length)] ^= (byte)_r.Next(1, 256);
                return KafkaCodecs.WithRecords(compressed, 2, compressed[22] & 7, records);
            }
            case 6: // magic 0/1/3
                batch[16] = (byte)(_r.Next(2) == 0 ? _r.Next(0, 2) : 3);
                return batch;
            case 7: // transactional / control attributes, valid CRC
                BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), (short)(0x10 << _r.Next(2)));
                return KafkaCodecs.WithRecords(batch, 2, 0, batch.AsSpan(61));
            case 8: // truncated
                return batch.AsSpan(0, _r.Next(0, batch.Length)).ToArray();
            default: // two batches, the second corrupt
                var second = (byte[])batch.Clone();
                second[^1] ^= 0x55;
                return [.. batch, .. second];
        }
    }

    private byte[] Mutate(byte[] frame)
    {
        const int headerBytes = 12; // size, key, version, correlation: keep the framing and the id intact
        if (frame.Length <= headerBytes) return frame;
        var count = _r.Next(1, 4);
        for (var m = 0; m < count; m++)
        {
            var at = _r.Next(headerBytes, frame.Length);
            switch (_r.Next(3))
            {
                case 0:
                    frame[at] = (byte)_r.Next(256);
                    break;
                case 1 when at + 4 <= frame.Length: // a wild count or length
                    BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(at), WildInts[_r.Next(WildInts.Length)]);
                    break;
                default: // a wild INT16 string length
                    if (at + 2 <= frame.Length) BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(at), (short)(_r.Next(2) == 0 ? short.MaxValue : _r.Next(-3, 300)));
                    break;
            }
        }
        return frame;
    }

    /// <summary>A frame cut short, with its size prefix telling the truth (so the server sees a complete, short frame).</summary>
    private byte[] Truncate(byte[] frame)
    {
        var length = _r.Next(8, Math.Max(9, frame.Length - 4));
        var cut = frame.AsSpan(0, 4 + length).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(cut, length);
        return cut;
    }

    /// <summary>Random api keys and versions (mostly unsupported) with random bodies.</summary>
    private byte[] Noise()
    {
        var body = new byte[_r.Next(0, 120)];
        _r.NextBytes(body);
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16((short)_r.Next(-1, 80));
        w.Int16((short)_r.Next(-1, 20));
        w.Int32(++_correlation);
        w.Raw(body);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    /// <summary>Size prefixes the server must refuse at once: negative, shorter than a header, larger than the limit.</summary>
    private byte[] BadSizePrefix()
    {
        int[] sizes = [-1, int.MinValue, 0, 3, 7, int.MaxValue, (1 << 20) + 1];
        var frame = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(frame, sizes[_r.Next(sizes.Length)]);
        return frame;
    }
}
