using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using Tarn.Server.Kafka;
using ZstdSharp;

namespace Tarn.Server.Tests.Kafka;

/// <summary>The encodings a real client may send for each codec (snappy raw and xerial; lz4 linked and independent blocks).</summary>
public enum CodecEncoding { Gzip, SnappyRaw, SnappyXerial, Lz4Independent, Lz4Linked, Lz4Checksums, Zstd }

/// <summary>Test-side encoders for the Kafka codecs (attributes bits 0-2) and a builder of compressed RecordBatch v2s.</summary>
internal static class KafkaCodecs
{
    public const int Gzip = 1;
    public const int Snappy = 2;
    public const int Lz4 = 3;
    public const int Zstd = 4;

    public static int CodecOf(CodecEncoding e) => e switch
    {
        CodecEncoding.Gzip => Gzip,
        CodecEncoding.SnappyRaw or CodecEncoding.SnappyXerial => Snappy,
        CodecEncoding.Zstd => Zstd,
        _ => Lz4,
    };

    public static byte[] Compress(CodecEncoding encoding, ReadOnlySpan<byte> data)
    {
        var input = data.ToArray();
        return Stream(encoding, s => s.Write(input));
    }

    /// <summary>Compresses what <paramref name="write"/> writes, without ever holding the uncompressed bytes (for bombs).</summary>
    public static byte[] Stream(CodecEncoding encoding, Action<Stream> write)
    {
        var output = new MemoryStream();
        switch (encoding)
        {
            case CodecEncoding.Gzip:
                using (var gz = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) write(gz);
                break;
            case CodecEncoding.Zstd:
                using (var z = new CompressionStream(output, 1, leaveOpen: true)) write(z);
                break;
            case CodecEncoding.Lz4Independent or CodecEncoding.Lz4Linked or CodecEncoding.Lz4Checksums:
                var settings = new LZ4EncoderSettings
                {
                    ChainBlocks = encoding != CodecEncoding.Lz4Independent,
                    BlockSize = 64 << 10,
                    BlockChecksum = encoding == CodecEncoding.Lz4Checksums,
                    ContentChecksum = encoding == CodecEncoding.Lz4Checksums,
                    CompressionLevel = LZ4Level.L00_FAST,
                };
                using (var lz = LZ4Stream.Encode(output, settings, leaveOpen: true)) write(lz);
                break;
            case CodecEncoding.SnappyRaw:
            {
                var buffer = new MemoryStream();
                write(buffer);
                return Snappier.Snappy.CompressToArray(buffer.ToArray());
            }
            case CodecEncoding.SnappyXerial:
            {
                using var xerial = new XerialSnappyStream(output);
                write(xerial);
                xerial.Flush();
                break;
            }
        }
        return output.ToArray();
    }

    /// <summary>snappy-java's stream framing: magic, version 1, compatible 1, then [big-endian length, raw block]* of 32 KiB inputs.</summary>
    private sealed class XerialSnappyStream : Stream
    {
        private readonly Stream _target;
        private readonly MemoryStream _pending = new();

        public XerialSnappyStream(Stream target)
        {
            _target = target;
            _target.Write([0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                var n = (int)Math.Min(count, (32 << 10) - _pending.Length);
                _pending.Write(buffer, offset, n);
                offset += n;
                count -= n;
                if (_pending.Length == 32 << 10) Flush();
            }
        }

        public override void Flush()
        {
            if (_pending.Length == 0) return;
            var block = Snappier.Snappy.CompressToArray(_pending.ToArray());
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(len, block.Length);
            _target.Write(len);
            _target.Write(block);
            _pending.SetLength(0);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Offset of the attributes field in a batch (baseOffset 8, length 4, leader epoch 4, magic 1, crc 4).</summary>
    private const int AttributesAt = 21;

    /// <summary>Offset of the records section (after recordCount).</summary>
    private const int RecordsAt = 61;

    /// <summary>A RecordBatch v2 of <paramref name="values"/> whose records section is compressed with <paramref name="encoding"/>.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> values, CodecEncoding encoding)
    {
        var w = new KafkaWriter();
        var batch = new RecordBatchWriter(w);
        batch.Begin(0, 1_700_000_000_000);
        for (var i = 0; i < values.Count; i++) batch.Add(i, default, hasKey: false, values[i]);
        batch.End();
        var plain = w.Written.ToArray();
        return WithRecords(plain, values.Count, CodecOf(encoding), Compress(encoding, plain.AsSpan(RecordsAt)));
    }

    /// <summary>A batch header claiming <paramref name="count"/> records followed by <paramref name="records"/> as its (compressed) records section, with a valid CRC.</summary>
    public static byte[] WithRecords(ReadOnlySpan<byte> headerSource, int count, int codec, ReadOnlySpan<byte> records)
    {
        var bytes = new byte[RecordsAt + records.Length];
        headerSource[..RecordsAt].CopyTo(bytes);
        records.CopyTo(bytes.AsSpan(RecordsAt));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), bytes.Length - 12);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(AttributesAt));
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(AttributesAt), (short)((attributes & ~7) | codec));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(RecordsAt - 4), count);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), Crc32C.Compute(bytes.AsSpan(AttributesAt)));
        return bytes;
    }

    /// <summary>A header-only batch (one empty uncompressed batch's first 61 bytes) to wrap hand-made records sections.</summary>
    public static byte[] EmptyHeader()
    {
        var w = new KafkaWriter();
        var batch = new RecordBatchWriter(w);
        batch.Begin(0, 1_700_000_000_000);
        batch.End();
        return w.Written.ToArray();
    }

    /// <summary>A Produce v3 request (acks=all) with one batch for partition 0 of <paramref name="topic"/>.</summary>
    public static byte[] ProduceRequest(int correlationId, string topic, ReadOnlySpan<byte> batch)
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(KafkaApiKeys.Produce);
        w.Int16(3);
        w.Int32(correlationId);
        w.NullableString("codec-test");
        w.NullableString(null);
        w.Int16(-1);
        w.Int32(5000);
        w.Int32(1);
        w.String(topic);
        w.Int32(1);
        w.Int32(0);
        w.Int32(batch.Length);
        w.Raw(batch);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }
}
