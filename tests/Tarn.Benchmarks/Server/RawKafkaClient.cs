using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;

namespace Tarn.Benchmarks.Server;

/// <summary>
/// A minimal Kafka client over a plain socket, written only to load the endpoint without a client library in the way:
/// it builds uncompressed RecordBatch v2 frames itself (CRC-32C with <see cref="BitOperations.Crc32C(uint, ulong)"/>),
/// sends Produce v8 (acks=-1) with several requests in flight, InitProducerId v1 for an idempotent producer, and Fetch
/// v11. It shares no code with the server on purpose (an independent encoder); requests are blocking writes on one
/// thread, responses are read on another.
/// </summary>
internal sealed class RawKafkaClient : IDisposable
{
    private const short ProduceApi = 0, FetchApi = 1, InitProducerIdApi = 22;
    private static readonly byte[] ClientId = Encoding.ASCII.GetBytes("tarn-raw-bench");

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _correlation;

    public RawKafkaClient(string bootstrap)
    {
        var colon = bootstrap.LastIndexOf(':');
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 4 << 20, ReceiveBufferSize = 4 << 20 };
        _socket.Connect(IPAddress.Parse(bootstrap[..colon]), int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>InitProducerId v1 without a transactional id: the producer id and epoch of an idempotent producer.</summary>
    public (long ProducerId, short Epoch) InitProducerId()
    {
        var w = new Frame(64);
        w.Header(InitProducerIdApi, 1, ++_correlation);
        w.Int16(-1); // transactional id: null
        w.Int32(60_000); // transaction timeout
        Send(w);
        var r = Receive(out _);
        var at = 4; // throttle
        var error = BinaryPrimitives.ReadInt16BigEndian(r.AsSpan(at));
        if (error != 0) throw new InvalidOperationException($"InitProducerId failed with error {error}");
        return (BinaryPrimitives.ReadInt64BigEndian(r.AsSpan(at + 2)), BinaryPrimitives.ReadInt16BigEndian(r.AsSpan(at + 10)));
    }

    /// <summary>
    /// Produces <paramref name="records"/> values (cycling through <paramref name="values"/>) to partition 0 in batches
    /// of <paramref name="batchSize"/>, keeping up to <paramref name="inFlight"/> requests unanswered. Returns the
    /// number of partitions answered with an error.
    /// </summary>
    public int Produce(string topic, byte[][] values, int records, int batchSize, int inFlight, bool idempotent)
    {
        var (producerId, epoch) = idempotent ? InitProducerId() : (-1L, (short)-1);
        var slots = new SemaphoreSlim(inFlight, inFlight);
        var batches = (records + batchSize - 1) / batchSize;
        var failed = 0;
        Exception? receiveError = null;
        var receiver = new Thread(() =>
        {
            try
            {
                for (var b = 0; b < batches; b++)
                {
                    var body = Receive(out _);
                    if (ProduceErrors(body) != 0) Interlocked.Increment(ref failed);
                    slots.Release();
                }
            }
            catch (Exception e)
            {
                receiveError = e;
                slots.Release(inFlight);
            }
        })
        { IsBackground = true, Name = "raw-produce-responses" };
        receiver.Start();

        var topicName = Encoding.UTF8.GetBytes(topic);
        var frame = new Frame(batchSize * (values[0].Length + 16) + 256);
        var sent = 0;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var b = 0; b < batches; b++)
        {
            var count = Math.Min(batchSize, records - sent);
            frame.Reset();
            frame.Header(ProduceApi, 8, ++_correlation);
            frame.Int16(-1); // transactional id
            frame.Int16(-1); // acks = all
            frame.Int32(30_000);
            frame.Int32(1);
            frame.String(topicName);
            frame.Int32(1);
            frame.Int32(0); // partition
            var sizeAt = frame.Reserve(4);
            WriteBatch(frame, values, sent, count, now, producerId, epoch, idempotent ? sent : -1);
            frame.PatchInt32(sizeAt, frame.Length - sizeAt - 4);
            slots.Wait();
            if (receiveError is not null) break;
            Send(frame);
            sent += count;
        }
        receiver.Join();
        if (receiveError is not null) throw new InvalidOperationException("produce failed", receiveError);
        return failed;
    }

    /// <summary>
    /// Fetches partition 0 from offset 0 until <paramref name="records"/> records arrived; returns the value bytes.
    /// A partition's next fetch needs the previous answer's last offset, so fetches are sequential (each may carry up to
    /// <paramref name="maxBytes"/>).
    /// </summary>
    public long Fetch(string topic, long records, int maxBytes)
    {
        var topicName = Encoding.UTF8.GetBytes(topic);
        var frame = new Frame(256);
        long offset = 0, seen = 0, valueBytes = 0;
        var emptyAnswers = 0;
        while (seen < records)
        {
            frame.Reset();
            frame.Header(FetchApi, 11, ++_correlation);
            frame.Int32(-1); // replica
            frame.Int32(500); // max wait
            frame.Int32(1); // min bytes
            frame.Int32(maxBytes);
            frame.Int8(0); // read uncommitted
            frame.Int32(0); // session id
            frame.Int32(-1); // session epoch: full fetch, no session
            frame.Int32(1);
            frame.String(topicName);
            frame.Int32(1);
            frame.Int32(0); // partition
            frame.Int32(-1); // current leader epoch
            frame.Int64(offset);
            frame.Int64(-1); // log start offset
            frame.Int32(maxBytes);
            frame.Int32(0); // forgotten topics
            frame.Int16(0); // rack id ""
            Send(frame);
            var body = Receive(out var length);
            var (got, bytes, next) = ReadFetch(body.AsSpan(0, length));
            if (got == 0 && ++emptyAnswers > 20) throw new InvalidOperationException($"no records after offset {offset} ({seen} of {records})");
            if (got > 0) emptyAnswers = 0;
            seen += got;
            valueBytes += bytes;
            offset = Math.Max(offset, next);
        }
        return valueBytes;
    }

    private static (long Records, long ValueBytes, long NextOffset) ReadFetch(ReadOnlySpan<byte> r)
    {
        var at = 4; // throttle
        var error = BinaryPrimitives.ReadInt16BigEndian(r[at..]);
        if (error != 0) throw new InvalidOperationException($"fetch failed with error {error}");
        at += 2 + 4; // error, session id
        var topics = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
        at += 4;
        long records = 0, bytes = 0, next = 0;
        for (var t = 0; t < topics; t++)
        {
            at += 2 + BinaryPrimitives.ReadInt16BigEndian(r[at..]);
            var parts = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
            at += 4;
            for (var p = 0; p < parts; p++)
            {
                at += 4; // partition
                var perror = BinaryPrimitives.ReadInt16BigEndian(r[at..]);
                if (perror != 0) throw new InvalidOperationException($"fetch failed with partition error {perror}");
                at += 2 + 8 + 8 + 8; // error, high watermark, last stable, log start
                var aborted = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
                at += 4 + Math.Max(aborted, 0) * 16 + 4; // aborted transactions, preferred read replica
                var size = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
                at += 4;
                if (size <= 0) continue;
                var set = r.Slice(at, size);
                at += size;
                var (n, b, last) = ReadBatches(set);
                records += n;
                bytes += b;
                next = Math.Max(next, last);
            }
        }
        return (records, bytes, next);
    }

    /// <summary>Walks every complete batch and record (a fetch may end with a partial batch), summing value lengths.</summary>
    private static (long Records, long ValueBytes, long NextOffset) ReadBatches(ReadOnlySpan<byte> set)
    {
        long records = 0, bytes = 0, next = 0;
        var at = 0;
        while (at + 61 <= set.Length)
        {
            var baseOffset = BinaryPrimitives.ReadInt64BigEndian(set[at..]);
            var length = BinaryPrimitives.ReadInt32BigEndian(set[(at + 8)..]);
            if (at + 12 + length > set.Length) break;
            var attributes = BinaryPrimitives.ReadInt16BigEndian(set[(at + 21)..]);
            if ((attributes & 7) != 0) throw new InvalidOperationException("compressed batches are not expected");
            var lastDelta = BinaryPrimitives.ReadInt32BigEndian(set[(at + 23)..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(set[(at + 57)..]);
            var pos = at + 61;
            for (var i = 0; i < count; i++)
            {
                var recordLength = (int)ReadVarLong(set, ref pos);
                var end = pos + recordLength;
                pos++; // attributes
                ReadVarLong(set, ref pos); // timestamp delta
                ReadVarLong(set, ref pos); // offset delta
                var keyLength = (int)ReadVarLong(set, ref pos);
                if (keyLength > 0) pos += keyLength;
                var valueLength = (int)ReadVarLong(set, ref pos);
                if (valueLength > 0) bytes += valueLength;
                pos = end;
            }
            records += count;
            next = baseOffset + lastDelta + 1;
            at += 12 + length;
        }
        return (records, bytes, next);
    }

    private static long ReadVarLong(ReadOnlySpan<byte> s, ref int pos)
    {
        ulong u = 0;
        var shift = 0;
        while (true)
        {
            var b = s[pos++];
            u |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
            shift += 7;
        }
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    private static int ProduceErrors(byte[] body)
    {
        var r = body.AsSpan();
        var errors = 0;
        var at = 0;
        var topics = BinaryPrimitives.ReadInt32BigEndian(r);
        at += 4;
        for (var t = 0; t < topics; t++)
        {
            at += 2 + BinaryPrimitives.ReadInt16BigEndian(r[at..]);
            var parts = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
            at += 4;
            for (var p = 0; p < parts; p++)
            {
                at += 4;
                if (BinaryPrimitives.ReadInt16BigEndian(r[at..]) != 0) errors++;
                at += 2 + 8 + 8 + 8;
                var recordErrors = BinaryPrimitives.ReadInt32BigEndian(r[at..]);
                at += 4;
                for (var e = 0; e < recordErrors; e++)
                {
                    at += 4;
                    var len = BinaryPrimitives.ReadInt16BigEndian(r[at..]);
                    at += 2 + Math.Max((int)len, 0);
                }
                var msg = BinaryPrimitives.ReadInt16BigEndian(r[at..]);
                at += 2 + Math.Max((int)msg, 0);
            }
        }
        return errors;
    }

    /// <summary>One uncompressed RecordBatch v2 (magic 2) with <paramref name="count"/> records, no keys, no headers.</summary>
    private static void WriteBatch(Frame f, byte[][] values, int first, int count, long timestamp, long producerId, short epoch, int baseSequence)
    {
        f.Int64(0); // base offset (the broker assigns)
        var lengthAt = f.Reserve(4);
        f.Int32(-1); // partition leader epoch
        f.Int8(2); // magic
        var crcAt = f.Reserve(4);
        var attributesAt = f.Length;
        f.Int16(0); // no compression, CreateTime
        f.Int32(count - 1); // last offset delta
        f.Int64(timestamp);
        f.Int64(timestamp);
        f.Int64(producerId);
        f.Int16(epoch);
        f.Int32(baseSequence);
        f.Int32(count);
        for (var i = 0; i < count; i++)
        {
            var value = values[(first + i) % values.Length];
            var length = 1 + 1 + VarLongSize(i) + 1 + VarLongSize(value.Length) + value.Length + 1;
            f.VarLong(length);
            f.Int8(0); // attributes
            f.VarLong(0); // timestamp delta
            f.VarLong(i); // offset delta
            f.VarLong(-1); // null key
            f.VarLong(value.Length);
            f.Bytes(value);
            f.VarLong(0); // no headers
        }
        f.PatchInt32(lengthAt, f.Length - lengthAt - 4);
        f.PatchUInt32(crcAt, Crc32C(f.Span[attributesAt..]));
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    private static int VarLongSize(long v)
    {
        var u = (ulong)((v << 1) ^ (v >> 63));
        var n = 1;
        while (u >= 0x80)
        {
            u >>= 7;
            n++;
        }
        return n;
    }

    private void Send(Frame f)
    {
        f.PatchInt32(0, f.Length - 4);
        _stream.Write(f.Span);
    }

    private readonly byte[] _sizeBuffer = new byte[8];
    private byte[] _receiveBuffer = new byte[1 << 16];

    /// <summary>Reads one response; returns its body (after the correlation id) in a buffer reused by the next call.</summary>
    private byte[] Receive(out int bodyLength)
    {
        _stream.ReadExactly(_sizeBuffer, 0, 8);
        var size = BinaryPrimitives.ReadInt32BigEndian(_sizeBuffer);
        bodyLength = size - 4;
        if (_receiveBuffer.Length < bodyLength) _receiveBuffer = new byte[Math.Max(bodyLength, _receiveBuffer.Length * 2)];
        _stream.ReadExactly(_receiveBuffer, 0, bodyLength);
        return _receiveBuffer;
    }

    /// <summary>A growable big-endian request buffer whose first 4 bytes are the frame size.</summary>
    private sealed class Frame(int capacity)
    {
        private byte[] _buffer = new byte[Math.Max(capacity, 64)];

        public int Length { get; private set; }
        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public void Reset() => Length = 0;

        public void Header(short api, short version, int correlation)
        {
            Int32(0); // size, patched by Send
            Int16(api);
            Int16(version);
            Int32(correlation);
            Int16((short)ClientId.Length);
            Bytes(ClientId);
        }

        private Span<byte> Take(int n)
        {
            if (Length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + n));
            var span = _buffer.AsSpan(Length, n);
            Length += n;
            return span;
        }

        public int Reserve(int n)
        {
            var at = Length;
            Take(n);
            return at;
        }

        public void Int8(sbyte v) => Take(1)[0] = (byte)v;
        public void Int16(short v) => BinaryPrimitives.WriteInt16BigEndian(Take(2), v);
        public void Int32(int v) => BinaryPrimitives.WriteInt32BigEndian(Take(4), v);
        public void Int64(long v) => BinaryPrimitives.WriteInt64BigEndian(Take(8), v);
        public void Bytes(ReadOnlySpan<byte> v) => v.CopyTo(Take(v.Length));
        public void PatchInt32(int at, int v) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at), v);
        public void PatchUInt32(int at, uint v) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), v);

        public void String(byte[] utf8)
        {
            Int16((short)utf8.Length);
            Bytes(utf8);
        }

        public void VarLong(long v)
        {
            var u = (ulong)((v << 1) ^ (v >> 63));
            while (u >= 0x80)
            {
                Take(1)[0] = (byte)(u | 0x80);
                u >>= 7;
            }
            Take(1)[0] = (byte)u;
        }
    }
}
